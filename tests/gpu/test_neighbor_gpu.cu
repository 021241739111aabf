// Neighbor lists under the CUDA backend against the CPU backend: the same
// Verlet sets (j, image), the same sel-sorted slots and overflow report, the
// same rebuild decisions. Skips without a GPU.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "kernels/neighbor/neighbor_list.hpp"
#include "tests/common/seed.hpp"
#include "tests/common/backend_guard.hpp"
#include "tests/common/random_cells.hpp"
#include "tests/common/random_system.hpp"

using namespace vitra;
using test::fresh_seed;
using test::BackendGuard;

namespace {

struct HostCase {
  Mat3 h;
  std::vector<int> types;
  std::vector<Vec3> x;
};

struct Result {
  std::vector<std::vector<std::pair<int, int>>> verlet;  // per atom, sorted (j, packed shift)
  std::vector<int> sel_index, sel_shift;
  std::vector<double> sel_rij;
  SelOverflow overflow;
  std::vector<int> type_counts;
  double shift_bound = 0;
  bool rebuild_after_small = false, rebuild_after_large = false;
};

Result run_on(Backend b, const HostCase& c, const NeighborParams& p, const std::vector<Vec3>& moved_small,
              const std::vector<Vec3>& moved_large) {
  BackendGuard guard(b);
  System s(Box(c.h), test::lbo_type_map(), c.types, c.x);
  NeighborList nl(p);
  nl.build(s);
  Result r;
  const auto cnt = nl.host_counts();
  const auto nb = nl.host_neighbors();
  const auto sh = nl.host_shifts();
  const std::size_t cap = static_cast<std::size_t>(nl.capacity());
  r.verlet.resize(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    for (int k = 0; k < cnt[i]; ++k) r.verlet[i].push_back({nb[i * cap + k], sh[i * cap + k]});
    std::sort(r.verlet[i].begin(), r.verlet[i].end());
  }
  r.shift_bound = nl.stats().shift_bound;
  s.set_positions(moved_small);
  r.rebuild_after_small = nl.needs_rebuild(s);
  r.overflow = nl.build_sel(s);  // sel at the displaced positions, from the old list
  r.sel_index = nl.host_sel_index();
  r.sel_shift = nl.host_sel_shift();
  r.sel_rij = nl.host_sel_rij();
  r.type_counts = nl.host_type_counts(s);
  s.set_positions(moved_large);
  r.rebuild_after_large = nl.needs_rebuild(s);
  return r;
}

void compare_backends(const HostCase& c, const NeighborParams& p, std::mt19937_64& rng) {
  std::normal_distribution<double> g(0.0, 1.0);
  std::vector<Vec3> small = c.x, large = c.x;
  for (auto& r : small) {
    Vec3 u{g(rng), g(rng), g(rng)};
    r += (0.4 * p.skin / norm(u)) * u;
  }
  large[rng() % large.size()] += Vec3{0.0, 0.0, 0.6 * p.skin};
  const Result gpu = run_on(Backend::Cuda, c, p, small, large);
  const Result cpu = run_on(Backend::Cpu, c, p, small, large);
  ASSERT_EQ(gpu.verlet.size(), cpu.verlet.size());
  for (std::size_t i = 0; i < cpu.verlet.size(); ++i) ASSERT_EQ(gpu.verlet[i], cpu.verlet[i]) << "atom " << i;
  EXPECT_EQ(gpu.sel_index, cpu.sel_index);
  EXPECT_EQ(gpu.sel_shift, cpu.sel_shift);
  ASSERT_EQ(gpu.sel_rij.size(), cpu.sel_rij.size());
  for (std::size_t k = 0; k < cpu.sel_rij.size(); ++k) ASSERT_NEAR(gpu.sel_rij[k], cpu.sel_rij[k], 1e-12) << k;
  EXPECT_EQ(gpu.overflow.atoms, cpu.overflow.atoms);
  EXPECT_EQ(gpu.overflow.worst_atom, cpu.overflow.worst_atom);
  EXPECT_EQ(gpu.overflow.worst_type, cpu.overflow.worst_type);
  EXPECT_EQ(gpu.overflow.worst_count, cpu.overflow.worst_count);
  EXPECT_EQ(gpu.type_counts, cpu.type_counts);
  EXPECT_NEAR(gpu.shift_bound, cpu.shift_bound, 1e-9);
  EXPECT_FALSE(gpu.rebuild_after_small);
  EXPECT_FALSE(cpu.rebuild_after_small);
  EXPECT_TRUE(gpu.rebuild_after_large);
  EXPECT_TRUE(cpu.rebuild_after_large);
}

}  // namespace

TEST(NeighborGpu, RandomCellsMatchCpu) {
  VITRA_REQUIRE_CUDA();
  const auto seed = fresh_seed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> U(0.0, 1.0);
  for (int rep = 0; rep < 12; ++rep) {
    SCOPED_TRACE("cell " + std::to_string(rep));
    NeighborParams p;
    p.rcut = 3.0 + 3.0 * U(rng);
    p.skin = 0.5 + U(rng);
    const double rl = p.rcut + p.skin;
    HostCase c;
    std::size_t n;
    if (rep % 3 == 0) {  // narrower than the cutoff
      c.h = test::randomly_rotated(rng, test::random_cell(rng, 0.3 * p.rcut, 0.95 * p.rcut, 0.4));
      n = 1 + rng() % 16;
    } else if (rep % 3 == 1) {  // between 1x and 2x the list radius
      c.h = test::randomly_rotated(rng, test::random_cell(rng, rl, 2 * rl, 0.3));
      n = static_cast<std::size_t>(0.08 * Box(c.h).volume()) + 2;
    } else {  // large and skewed, ~20k atoms
      c.h = test::randomly_rotated(rng, test::random_cell(rng, 55, 70, 0.5));
      n = 20000;
    }
    c.x = test::random_positions(rng, c.h, n, 0.05);
    c.types.resize(n);
    for (auto& t : c.types) t = static_cast<int>(rng() % 3);
    // Half the cases with a sel small enough to overflow (truncated, nearest kept).
    const int per_type = rep % 2 == 0 ? 200 : static_cast<int>(0.5 * 0.08 / 3 * 4.19 * p.rcut * p.rcut * p.rcut) + 1;
    p.sel = {per_type, per_type, per_type};
    p.truncate_sel = true;
    compare_backends(c, p, rng);
    if (::testing::Test::HasFailure()) return;
  }
}

TEST(NeighborGpu, GlassLikeSystemMatchesCpu) {
  VITRA_REQUIRE_CUDA();
  const auto seed = fresh_seed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  System s = test::random_system(rng, 50000);
  HostCase c{s.box.h, s.host_types(), s.host_positions()};
  NeighborParams p;
  p.rcut = 6.0;
  p.skin = 1.0;
  p.sel = {60, 60, 60};
  p.initial_capacity = 16;  // the capacity grows on the device too
  compare_backends(c, p, rng);
}
