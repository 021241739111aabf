#include "kernels/integrate/npt_ase_update.hpp"

#include "cuda/for_each.cuh"
#include "cuda/reduce.cuh"
#include "kernels/kinetic.hpp"
#include "kernels/units.hpp"

namespace vitra::integrate::npt_ase {

namespace {
VITRA_HD Vec3 load_images(const int* img, std::size_t n, std::size_t i) {
  return {double(img[i]), double(img[i + n]), double(img[i + 2 * n])};
}
}  // namespace

void zero_total_momentum(System& s) {
  const std::size_t n = s.size();
  if (n == 0) return;
  const Vec3 p = total_momentum(s);
  const Vec3 p_per_atom = (1.0 / static_cast<double>(n)) * p;
  double* v = s.velocities.data();
  const double* m = s.masses.data();
  for_each(n, [=] VITRA_HD_LAMBDA(std::size_t i) {
    const Vec3 u = load_vec3(v, n, i);
    const Vec3 pi = m[i] * u - p_per_atom;
    store_vec3(v, n, i, (1.0 / m[i]) * pi);
  });
}

void scaled_positions(const System& s, const Mat3& inv_h, double* q) {
  const std::size_t n = s.size();
  const double* x = s.positions.data();
  const int* img = s.images.data();
  const Mat3 h = s.box.h;
  for_each(n, [=] VITRA_HD_LAMBDA(std::size_t i) {
    const Vec3 r = load_vec3(x, n, i) + load_images(img, n, i) * h;
    const Vec3 f = r * inv_h;
    store_vec3(q, n, i, Vec3{f.x - 0.5, f.y - 0.5, f.z - 0.5});
  });
}

void set_positions(System& s, const double* q) {
  const std::size_t n = s.size();
  double* x = s.positions.data();
  const int* img = s.images.data();
  const Mat3 h = s.box.h;
  for_each(n, [=] VITRA_HD_LAMBDA(std::size_t i) {
    const Vec3 qi = load_vec3(q, n, i);
    const Vec3 k = load_images(img, n, i);
    const Vec3 f{(qi.x + 0.5) - k.x, (qi.y + 0.5) - k.y, (qi.z + 0.5) - k.z};
    store_vec3(x, n, i, f * h);
  });
}

void past_from_velocities(std::size_t n, const double* q, const double* v, const Mat3& inv_h, double dt,
                          double* q_past) {
  for_each(n, [=] VITRA_HD_LAMBDA(std::size_t i) {
    store_vec3(q_past, n, i, load_vec3(q, n, i) - dt * (load_vec3(v, n, i) * inv_h));
  });
}

void future_and_velocities(const System& s, const double* q, const double* q_past, double* q_future,
                           const Mat3& beta_m1, const Mat3& inv_b, const Mat3& inv_h, const Mat3& h_2dt,
                           double dt, double* v_out) {
  const std::size_t n = s.size();
  const double* f = s.forces.data();
  const double* m = s.masses.data();
  const double dt2 = dt * dt;
  const double ftm2v = 1.0 / units::kMvv2e;  // eV/(Å·amu) -> Å/ps²
  for_each(n, [=] VITRA_HD_LAMBDA(std::size_t i) {
    const Vec3 a = (ftm2v / m[i]) * load_vec3(f, n, i);
    const Vec3 alpha = dt2 * (a * inv_h);
    const Vec3 qp = load_vec3(q_past, n, i);
    const Vec3 qf = (2.0 * load_vec3(q, n, i) + qp * beta_m1 + alpha) * inv_b;
    store_vec3(q_future, n, i, qf);
    store_vec3(v_out, n, i, (qf - qp) * h_2dt);
  });
}

void velocities_from_scaled(System& s, const double* q_past, const double* q_future, const Mat3& h_2dt) {
  const std::size_t n = s.size();
  double* v = s.velocities.data();
  for_each(n, [=] VITRA_HD_LAMBDA(std::size_t i) {
    store_vec3(v, n, i, (load_vec3(q_future, n, i) - load_vec3(q_past, n, i)) * h_2dt);
  });
}

double mean_kinetic_energy(const System& s, const double* v) {
  const std::size_t n = s.size();
  if (n == 0) return 0.0;
  const double* m = s.masses.data();
  const double twice = transform_reduce(
      n, 0.0, [=] VITRA_HD_LAMBDA(std::size_t i) { return m[i] * norm2(load_vec3(v, n, i)); }, Plus{});
  return 0.5 * twice * units::kMvv2e / static_cast<double>(n);
}

void reflect(std::size_t n, const double* v0, double* v) {
  for_each(3 * n, [=] VITRA_HD_LAMBDA(std::size_t k) { v[k] = (v0[k] - v[k]) + v0[k]; });
}

double max_position_mismatch(const System& s, const double* q) {
  const std::size_t n = s.size();
  const double* x = s.positions.data();
  const int* img = s.images.data();
  const Mat3 h = s.box.h;
  return transform_reduce(
      n, 0.0,
      [=] VITRA_HD_LAMBDA(std::size_t i) {
        const Vec3 qi = load_vec3(q, n, i);
        const Vec3 k = load_images(img, n, i);
        const Vec3 f{(qi.x + 0.5) - k.x, (qi.y + 0.5) - k.y, (qi.z + 0.5) - k.z};
        const Vec3 d = load_vec3(x, n, i) - f * h;
        return fmax(fabs(d.x), fmax(fabs(d.y), fabs(d.z)));
      },
      Max{});
}

}  // namespace vitra::integrate::npt_ase
