#include "kernels/integrate/npt_ase.hpp"

#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>

#include "kernels/integrate/npt_ase_update.hpp"
#include "kernels/kinetic.hpp"
#include "kernels/units.hpp"

namespace vitra::integrate {
namespace {

// ASE's _isuppertriangular / _islowertriangular (exact zeros, rows a, b, c).
bool upper_triangular(const Mat3& m) { return m.m[1][0] == 0.0 && m.m[2][0] == 0.0 && m.m[2][1] == 0.0; }
bool lower_triangular(const Mat3& m) { return m.m[0][1] == 0.0 && m.m[0][2] == 0.0 && m.m[1][2] == 0.0; }

Mat3 add(const Mat3& a, const Mat3& b) {
  Mat3 c;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) c.m[i][j] = a.m[i][j] + b.m[i][j];
  return c;
}
Mat3 sub(const Mat3& a, const Mat3& b) {
  Mat3 c;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) c.m[i][j] = a.m[i][j] - b.m[i][j];
  return c;
}
Mat3 scaled(double s, const Mat3& a) {
  Mat3 c;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) c.m[i][j] = s * a.m[i][j];
  return c;
}

std::string cell_text(const Mat3& h) {
  std::string s = "[";
  for (int i = 0; i < 3; ++i) {
    s += i ? ", [" : "[";
    for (int j = 0; j < 3; ++j) s += (j ? ", " : "") + std::to_string(h.m[i][j]);
    s += "]";
  }
  return s + "]";
}

// The matrices of ASE's _calculate_q_future for the current h, η, ζ.
struct FutureMatrices {
  Mat3 beta_m1, inv_b, h_2dt;
};
FutureMatrices future_matrices(const Mat3& h, const Mat3& inv_h, const Mat3& eta, double zeta, double dt) {
  const Mat3 id = Mat3::identity();
  const Mat3 beta = scaled(dt, h * (add(eta, scaled(0.5 * zeta, id)) * inv_h));
  FutureMatrices f;
  f.beta_m1 = sub(beta, id);
  f.inv_b = inverse(add(beta, id));
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) f.h_2dt.m[i][j] = h.m[i][j] / (2.0 * dt);
  return f;
}

constexpr std::size_t kHeader = 7;
constexpr std::size_t kScalars = kHeader + 4 * 9 + 3 + 9;  // + h, h_past, eta, eta_past; zetas; virial

}  // namespace

NptAse::NptAse(double dt, AseNptSettings settings) : Integrator(dt), set_(settings) {
  if (!(dt > 0.0)) throw std::invalid_argument("npt-ase: the time step must be > 0");
  if (!(set_.ttime >= 0.0) || !std::isfinite(set_.ttime))
    throw std::invalid_argument("npt-ase: ttime must be >= 0 ps (0: no thermostat)");
  if (!(set_.pfactor >= 0.0) || !std::isfinite(set_.pfactor))
    throw std::invalid_argument("npt-ase: pfactor must be >= 0 eV ps^2/A^3 (0: no barostat)");
  if (!std::isfinite(set_.frac_traceless))
    throw std::invalid_argument("npt-ase: frac_traceless must be finite");
}

// ASE's _calculateconstants(), with det h of the current cell.
void NptAse::calculate_constants(double det_h) {
  const double n = static_cast<double>(natoms_);
  const double kt = units::kBoltzmann * temperature_;
  tfact_ = set_.ttime > 0.0 ? 2.0 / (3 * n * kt * set_.ttime * set_.ttime) : 0.0;
  pfact_ = set_.pfactor > 0.0 ? 1.0 / (set_.pfactor * det_h) : 0.0;
  desired_ekin_ = 1.5 * (n - 1) * kt;
}

void NptAse::set_targets(const StepTargets& t, bool force_constants, double det_h) {
  const Mat3& p = t.pressure;
  for (int i = 0; i < 3; ++i)
    for (int j = i + 1; j < 3; ++j)
      if (std::fabs(p.m[i][j] - p.m[j][i]) > 1e-9 * std::fmax(1.0, std::fabs(p.m[i][j])))
        throw std::invalid_argument("npt-ase: the target pressure tensor must be symmetric (component " +
                                    std::to_string(i) + std::to_string(j) + ")");
  // ASE's set_stress(): Voigt xx, yy, zz, yz, xz, xy; stress = −pressure.
  const double c = 1.0 / units::kEvPerA3ToBar;
  ext_[0] = -p.m[0][0] * c;
  ext_[1] = -p.m[1][1] * c;
  ext_[2] = -p.m[2][2] * c;
  ext_[3] = -p.m[1][2] * c;
  ext_[4] = -p.m[0][2] * c;
  ext_[5] = -p.m[0][1] * c;
  if (set_.ttime > 0.0 && !(t.temperature > 0.0))
    throw std::invalid_argument("npt-ase: the thermostat (ttime > 0) needs a target temperature > 0 K, got " +
                                std::to_string(t.temperature));
  if (force_constants || (set_.ttime > 0.0 && t.temperature != temperature_)) {
    temperature_ = t.temperature;  // ASE's set_temperature(): all constants anew
    calculate_constants(det_h);
  }
}

Mat3 NptAse::triangular(const double d[6]) const {
  Mat3 m;
  if (upper_triangular(h_)) {
    m.m[0][0] = d[0], m.m[0][1] = d[5], m.m[0][2] = d[4];
    m.m[1][1] = d[1], m.m[1][2] = d[3];
    m.m[2][2] = d[2];
  } else if (lower_triangular(h_)) {
    m.m[0][0] = d[0];
    m.m[1][0] = d[5], m.m[1][1] = d[1];
    m.m[2][0] = d[4], m.m[2][1] = d[3], m.m[2][2] = d[2];
  } else {
    throw std::logic_error("npt-ase: the cell is no longer triangular: " + cell_text(h_));
  }
  return m;
}

// What is added to η from the 6-vector deltaeta: mask ∘ tri(deltaeta) when
// frac_traceless = 1, else trace part + frac_traceless · traceless part.
Mat3 NptAse::eta_increment(const double deltaeta[6]) const {
  const Mat3 t = triangular(deltaeta);
  Mat3 out;
  if (set_.frac_traceless == 1.0) {
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j) out.m[i][j] = set_.mask[i][j] ? t.m[i][j] : 0.0;
    return out;
  }
  const double tr = (t.m[0][0] + t.m[1][1] + t.m[2][2]) / 3.0;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) {
      const double trace_part = i == j ? tr : 0.0;
      out.m[i][j] = trace_part + set_.frac_traceless * (t.m[i][j] - trace_part);
    }
  return out;
}

void NptAse::voigt_stress(const System& s, double out[6]) const {
  const Mat3 st = stress(s);
  out[0] = st.m[0][0];
  out[1] = st.m[1][1];
  out[2] = st.m[2][2];
  out[3] = st.m[1][2];
  out[4] = st.m[0][2];
  out[5] = st.m[0][1];
}

Mat3 NptAse::stress(const System& s) const {
  const Mat3 k = kinetic_tensor(s);
  const double inv_v = 1.0 / s.box.volume();
  Mat3 st;
  for (int a = 0; a < 3; ++a)
    for (int b = 0; b < 3; ++b) {
      const double w = 0.5 * (virial_.m[a][b] + virial_.m[b][a]);
      st.m[a][b] = -(w * inv_v) - k.m[a][b] * inv_v;
    }
  return st;
}

ComputeResult NptAse::setup(System& s, Potential& p, const StepTargets& t, const ComputeRequest& request) {
  const Mat3 h = s.box.h;
  if (!upper_triangular(h) && !lower_triangular(h))
    throw std::invalid_argument(
        "npt-ase: ASE's NPT needs a triangular cell (rows a, b, c): upper, b_x = c_x = c_y = 0, or lower "
        "(LAMMPS orientation), a_y = a_z = b_z = 0; got " + cell_text(h) +
        ". Rotate the structure (e.g. ASE's Cell.standard_form() or a LAMMPS data file) first");
  natoms_ = s.size();
  if (natoms_ == 0) throw std::invalid_argument("npt-ase: the system has no atoms");
  const std::size_t n3 = 3 * natoms_;
  for (DeviceArray<double>* a : {&q_past_, &q_, &q_future_, &scratch_})
    if (a->size() != n3) a->resize(n3);

  // ASE's constructor.
  npt_ase::zero_total_momentum(s);
  eta_ = Mat3{};
  zeta_ = 0.0;
  zeta_integrated_ = 0.0;
  time_elapsed_ = 0.0;
  set_targets(t, true, determinant(h));

  // initialize(): q from the positions, then the forces (the stress and the
  // backward step need them).
  h_ = h;
  inv_h_ = inverse(h_);
  npt_ase::scaled_positions(s, inv_h_, q_.data());
  ComputeRequest r = request;
  if (set_.pfactor > 0.0) r.virial = true;
  const ComputeResult out = p.compute(s, r);
  virial_ = r.virial ? out.virial : Mat3{};

  // _initialize_eta_h()
  h_past_ = sub(h_, scaled(dt_, h_ * eta_));
  double deltaeta[6] = {0, 0, 0, 0, 0, 0};
  if (set_.pfactor > 0.0) {
    double st[6];
    voigt_stress(s, st);
    const double c = -dt_ * pfact_ * determinant(h_);
    for (int k = 0; k < 6; ++k) deltaeta[k] = c * (st[k] - ext_[k]);
  }
  eta_past_ = sub(eta_, eta_increment(deltaeta));
  const double deltazeta = tfact_ != 0.0 ? dt_ * tfact_ * (kinetic_energy(s) - desired_ekin_) : 0.0;
  zeta_past_ = zeta_ - deltazeta;

  // _calculate_q_past_and_future(): a backward step with the current
  // velocities, repeated once with the velocities corrected by what the
  // centred difference gave back (unless the kinetic energy is ~0).
  const FutureMatrices fm = future_matrices(h_, inv_h_, eta_, zeta_, dt_);
  double* v = scratch_.data();
  scratch_.copy_from(s.velocities);
  for (int pass = 0; pass < 2; ++pass) {
    npt_ase::past_from_velocities(natoms_, q_.data(), v, inv_h_, dt_, q_past_.data());
    npt_ase::future_and_velocities(s, q_.data(), q_past_.data(), q_future_.data(), fm.beta_m1, fm.inv_b,
                                   inv_h_, fm.h_2dt, dt_, v);
    if (npt_ase::mean_kinetic_energy(s, v) < 1e-5) break;
    npt_ase::reflect(natoms_, s.velocities.data(), v);
  }
  initialized_ = true;
  stepped_ = false;
  loaded_ = false;
  return out;
}

void NptAse::verify_loaded(const System& s) const {
  double scale = 0.0;
  for (const auto& row : h_.m)
    for (double x : row) scale = std::fmax(scale, std::fabs(x));
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j)
      if (!(std::fabs(s.box.h.m[i][j] - h_.m[i][j]) <= 1e-10 * scale))
        throw std::runtime_error("npt-ase: the cell was changed since the integrator state was saved (" +
                                 cell_text(s.box.h) + " instead of " + cell_text(h_) +
                                 "); ASE's NPT cannot continue either: reset the thermostat/barostat");
  const double err = npt_ase::max_position_mismatch(s, q_.data());
  if (!(err <= 1e-8))
    throw std::runtime_error("npt-ase: the atomic positions were changed since the integrator state was "
                             "saved (by up to " + std::to_string(err) +
                             " A); ASE's NPT cannot continue either: reset the thermostat/barostat");
}

ComputeResult NptAse::step(System& s, Potential& p, const StepTargets& t, const ComputeRequest& request) {
  if (!initialized_) throw std::logic_error("npt-ase: step() before setup()");
  if (s.size() != natoms_)
    throw std::invalid_argument("npt-ase: the system has " + std::to_string(s.size()) +
                                " atoms, the integrator state " + std::to_string(natoms_));
  if (loaded_) {
    verify_loaded(s);
    if (stepped_) {  // the velocities after a step are those of the saved q
      const FutureMatrices fm = future_matrices(h_, inv_h_, eta_, zeta_, dt_);
      npt_ase::velocities_from_scaled(s, q_past_.data(), q_future_.data(), fm.h_2dt);
    }
    loaded_ = false;
  }
  set_targets(t, false, determinant(h_));

  const double dt = dt_;
  const Mat3 h_future = add(h_past_, scaled(2 * dt, h_ * eta_));
  double deltaeta[6] = {0, 0, 0, 0, 0, 0};
  if (set_.pfactor > 0.0) {
    double st[6];
    voigt_stress(s, st);
    const double c = pfact_ * determinant(h_);
    for (int k = 0; k < 6; ++k) deltaeta[k] = -2 * dt * (c * (st[k] - ext_[k]));
  }
  const Mat3 eta_future = add(eta_past_, eta_increment(deltaeta));
  const double deltazeta = tfact_ != 0.0 ? 2 * dt * tfact_ * (kinetic_energy(s) - desired_ekin_) : 0.0;
  const double zeta_future = zeta_past_ + deltazeta;

  // Advance: t+dt becomes the present.
  time_elapsed_ += dt;
  h_past_ = h_;
  h_ = h_future;
  inv_h_ = inverse(h_);
  std::swap(q_past_, q_);      // q_past <- q (q now holds the old q_past)
  std::swap(q_, q_future_);    // q <- q_future (q_future holds the old q_past, overwritten below)
  s.box = Box(h_);
  npt_ase::set_positions(s, q_.data());
  eta_past_ = eta_;
  eta_ = eta_future;
  zeta_past_ = zeta_;
  zeta_ = zeta_future;
  zeta_integrated_ += dt * zeta_;

  ComputeRequest r = request;
  if (set_.pfactor > 0.0) r.virial = true;  // the next step's stress
  const ComputeResult out = p.compute(s, r);
  virial_ = r.virial ? out.virial : Mat3{};

  const FutureMatrices fm = future_matrices(h_, inv_h_, eta_, zeta_, dt);
  npt_ase::future_and_velocities(s, q_.data(), q_past_.data(), q_future_.data(), fm.beta_m1, fm.inv_b,
                                 inv_h_, fm.h_2dt, dt, s.velocities.data());
  stepped_ = true;
  return out;
}

double NptAse::reservoir_energy() const {
  const double n = static_cast<double>(natoms_);
  const double kt = units::kBoltzmann * temperature_;
  double e = -(ext_[0] + ext_[1] + ext_[2]) * determinant(h_) / 3.0;
  if (set_.ttime > 0.0) e += 1.5 * n * kt * (set_.ttime * zeta_) * (set_.ttime * zeta_) + 3 * kt * (n - 1) * zeta_integrated_;
  if (set_.pfactor > 0.0 && pfact_ != 0.0) {
    double contracted = 0.0;
    for (const auto& row : eta_.m)
      for (double x : row) contracted += x * x;
    e += 0.5 / pfact_ * contracted;
  }
  return e;
}

// Layout: N, initialized, stepped, time, temperature, pfact, pfactor | h,
// h_past, eta, eta_past (9 each, row-major) | zeta, zeta_past, zeta_int |
// virial (9) | q_past, q, q_future (3N blocked each).
std::vector<double> NptAse::save_state() const {
  std::vector<double> out;
  out.reserve(kScalars + 9 * natoms_);
  out.push_back(static_cast<double>(natoms_));
  out.push_back(initialized_ ? 1.0 : 0.0);
  out.push_back(stepped_ ? 1.0 : 0.0);
  out.push_back(time_elapsed_);
  out.push_back(temperature_);
  out.push_back(pfact_);
  out.push_back(set_.pfactor);
  for (const Mat3* m : {&h_, &h_past_, &eta_, &eta_past_})
    for (const auto& row : m->m)
      for (double x : row) out.push_back(x);
  out.push_back(zeta_);
  out.push_back(zeta_past_);
  out.push_back(zeta_integrated_);
  for (const auto& row : virial_.m)
    for (double x : row) out.push_back(x);
  if (initialized_)
    for (const DeviceArray<double>* a : {&q_past_, &q_, &q_future_}) {
      const std::vector<double> h = a->to_host();
      out.insert(out.end(), h.begin(), h.end());
    }
  return out;
}

void NptAse::load_state(const std::vector<double>& state) {
  if (state.size() < kScalars)
    throw std::invalid_argument("npt-ase: the checkpoint holds " + std::to_string(state.size()) +
                                " integrator values, expected at least " + std::to_string(kScalars));
  const double nd = state[0];
  const bool init = state[1] != 0.0;
  if (!(nd >= 0.0) || nd != std::floor(nd))
    throw std::invalid_argument("npt-ase: the checkpoint's atom count is not a count");
  const std::size_t n = static_cast<std::size_t>(nd);
  const std::size_t want = kScalars + (init ? 9 * n : 0);
  if (state.size() != want)
    throw std::invalid_argument("npt-ase: the checkpoint holds " + std::to_string(state.size()) +
                                " integrator values, expected " + std::to_string(want) + " for " +
                                std::to_string(n) + " atoms");
  if (initialized_ && n != natoms_)
    throw std::invalid_argument("npt-ase: the checkpoint's integrator state is for " + std::to_string(n) +
                                " atoms, the system has " + std::to_string(natoms_));
  if (!init) {  // saved before setup(): nothing to continue
    initialized_ = false;
    return;
  }
  std::size_t k = 0;
  natoms_ = n;
  k = 1;
  initialized_ = true;
  ++k;
  stepped_ = state[k++] != 0.0;
  time_elapsed_ = state[k++];
  temperature_ = state[k++];
  pfact_ = state[k++];
  const double saved_pfactor = state[k++];
  for (Mat3* m : {&h_, &h_past_, &eta_, &eta_past_})
    for (auto& row : m->m)
      for (double& x : row) x = state[k++];
  zeta_ = state[k++];
  zeta_past_ = state[k++];
  zeta_integrated_ = state[k++];
  for (auto& row : virial_.m)
    for (double& x : row) x = state[k++];
  inv_h_ = inverse(h_);
  for (DeviceArray<double>* a : {&q_past_, &q_, &q_future_}) {
    if (a->size() != 3 * n) a->resize(3 * n);
    a->copy_from_host(state.data() + k, 3 * n);
    k += 3 * n;
  }
  // tfact and desiredEkin follow from the saved temperature and this
  // integrator's ttime; pfact is kept (it remembers the cell it was set
  // with) unless this integrator's pfactor differs (a new barostat).
  const double keep_pfact = pfact_;
  calculate_constants(determinant(h_));
  if (saved_pfactor == set_.pfactor) pfact_ = keep_pfact;
  loaded_ = true;
}

}  // namespace vitra::integrate
