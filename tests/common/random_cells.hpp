#pragma once
// Random test inputs: triclinic cells and atoms, drawn fresh from a seed.
#include <algorithm>
#include <random>
#include <vector>

#include "kernels/box.hpp"
#include "kernels/vec3.hpp"

namespace vitra::test {

// A random right-handed triclinic cell: lengths in [lmin, lmax], tilts up to
// `skew` of the lower-triangular diagonal (LAMMPS-style, a along x).
inline Mat3 random_cell(std::mt19937_64& rng, double lmin, double lmax, double skew) {
  std::uniform_real_distribution<double> len(lmin, lmax), tilt(-skew, skew);
  Mat3 h;
  h.m[0][0] = len(rng);
  h.m[1][1] = len(rng);
  h.m[2][2] = len(rng);
  h.m[1][0] = tilt(rng) * h.m[0][0];
  h.m[2][0] = tilt(rng) * h.m[0][0];
  h.m[2][1] = tilt(rng) * h.m[1][1];
  return h;
}

// A random rotation applied to a cell (rows rotate together), so general
// (not lower-triangular) cells are covered too.
inline Mat3 randomly_rotated(std::mt19937_64& rng, const Mat3& h) {
  std::normal_distribution<double> g(0.0, 1.0);
  // Gram–Schmidt on random vectors gives a uniformly random rotation.
  Vec3 u{g(rng), g(rng), g(rng)};
  u = (1.0 / norm(u)) * u;
  Vec3 v{g(rng), g(rng), g(rng)};
  v = v - dot(u, v) * u;
  v = (1.0 / norm(v)) * v;
  const Vec3 w = cross(u, v);
  const Mat3 R = Mat3::from_rows(u, v, w);
  return h * R;
}

// n positions uniform in the cell, plus a margin of `outside` cell fractions
// beyond it on each side (to test wrapping).
inline std::vector<Vec3> random_positions(std::mt19937_64& rng, const Mat3& h, std::size_t n,
                                          double outside = 0.0) {
  std::uniform_real_distribution<double> u(-outside, 1.0 + outside);
  std::vector<Vec3> r(n);
  for (auto& p : r) p = Vec3{u(rng), u(rng), u(rng)} * h;
  return r;
}

// Points on a grid of about `spacing` Å in the cell h, each fractional
// coordinate displaced by up to ±jitter of a grid step: random positions
// without the close contacts where short-range repulsions blow up.
inline std::vector<Vec3> jittered_grid(std::mt19937_64& rng, const Mat3& h, double spacing, double jitter) {
  const Vec3 d = Box(h).face_distances();
  int m[3];
  for (int k = 0; k < 3; ++k) m[k] = std::max(1, static_cast<int>(d[k] / spacing));
  std::uniform_real_distribution<double> j(-jitter, jitter);
  std::vector<Vec3> x;
  for (int a = 0; a < m[0]; ++a)
    for (int b = 0; b < m[1]; ++b)
      for (int e = 0; e < m[2]; ++e)
        x.push_back(Vec3{(a + 0.5 + j(rng)) / m[0], (b + 0.5 + j(rng)) / m[1], (e + 0.5 + j(rng)) / m[2]} * h);
  return x;
}

}  // namespace vitra::test
