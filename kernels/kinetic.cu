#include "kernels/kinetic.hpp"

#include "cuda/for_each.cuh"
#include "cuda/reduce.cuh"
#include "kernels/units.hpp"

namespace vitra {

double kinetic_energy(const System& s) {
  const std::size_t n = s.size();
  const double* v = s.velocities.data();
  const double* m = s.masses.data();
  const double twice = transform_reduce(
      n, 0.0, [=] VITRA_HD_LAMBDA(std::size_t i) { return m[i] * norm2(load_vec3(v, n, i)); }, Plus{});
  return 0.5 * twice * units::kMvv2e;
}

void kinetic_energy_into(const System& s, double* out, DeviceArray<unsigned char>& scratch) {
  const std::size_t n = s.size();
  const double* v = s.velocities.data();
  const double* m = s.masses.data();
  constexpr double half_mvv2e = 0.5 * units::kMvv2e;
  transform_reduce_into(
      out, n, 0.0,
      [=] VITRA_HD_LAMBDA(std::size_t i) { return half_mvv2e * m[i] * norm2(load_vec3(v, n, i)); },
      Plus{}, scratch);
}

namespace {
// The six independent components of a symmetric tensor, summable by Plus.
struct Sym6 {
  double xx = 0, yy = 0, zz = 0, yz = 0, xz = 0, xy = 0;
  VITRA_HD Sym6 operator+(const Sym6& o) const {
    return {xx + o.xx, yy + o.yy, zz + o.zz, yz + o.yz, xz + o.xz, xy + o.xy};
  }
};
}  // namespace

Mat3 kinetic_tensor(const System& s) {
  const std::size_t n = s.size();
  const double* v = s.velocities.data();
  const double* m = s.masses.data();
  const Sym6 t = transform_reduce(
      n, Sym6{},
      [=] VITRA_HD_LAMBDA(std::size_t i) {
        const Vec3 u = load_vec3(v, n, i);
        const double w = m[i];
        return Sym6{w * u.x * u.x, w * u.y * u.y, w * u.z * u.z, w * u.y * u.z, w * u.x * u.z, w * u.x * u.y};
      },
      Plus{});
  Mat3 k;
  k.m[0][0] = t.xx;
  k.m[1][1] = t.yy;
  k.m[2][2] = t.zz;
  k.m[1][2] = k.m[2][1] = t.yz;
  k.m[0][2] = k.m[2][0] = t.xz;
  k.m[0][1] = k.m[1][0] = t.xy;
  for (auto& row : k.m)
    for (double& x : row) x *= units::kMvv2e;
  return k;
}

Vec3 total_momentum(const System& s) {
  const std::size_t n = s.size();
  const double* v = s.velocities.data();
  const double* m = s.masses.data();
  return transform_reduce(
      n, Vec3{}, [=] VITRA_HD_LAMBDA(std::size_t i) { return m[i] * load_vec3(v, n, i); }, Plus{});
}

void remove_com_momentum(System& s) {
  const std::size_t n = s.size();
  if (n == 0) return;
  const Vec3 vcm = (1.0 / s.total_mass()) * total_momentum(s);
  double* v = s.velocities.data();
  for_each(n, [=] VITRA_HD_LAMBDA(std::size_t i) { store_vec3(v, n, i, load_vec3(v, n, i) - vcm); });
}

std::size_t degrees_of_freedom(const System& s, bool com_fixed) {
  const std::size_t dof = 3 * s.size();
  return (com_fixed && dof > 3) ? dof - 3 : dof;
}

double temperature(const System& s, bool com_fixed) {
  const std::size_t dof = degrees_of_freedom(s, com_fixed);
  if (dof == 0) return 0.0;
  return 2.0 * kinetic_energy(s) / (static_cast<double>(dof) * units::kBoltzmann);
}

void scale_velocities(System& s, double factor) {
  const std::size_t n3 = 3 * s.size();
  double* v = s.velocities.data();
  for_each(n3, [=] VITRA_HD_LAMBDA(std::size_t k) { v[k] *= factor; });
}

void scale_velocities(System& s, const double* factor) {
  const std::size_t n3 = 3 * s.size();
  double* v = s.velocities.data();
  for_each(n3, [=] VITRA_HD_LAMBDA(std::size_t k) { v[k] *= *factor; });
}

}  // namespace vitra
