#pragma once
// SHIK test inputs shared by the CPU and GPU suites: types O, B, Si, Li with
// the spec's table (forcefield-sources.md §1.2, the authors' precise values
// where given), and random Li–B–Si–O configurations with the neutralising
// oxygen charge.
#include <random>
#include <vector>

#include "kernels/classical/shik_potential.hpp"
#include "kernels/system.hpp"
#include "tests/common/random_cells.hpp"

namespace vitra::test {

inline TypeMap lbso_type_map() {
  TypeMap tm;
  tm.names = {"O", "B", "Si", "Li"};
  tm.masses = {15.999, 10.81, 28.085, 6.94};
  return tm;
}

constexpr double kShikCation[4] = {0.0, 1.6126, 1.7755, 0.5727};  // O's comes from neutrality

inline std::vector<ShikPairParams> shik_spec_pairs() {
  return {
      {0, 0, 1120.528996, 2.892741833, 26.13207696, 16800},  {2, 0, 23107.84764, 5.097856735, 139.6947857, 66},
      {2, 2, 2797.979165, 4.407320018, 0, 3423204},          {1, 0, 16182.14122, 5.6068912, 59.20266682, 32},
      {1, 1, 1805.537033, 3.822750437, 69.1743994, 6000},    {1, 2, 4798.0, 3.6703, 207.00, 16800},
      {3, 0, 6745.2, 4.9120, 41.221, 70},                    {3, 2, 17284, 4.3848, 0, 16800},
      {3, 3, 2323.8, 3.9129, 0, 3240},                       {3, 1, 4148.6, 3.5726, 102.36, 16800},
  };
}

struct ShikCase {
  Mat3 h;
  std::vector<int> types;
  std::vector<Vec3> x;
  std::vector<double> q;  // per type, the box neutral
};

// Atoms on a jittered grid of ~2.3 Å spacing in a random cell; half O.
inline ShikCase random_shik_case(std::mt19937_64& rng, double lmin, double lmax, double skew = 0.25) {
  ShikCase c;
  c.h = randomly_rotated(rng, random_cell(rng, lmin, lmax, skew));
  c.x = jittered_grid(rng, c.h, 2.3, 0.1);
  for (std::size_t i = 0; i < c.x.size(); ++i) c.types.push_back(rng() % 2 == 0 ? 0 : 1 + static_cast<int>(rng() % 3));
  c.types[0] = 0;  // at least one O
  double sum = 0.0;
  long long n_o = 0;
  for (int t : c.types) (t == 0 ? (void)++n_o : (void)(sum += kShikCation[t]));
  c.q = {-sum / n_o, kShikCation[1], kShikCation[2], kShikCation[3]};
  return c;
}

}  // namespace vitra::test
