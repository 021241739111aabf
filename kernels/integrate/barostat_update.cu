#include "kernels/integrate/barostat_update.hpp"

#include <cmath>

#include "cuda/for_each.cuh"

namespace vitra::integrate {

void barostat_scale_velocities(System& s, double dt, const std::array<double, 6>& omega_dot,
                               double mtk_term2, bool triclinic) {
  const Vec3 f{std::exp(-0.25 * dt * (omega_dot[0] + mtk_term2)),
               std::exp(-0.25 * dt * (omega_dot[1] + mtk_term2)),
               std::exp(-0.25 * dt * (omega_dot[2] + mtk_term2))};
  const double half = 0.5 * dt;
  const double yz = triclinic ? omega_dot[3] : 0.0;
  const double xz = triclinic ? omega_dot[4] : 0.0;
  const double xy = triclinic ? omega_dot[5] : 0.0;
  const std::size_t n = s.size();
  double* v = s.velocities.data();
  for_each(n, [=] VITRA_HD_LAMBDA(std::size_t i) {
    Vec3 u = load_vec3(v, n, i);
    u = {u.x * f.x, u.y * f.y, u.z * f.z};
    u.x -= half * (u.y * xy + u.z * xz);
    u.y -= half * u.z * yz;
    store_vec3(v, n, i, {u.x * f.x, u.y * f.y, u.z * f.z});
  });
}

}  // namespace vitra::integrate
