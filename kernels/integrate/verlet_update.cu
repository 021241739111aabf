#include "kernels/integrate/verlet_update.hpp"

#include "cuda/for_each.cuh"

namespace vitra::integrate {

void kick(System& s, double dt_kick) {
  const std::size_t n = s.size();
  double* v = s.velocities.data();
  const double* f = s.forces.data();
  const double* m = s.masses.data();
  const double c = dt_kick * kFtm2v;
  for_each(n, [=] VITRA_HD_LAMBDA(std::size_t i) {
    const double w = c / m[i];
    v[i] += w * f[i];
    v[i + n] += w * f[i + n];
    v[i + 2 * n] += w * f[i + 2 * n];
  });
}

void drift(System& s, double dt) {
  const std::size_t n3 = 3 * s.size();
  double* x = s.positions.data();
  const double* v = s.velocities.data();
  for_each(n3, [=] VITRA_HD_LAMBDA(std::size_t k) { x[k] += dt * v[k]; });
}

}  // namespace vitra::integrate
