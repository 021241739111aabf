#pragma once
// A random System for tests: a Li–B–O-like mixture in a random triclinic cell.
#include <random>
#include <vector>

#include "kernels/system.hpp"
#include "tests/common/random_cells.hpp"

namespace vitra::test {

inline TypeMap lbo_type_map() {
  TypeMap tm;
  tm.names = {"O", "B", "Li"};
  tm.masses = {15.999, 10.81, 6.94};
  return tm;
}

inline System random_system(std::mt19937_64& rng, std::size_t n, double outside = 0.0,
                            double velocity_scale = 5.0) {
  const double edge = std::cbrt(static_cast<double>(n) / 0.08);  // glass-like number density
  const Mat3 h = randomly_rotated(rng, random_cell(rng, 0.8 * edge, 1.2 * edge, 0.3));
  std::vector<int> types(n);
  std::vector<Vec3> v(n);
  std::normal_distribution<double> g(0.0, velocity_scale);
  for (std::size_t i = 0; i < n; ++i) {
    types[i] = static_cast<int>(rng() % 3);
    v[i] = {g(rng), g(rng), g(rng)};
  }
  return System(Box(h), lbo_type_map(), types, random_positions(rng, h, n, outside), v);
}

}  // namespace vitra::test
