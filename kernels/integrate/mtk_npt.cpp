#include "kernels/integrate/mtk_npt.hpp"

#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string>

#include "kernels/integrate/affine_remap.hpp"
#include "kernels/integrate/barostat_update.hpp"
#include "kernels/integrate/verlet_update.hpp"
#include "kernels/kinetic.hpp"
#include "kernels/units.hpp"

namespace vitra::integrate {
namespace {

// Voigt component k (xx, yy, zz, yz, xz, xy) of a 3×3 tensor (symmetrised).
double voigt(const Mat3& t, int k) {
  static constexpr int a[6] = {0, 1, 2, 1, 0, 0};
  static constexpr int b[6] = {0, 1, 2, 2, 2, 1};
  return 0.5 * (t.m[a[k]][b[k]] + t.m[b[k]][a[k]]);
}

// LAMMPS orientation: a along x, b in the xy plane (rows of h).
bool lammps_oriented(const Mat3& h) {
  double scale = 0.0;
  for (const auto& row : h.m)
    for (double x : row) scale = std::fmax(scale, std::fabs(x));
  const double tol = 1e-12 * scale;
  return std::fabs(h.m[0][1]) <= tol && std::fabs(h.m[0][2]) <= tol && std::fabs(h.m[1][2]) <= tol;
}

}  // namespace

MtkNpt::MtkNpt(double dt, NhcSettings thermostat, BarostatSettings barostat)
    : Integrator(dt), tset_(thermostat), pset_(barostat) {
  validate(tset_, "npt");
  if (!(pset_.pdamp > 0.0)) throw std::invalid_argument("npt: pdamp must be > 0");
  if (pset_.chain < 0 || pset_.chain > kMaxChain)
    throw std::invalid_argument("npt: barostat chain length must be in 0.." + std::to_string(kMaxChain));
  const auto& m = pset_.mask;
  if (pset_.coupling == Coupling::Iso && !(m[0] && m[1] && m[2]))
    throw std::invalid_argument("npt: iso coupling barostats all three axes; use aniso for a partial mask");
  for (int k = 0; k < 3; ++k) flags_[k] = m[k];
  for (int k = 3; k < 6; ++k) flags_[k] = pset_.coupling == Coupling::Tri;
  for (int k = 0; k < 6; ++k) {
    pdim_ += k < 3 && flags_[k];
    pdof_ += flags_[k];
  }
  if (pdim_ == 0) throw std::invalid_argument("npt: the mask leaves no axis to barostat");
  if (!(pset_.drag >= 0.0)) throw std::invalid_argument("npt: drag must be >= 0");
  pdrag_ = 1.0 - dt_ / pset_.pdamp * pset_.drag;  // LAMMPS: dt·p_freq_max·drag/pchain loops (1)
  if (!(pdrag_ > 0.0)) throw std::invalid_argument("npt: drag too strong for this time step and pdamp");
}

void MtkNpt::set_targets(const System& s, const StepTargets& t) {
  if (!(t.temperature > 0.0)) throw std::invalid_argument("npt: target temperature must be > 0 K");
  tpar_ = particle_chain_params(s, t.temperature, tset_.tdamp, tset_.length, tset_.loops, dt_);
  tpar_.drag_factor = 1.0 - dt_ / tset_.tdamp * pset_.drag / tset_.loops;
  bpar_.t_target = t.temperature;
  // Hydrostatic targets only (no deviatoric term): one pressure on every
  // barostatted axis, zero shear stress on barostatted tilts.
  double p = 0.0;
  int first = -1;
  for (int k = 0; k < 6; ++k) {
    if (!flags_[k]) continue;
    const double pk = voigt(t.pressure, k);
    if (k < 3 && first < 0) {
      first = k;
      p = pk;
    }
    const double want = k < 3 ? p : 0.0;
    if (std::fabs(pk - want) > 1e-9 * std::fmax(1.0, std::fabs(p)))
      throw std::invalid_argument("npt: only hydrostatic pressure targets are supported (component " +
                                  std::to_string(k) + " differs)");
  }
  p_hydro_ = p;
}

Mat3 MtkNpt::pressure_tensor(const System& s) const {
  const Mat3 k = kinetic_tensor(s);
  const double c = units::kEvPerA3ToBar / s.box.volume();
  Mat3 p;
  for (int a = 0; a < 3; ++a)
    for (int b = 0; b < 3; ++b) p.m[a][b] = (k.m[a][b] + virial_.m[a][b]) * c;
  return p;
}

ComputeResult MtkNpt::setup(System& s, Potential& p, const StepTargets& t, const ComputeRequest& request) {
  if (pset_.coupling != Coupling::Iso && !lammps_oriented(s.box.h))
    throw std::invalid_argument(
        "npt: aniso and tri coupling need the cell in LAMMPS orientation (a along x, b in the xy plane); "
        "write the structure as a LAMMPS data file and read it back to rotate it");
  natoms_ = static_cast<double>(s.size());
  set_targets(s, t);
  particles_.reset(tpar_);
  ComputeRequest r = request;
  r.virial = true;
  const ComputeResult out = p.compute(s, r);
  virial_ = out.virial;
  volume_ = s.box.volume();

  baro_ = BarostatState{};
  baro_.vol0 = volume_;
  const double p_freq = 1.0 / pset_.pdamp;
  const double kt = units::kBoltzmann * t.temperature;
  for (int k = 0; k < 6; ++k)
    if (flags_[k]) baro_.omega_mass[k] = (natoms_ + 1.0) * kt / (p_freq * p_freq);
  bpar_.length = pset_.chain;
  bpar_.loops = 1;
  bpar_.dof = pset_.coupling == Coupling::Iso ? 1.0 : static_cast<double>(pdof_);
  bpar_.mass_dof = 1.0;
  bpar_.follow_target = false;  // LAMMPS etap_mass_flag = 0: masses fixed at setup
  bpar_.t_target = t.temperature;
  bpar_.t_freq = p_freq;
  bpar_.dt = dt_;
  bpar_.drag_factor = pdrag_;
  if (pset_.chain > 0) nhc_setup(baro_.chain, bpar_);
  mtk_term2_ = 0.0;
  return out;
}

// LAMMPS FixNH::nh_omega_dot: the strain rates feel the difference between
// the current and the target pressure, plus the MTK kinetic correction.
void MtkNpt::update_omega_dot(const System& s) {
  const Mat3 k = kinetic_tensor(s);
  const double v = s.box.volume();
  const double to_bar = units::kEvPerA3ToBar / v;
  double pcur[6];
  if (pset_.coupling == Coupling::Iso) {
    const double scalar = (k.m[0][0] + k.m[1][1] + k.m[2][2] + virial_.m[0][0] + virial_.m[1][1] +
                           virial_.m[2][2]) * to_bar / 3.0;
    pcur[0] = pcur[1] = pcur[2] = scalar;
  } else {
    for (int c = 0; c < 3; ++c) pcur[c] = (voigt(k, c) + voigt(virial_, c)) * to_bar;
  }
  for (int c = 3; c < 6; ++c) pcur[c] = (voigt(k, c) + voigt(virial_, c)) * to_bar;

  double mtk1 = 0.0;
  for (int c = 0; c < 3; ++c)
    if (flags_[c]) mtk1 += k.m[c][c];
  mtk1 /= pdim_ * natoms_;
  const double half = 0.5 * dt_;
  const double nktv2p = units::kEvPerA3ToBar;
  for (int c = 0; c < 3; ++c) {
    if (!flags_[c]) continue;
    const double w = baro_.omega_mass[c];
    baro_.omega_dot[c] += ((pcur[c] - p_hydro_) * v / (w * nktv2p) + mtk1 / w) * half;
    baro_.omega_dot[c] *= pdrag_;
  }
  mtk_term2_ = 0.0;
  for (int c = 0; c < 3; ++c)
    if (flags_[c]) mtk_term2_ += baro_.omega_dot[c];
  mtk_term2_ /= pdim_ * natoms_;
  for (int c = 3; c < 6; ++c)
    if (flags_[c]) baro_.omega_dot[c] = (baro_.omega_dot[c] + pcur[c] * v / (baro_.omega_mass[c] * nktv2p) * half) * pdrag_;
}

// LAMMPS FixNH::remap for half a step: h evolves as ḣ = ω̇ h (upper
// triangular in LAMMPS' columns, lower triangular in vitra's rows), the
// tilts by a symmetric split around the diagonal scaling.
void MtkNpt::remap_half(System& s) {
  const double dto = 0.5 * dt_;
  for (int c = 0; c < 6; ++c) baro_.omega[c] += dto * baro_.omega_dot[c];
  const auto& od = baro_.omega_dot;
  const Mat3& h0 = s.box.h;
  if (pset_.coupling == Coupling::Iso) {
    const double e = std::exp(dto * od[0]);
    Mat3 h = h0;
    for (auto& row : h.m)
      for (double& x : row) x *= e;
    affine_remap(s, h);
    volume_ = s.box.volume();
    return;
  }
  // LAMMPS Voigt cell: xprd, yprd, zprd, yz, xz, xy.
  double h[6] = {h0.m[0][0], h0.m[1][1], h0.m[2][2], h0.m[2][1], h0.m[2][0], h0.m[1][0]};
  const bool tri = pset_.coupling == Coupling::Tri;
  // Both halves of the tilt update read the lengths from before the diagonal
  // scaling: LAMMPS scales boxlo/boxhi and refreshes domain->h only after
  // remap() is done, and vitra follows it to the last bit.
  const double ly = h[1], lz = h[2];
  auto tilts = [&] {
    const double dto2 = dto / 2.0, dto4 = dto / 4.0, dto8 = dto / 8.0;
    double e = std::exp(dto8 * od[0]);
    h[4] = (h[4] * e + dto4 * (od[5] * h[3] + od[4] * lz)) * e;
    e = std::exp(dto4 * od[1]);
    h[3] = (h[3] * e + dto2 * (od[3] * lz)) * e;
    e = std::exp(dto4 * od[0]);
    h[5] = (h[5] * e + dto2 * (od[5] * ly)) * e;
    e = std::exp(dto8 * od[0]);
    h[4] = (h[4] * e + dto4 * (od[5] * h[3] + od[4] * lz)) * e;
  };
  if (tri) tilts();
  for (int c = 0; c < 3; ++c) {
    if (!flags_[c]) continue;
    const double e = std::exp(dto * od[c]);
    h[c] *= e;
    // Tilts not under barostat control scale with their cell length
    // (LAMMPS scalexy/scalexz/scaleyz, on by default).
    if (!tri && c == 1) h[5] *= e;
    if (!tri && c == 2) {
      h[4] *= e;
      h[3] *= e;
    }
  }
  if (tri) tilts();
  Mat3 cell;
  cell.m[0][0] = h[0];
  cell.m[1][0] = h[5];
  cell.m[1][1] = h[1];
  cell.m[2][0] = h[4];
  cell.m[2][1] = h[3];
  cell.m[2][2] = h[2];
  affine_remap(s, cell);
  volume_ = s.box.volume();
}

// LAMMPS FixNH::nhc_press_integrate: the barostat's own chain scales ω̇.
void MtkNpt::chain_barostat() {
  if (pset_.chain == 0) return;
  double ke = 0.0;
  for (int c = 0; c < 6; ++c)
    if (flags_[c]) ke += 0.5 * baro_.omega_mass[c] * baro_.omega_dot[c] * baro_.omega_dot[c];
  const double f = nhc_half_step(baro_.chain, bpar_, ke);
  for (int c = 0; c < 6; ++c)
    if (flags_[c]) baro_.omega_dot[c] *= f;
}

ComputeResult MtkNpt::step(System& s, Potential& p, const StepTargets& t, const ComputeRequest& request) {
  set_targets(s, t);
  const bool tri = pset_.coupling == Coupling::Tri;
  chain_barostat();
  particles_.half_step(s, tpar_);
  update_omega_dot(s);
  barostat_scale_velocities(s, dt_, baro_.omega_dot, mtk_term2_, tri);
  kick(s, 0.5 * dt_);
  remap_half(s);
  drift(s, dt_);
  remap_half(s);
  ComputeRequest r = request;
  r.virial = true;  // the barostat needs it every step
  const ComputeResult out = p.compute(s, r);
  virial_ = out.virial;
  kick(s, 0.5 * dt_);
  barostat_scale_velocities(s, dt_, baro_.omega_dot, mtk_term2_, tri);
  update_omega_dot(s);
  particles_.half_step(s, tpar_);
  chain_barostat();
  return out;
}

// LAMMPS FixNH::compute_scalar: chain energies, barostat kinetic energy and
// the P·ΔV work, so that E_pot + E_kin + this is conserved.
double MtkNpt::reservoir_energy() const {
  double e = nhc_energy(particles_.host(), tpar_);
  for (int c = 0; c < 6; ++c) {
    if (!flags_[c]) continue;
    e += 0.5 * baro_.omega_mass[c] * baro_.omega_dot[c] * baro_.omega_dot[c];
    if (c < 3) e += p_hydro_ * (volume_ - baro_.vol0) / (pdim_ * units::kEvPerA3ToBar);
  }
  if (pset_.chain > 0) e += nhc_energy(baro_.chain, bpar_);
  return e;
}

namespace {
constexpr std::size_t kChainDoubles = sizeof(NhcState) / sizeof(double);
constexpr std::size_t kStateDoubles = kChainDoubles + (6 * 3 + 1 + kChainDoubles) + 2 + 9;
}  // namespace

// Layout: particle chain | ω (6) ω̇ (6) W (6) V0 | barostat chain | mtk_term2, V | virial (9).
std::vector<double> MtkNpt::save_state() const {
  std::vector<double> out;
  out.reserve(kStateDoubles);
  auto put_chain = [&](const NhcState& c) {
    const std::size_t at = out.size();
    out.resize(at + kChainDoubles);
    std::memcpy(out.data() + at, &c, sizeof(NhcState));
  };
  put_chain(particles_.host());
  for (const auto* a : {&baro_.omega, &baro_.omega_dot, &baro_.omega_mass})
    for (double x : *a) out.push_back(x);
  out.push_back(baro_.vol0);
  put_chain(baro_.chain);
  out.push_back(mtk_term2_);
  out.push_back(volume_);
  for (const auto& row : virial_.m)
    for (double x : row) out.push_back(x);
  return out;
}

void MtkNpt::load_state(const std::vector<double>& state) {
  if (state.size() != kStateDoubles)
    throw std::invalid_argument("npt: checkpoint holds " + std::to_string(state.size()) +
                                " barostat/thermostat values, expected " + std::to_string(kStateDoubles));
  std::size_t k = 0;
  auto get_chain = [&](NhcState& c) {
    std::memcpy(static_cast<void*>(&c), state.data() + k, sizeof(NhcState));
    k += kChainDoubles;
  };
  NhcState particles;
  get_chain(particles);
  particles_.set_host(particles);
  for (auto* a : {&baro_.omega, &baro_.omega_dot, &baro_.omega_mass})
    for (double& x : *a) x = state[k++];
  baro_.vol0 = state[k++];
  get_chain(baro_.chain);
  mtk_term2_ = state[k++];
  volume_ = state[k++];
  for (auto& row : virial_.m)
    for (double& x : row) x = state[k++];
}

}  // namespace vitra::integrate
