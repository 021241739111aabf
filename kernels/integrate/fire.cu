#include "kernels/integrate/fire.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "cuda/for_each.cuh"
#include "cuda/reduce.cuh"
#include "kernels/integrate/affine_remap.hpp"
#include "kernels/integrate/verlet_update.hpp"
#include "kernels/units.hpp"

namespace vitra::integrate {
namespace {

// The lower triangle of the cell's deformation gradient: the cell's six
// degrees of freedom (row, column).
constexpr int kCellDof = 6;
constexpr int kRow[kCellDof] = {0, 1, 2, 1, 2, 2};
constexpr int kCol[kCellDof] = {0, 1, 2, 0, 0, 1};

// Largest row norm: how far a unit move in the reference frame can go.
double norm_max_row(const Mat3& m) {
  double r = 0.0;
  for (int i = 0; i < 3; ++i) r = std::max(r, norm(m.row(i)));
  return r;
}

// Σ f_u·v, Σ f_u², Σ v² over all atoms, f_u = f·Fᵀ (the force in the
// reference frame), packed in a Vec3 for one reduction.
Vec3 power_and_norms(const System& s, const DeviceArray<double>& vel, const Mat3& ft) {
  const std::size_t n = s.size();
  const double* f = s.forces.data();
  const double* v = vel.data();
  return transform_reduce(
      n, Vec3{},
      [=] VITRA_HD_LAMBDA(std::size_t i) {
        const Vec3 fu = load_vec3(f, n, i) * ft;
        const Vec3 vi = load_vec3(v, n, i);
        return Vec3{dot(fu, vi), norm2(fu), norm2(vi)};
      },
      Plus{});
}

double max_atom_norm2(const DeviceArray<double>& a, std::size_t n) {
  const double* p = a.data();
  return transform_reduce(
      n, 0.0, [=] VITRA_HD_LAMBDA(std::size_t i) { return norm2(load_vec3(p, n, i)); }, Max{});
}

// v <- mix_v·v + mix_f·f_u + kick·f_u/m, f_u = f·Fᵀ.
void mix_and_kick(System& s, DeviceArray<double>& vel, const Mat3& ft, double mix_v, double mix_f, double kick) {
  const std::size_t n = s.size();
  double* v = vel.data();
  const double* f = s.forces.data();
  const double* m = s.masses.data();
  for_each(n, [=] VITRA_HD_LAMBDA(std::size_t i) {
    const Vec3 fu = load_vec3(f, n, i) * ft;
    store_vec3(v, n, i, mix_v * load_vec3(v, n, i) + (mix_f + kick / m[i]) * fu);
  });
}

// x += (step·v)·F: a move in the reference frame, seen in the current cell.
void move_atoms(System& s, const DeviceArray<double>& vel, const Mat3& f, double step) {
  const std::size_t n = s.size();
  double* x = s.positions.data();
  const double* v = vel.data();
  for_each(n, [=] VITRA_HD_LAMBDA(std::size_t i) {
    store_vec3(x, n, i, load_vec3(x, n, i) + (step * load_vec3(v, n, i)) * f);
  });
}

void validate(const FireSettings& c) {
  if (!(c.ftol >= 0.0) || !(c.etol >= 0.0)) throw std::invalid_argument("minimize: ftol and etol must be >= 0");
  if (!(c.dt > 0.0) || !(c.dt_max >= c.dt)) throw std::invalid_argument("minimize: need 0 < dt <= dt_max");
  if (!(c.max_step > 0.0)) throw std::invalid_argument("minimize: max_step must be > 0");
  if (c.max_steps < 0) throw std::invalid_argument("minimize: max_steps must be >= 0");
  if (!std::isfinite(c.pressure)) throw std::invalid_argument("minimize: the target pressure must be finite");
}

// The cell's half of the search: F, its velocity and force, as 6-vectors.
struct CellSearch {
  bool on = false;
  Mat3 h0;
  double factor = 1.0;      // ASE's cell_factor: the number of atoms
  double mass = 1.0;        // amu, the mean atomic mass
  double p_ev = 0.0;        // target pressure, eV/Å³
  double f[kCellDof] = {1, 1, 1, 0, 0, 0};
  double v[kCellDof] = {};
  double g[kCellDof] = {};  // generalised force, eV

  Mat3 deformation() const {
    Mat3 m;
    for (int k = 0; k < kCellDof; ++k) m.m[kRow[k]][kCol[k]] = f[k];
    return m;
  }
  // G = F⁻ᵀ (W − P V I) / N on the lower triangle.
  void set_force(const Mat3& virial, double volume) {
    Mat3 w = virial;
    for (int a = 0; a < 3; ++a) w.m[a][a] -= p_ev * volume;
    const Mat3 gm = transpose(inverse(deformation())) * w;
    for (int k = 0; k < kCellDof; ++k) g[k] = on ? gm.m[kRow[k]][kCol[k]] / factor : 0.0;
  }
  double max_force() const {
    double m = 0.0;
    for (double x : g) m = std::max(m, std::fabs(x));
    return m;
  }
};

}  // namespace

FireResult fire_minimize(System& s, Potential& p, const FireSettings& c, const FireObserver& observe) {
  validate(c);
  const std::size_t n = s.size();
  DeviceArray<double> vel(3 * n);
  vel.fill_zero();
  CellSearch cell;
  cell.on = c.relax_cell;
  cell.h0 = s.box.h;
  cell.factor = std::max<double>(1.0, static_cast<double>(n));
  cell.mass = n > 0 ? s.total_mass() / static_cast<double>(n) : 1.0;
  cell.p_ev = c.pressure / units::kEvPerA3ToBar;
  const ComputeRequest request{true, c.relax_cell};
  auto evaluate = [&] {
    const ComputeResult r = p.compute(s, request);
    const double v = s.box.volume();
    cell.set_force(r.virial, v);
    return r.energy + (c.relax_cell ? cell.p_ev * v : 0.0);  // enthalpy when the cell moves
  };

  FireResult out;
  double energy = evaluate();
  double dt = c.dt, alpha = c.alpha_start;
  long long since_negative = 0;
  for (;;) {
    out.energy = energy;
    out.max_force = std::sqrt(max_atom_norm2(s.forces, n));
    out.max_cell_force = cell.max_force();
    if (out.max_force < c.ftol && out.max_cell_force < c.ftol) {
      out.converged = true;
      out.reason = "ftol";
      break;
    }
    if (observe && out.steps > 0 && !observe(out.steps, out.energy, out.max_force)) {
      out.reason = "stopped";
      break;
    }
    if (out.steps >= c.max_steps) {
      out.reason = "max_steps";
      break;
    }

    // F·v and the norms over atoms and cell together.
    const Mat3 f_now = cell.deformation();
    const Mat3 ft = transpose(f_now);
    Vec3 pn = power_and_norms(s, vel, ft);  // x: F·v, y: F², z: v²
    for (int k = 0; k < kCellDof; ++k) pn += Vec3{cell.g[k] * cell.v[k], cell.g[k] * cell.g[k], cell.v[k] * cell.v[k]};
    double mix_v = 1.0, mix_f = 0.0;
    if (pn.x > 0.0) {
      mix_v = 1.0 - alpha;
      mix_f = pn.y > 0.0 ? alpha * std::sqrt(pn.z / pn.y) : 0.0;
      if (++since_negative > c.n_min) {
        dt = std::min(dt * c.f_inc, c.dt_max);
        alpha *= c.f_alpha;
      }
    } else {
      mix_v = 0.0;
      dt *= c.f_dec;
      alpha = c.alpha_start;
      since_negative = 0;
    }
    // Mix, then accelerate (semi-implicit Euler, as the FIRE paper's MD).
    const double kick = dt * kFtm2v;
    mix_and_kick(s, vel, ft, mix_v, mix_f, kick);
    for (int k = 0; k < kCellDof; ++k) cell.v[k] = mix_v * cell.v[k] + (mix_f + kick / cell.mass) * cell.g[k];

    // One step, scaled so that no atom (and no cell vector) moves more than max_step.
    double vmax = std::sqrt(max_atom_norm2(vel, n)) * std::max(1.0, norm_max_row(f_now));
    if (cell.on) {
      double cv = 0.0;
      for (double x : cell.v) cv = std::max(cv, std::fabs(x));
      vmax = std::max(vmax, cv * norm_max_row(cell.h0));
    }
    const double step = vmax * dt > c.max_step ? c.max_step / vmax : dt;
    move_atoms(s, vel, f_now, step);
    if (cell.on) {
      for (int k = 0; k < kCellDof; ++k) cell.f[k] += step * cell.v[k];
      affine_remap(s, cell.h0 * cell.deformation());
    }

    const double previous = energy;
    energy = evaluate();
    ++out.steps;
    if (c.etol > 0.0 && std::fabs(energy - previous) <= c.etol * std::fabs(energy)) {
      out.energy = energy;
      out.max_force = std::sqrt(max_atom_norm2(s.forces, n));
      out.max_cell_force = cell.max_force();
      out.converged = true;
      out.reason = "etol";
      break;
    }
  }
  return out;
}

}  // namespace vitra::integrate
