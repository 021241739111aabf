#include "kernels/integrate/fire.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "cuda/for_each.cuh"
#include "cuda/reduce.cuh"
#include "kernels/integrate/verlet_update.hpp"

namespace vitra::integrate {
namespace {

// Σ F·v, Σ F², Σ v² over all components, packed in a Vec3 for one reduction.
Vec3 power_and_norms(const System& s, const DeviceArray<double>& vel) {
  const std::size_t n3 = 3 * s.size();
  const double* f = s.forces.data();
  const double* v = vel.data();
  return transform_reduce(
      n3, Vec3{}, [=] VITRA_HD_LAMBDA(std::size_t k) { return Vec3{f[k] * v[k], f[k] * f[k], v[k] * v[k]}; },
      Plus{});
}

double max_atom_norm2(const DeviceArray<double>& a, std::size_t n) {
  const double* p = a.data();
  return transform_reduce(
      n, 0.0, [=] VITRA_HD_LAMBDA(std::size_t i) { return norm2(load_vec3(p, n, i)); }, Max{});
}

void validate(const FireSettings& c) {
  if (!(c.ftol >= 0.0) || !(c.etol >= 0.0)) throw std::invalid_argument("minimize: ftol and etol must be >= 0");
  if (!(c.dt > 0.0) || !(c.dt_max >= c.dt)) throw std::invalid_argument("minimize: need 0 < dt <= dt_max");
  if (!(c.max_step > 0.0)) throw std::invalid_argument("minimize: max_step must be > 0");
  if (c.max_steps < 0) throw std::invalid_argument("minimize: max_steps must be >= 0");
}

}  // namespace

FireResult fire_minimize(System& s, Potential& p, const FireSettings& c, const FireObserver& observe) {
  validate(c);
  const std::size_t n = s.size();
  DeviceArray<double> vel(3 * n);
  vel.fill_zero();
  FireResult out;
  ComputeResult e = p.compute(s, ComputeRequest{true, false});
  double dt = c.dt, alpha = c.alpha_start;
  long long since_negative = 0;
  for (;;) {
    out.energy = e.energy;
    out.max_force = std::sqrt(max_atom_norm2(s.forces, n));
    if (out.max_force < c.ftol) { out.converged = true; out.reason = "ftol"; break; }
    if (observe && out.steps > 0 && !observe(out.steps, out.energy, out.max_force)) {
      out.reason = "stopped";
      break;
    }
    if (out.steps >= c.max_steps) { out.reason = "max_steps"; break; }

    const Vec3 pn = power_and_norms(s, vel);  // x: F·v, y: F², z: v²
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
    double* v = vel.data();
    const double* f = s.forces.data();
    const double* m = s.masses.data();
    const double kick_c = dt * kFtm2v;
    for_each(n, [=] VITRA_HD_LAMBDA(std::size_t i) {
      for (int k = 0; k < 3; ++k) {
        const std::size_t j = i + k * n;
        v[j] = mix_v * v[j] + mix_f * f[j] + kick_c * f[j] / m[i];
      }
    });
    const double vmax = std::sqrt(max_atom_norm2(vel, n));
    const double scale = vmax * dt > c.max_step ? c.max_step / (vmax * dt) : 1.0;
    double* x = s.positions.data();
    const double step = dt * scale;
    for_each(3 * n, [=] VITRA_HD_LAMBDA(std::size_t k) { x[k] += step * v[k]; });

    const double previous = e.energy;
    e = p.compute(s, ComputeRequest{true, false});
    ++out.steps;
    if (c.etol > 0.0 && std::fabs(e.energy - previous) <= c.etol * std::fabs(e.energy)) {
      out.energy = e.energy;
      out.max_force = std::sqrt(max_atom_norm2(s.forces, n));
      out.converged = true;
      out.reason = "etol";
      break;
    }
  }
  return out;
}

}  // namespace vitra::integrate
