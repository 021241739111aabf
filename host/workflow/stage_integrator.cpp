#include "host/workflow/stage_integrator.hpp"

#include "kernels/integrate/mtk_npt.hpp"
#include "kernels/integrate/nose_hoover_nvt.hpp"
#include "kernels/integrate/npt_ase.hpp"
#include "kernels/integrate/velocity_verlet.hpp"

namespace vitra::workflow {

namespace {

bool uses_barostat(const StageConfig& st) {
  switch (st.kind) {
    case StageKind::Npt:
    case StageKind::NptAse:
      return true;
    case StageKind::Quench:
      return st.barostat;
    case StageKind::Deform:
      return st.mode == DeformMode::Uniaxial && st.lateral == Lateral::Barostat;
    default:
      return false;
  }
}

integrate::NhcSettings thermostat_settings(const StageConfig& st) {
  integrate::NhcSettings t;
  t.tdamp = st.tdamp;
  t.length = st.chain;
  t.loops = 1;
  return t;
}

}  // namespace

std::string integrator_name(const StageConfig& st) {
  if (st.kind == StageKind::Minimize) return "";
  if (st.kind == StageKind::Nve) return "nve";
  if (st.kind == StageKind::NptAse) return "npt-ase";
  return uses_barostat(st) ? "npt" : "nvt";
}

std::unique_ptr<integrate::Integrator> make_integrator(const StageConfig& st, double dt) {
  const std::string name = integrator_name(st);
  if (name.empty()) return nullptr;
  if (name == "nve") return std::make_unique<integrate::VelocityVerlet>(dt);
  if (name == "nvt") return std::make_unique<integrate::NoseHooverNvt>(dt, thermostat_settings(st));
  if (name == "npt-ase") {
    integrate::AseNptSettings a;
    a.ttime = st.ttime;
    a.pfactor = st.pfactor;
    a.mask = integrate::AseNptSettings::axis_mask(st.mask[0], st.mask[1], st.mask[2]);
    return std::make_unique<integrate::NptAse>(dt, a);
  }
  integrate::BarostatSettings b;
  b.pdamp = st.pdamp;
  b.drag = st.drag;
  if (st.kind == StageKind::Deform) {
    // Uniaxial strain ramp: the loading axis follows the ramp, the two
    // lateral axes relax independently to `pressure`.
    b.coupling = integrate::Coupling::Aniso;
    b.mask = {true, true, true};
    b.mask[st.axis] = false;
  } else {
    b.coupling = st.couple == Couple::Iso     ? integrate::Coupling::Iso
                 : st.couple == Couple::Aniso ? integrate::Coupling::Aniso
                                              : integrate::Coupling::Tri;
    b.mask = st.mask;
  }
  return std::make_unique<integrate::MtkNpt>(dt, thermostat_settings(st), b);
}

integrate::StepTargets stage_targets(const StageConfig& st, long long k) {
  integrate::StepTargets t;
  const double delta = st.steps > 0 ? static_cast<double>(k) / static_cast<double>(st.steps) : 0.0;
  t.temperature = st.t_start + delta * (st.t_stop - st.t_start);
  if (uses_barostat(st))
    for (int a = 0; a < 3; ++a) t.pressure.m[a][a] = st.pressure;
  return t;
}

}  // namespace vitra::workflow
