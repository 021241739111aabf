// ShikPotential under the CUDA backend against the CPU backend: energy,
// forces, virial, per-atom energies and virials on random Li–B–Si–O systems
// (a cell narrower than the 10 Å cutoff, a few cutoffs wide with ~3k atoms),
// before and after a move that rebuilds the list; and a forces-only request.
// Skips without a GPU.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "kernels/classical/shik_potential.hpp"
#include "tests/common/backend_guard.hpp"
#include "tests/common/random_cells.hpp"
#include "tests/common/seed.hpp"
#include "tests/common/shik_cases.hpp"

using namespace vitra;
using test::BackendGuard;
using test::fresh_seed;

namespace {

using test::lbso_type_map;
std::vector<ShikPairParams> spec_pairs() { return test::shik_spec_pairs(); }

struct HostCase {
  Mat3 h;
  std::vector<int> types;
  std::vector<Vec3> x, moved;
  std::vector<double> q;
};

struct Result {
  double energy = 0;
  Mat3 virial;
  std::vector<Vec3> forces;
  std::vector<double> atom_energy, atom_virial;
};

// A random SHIK case (shik_cases.hpp) and the same atoms moved far enough
// for the list to be rebuilt.
HostCase random_case(std::mt19937_64& rng, double lmin, double lmax) {
  const test::ShikCase sc = test::random_shik_case(rng, lmin, lmax, 0.3);
  HostCase c;
  c.h = sc.h;
  c.types = sc.types;
  c.x = sc.x;
  c.q = sc.q;
  std::normal_distribution<double> g(0.0, 1.0);
  Vec3 shift{g(rng), g(rng), g(rng)};
  shift = (0.8 / norm(shift)) * shift;  // 2·0.8 Å > skin: rebuild
  c.moved = c.x;
  for (Vec3& r : c.moved) r += shift + 0.05 * Vec3{g(rng), g(rng), g(rng)};
  return c;
}

Result snapshot(ShikPotential& pot, System& s) {
  ComputeRequest req;
  req.atom_energy = req.atom_virial = true;
  const ComputeResult cr = pot.compute(s, req);
  return {cr.energy, cr.virial, s.host_forces(), pot.atom_energy().to_host(), pot.atom_virial().to_host()};
}

std::vector<Result> run_on(Backend backend, const HostCase& c) {
  BackendGuard guard(backend);
  ShikPotential pot(c.q, spec_pairs());
  System s(Box(c.h), lbso_type_map(), c.types, c.x);
  std::vector<Result> out;
  out.push_back(snapshot(pot, s));
  s.set_positions(c.moved);
  out.push_back(snapshot(pot, s));
  return out;
}

double max_abs(const std::vector<double>& v) {
  double m = 0;
  for (double x : v) m = std::max(m, std::fabs(x));
  return m;
}

void expect_same(const Result& gpu, const Result& cpu, double rel) {
  const std::size_t n = cpu.forces.size();
  ASSERT_EQ(gpu.forces.size(), n);
  ASSERT_EQ(gpu.atom_energy.size(), n);
  ASSERT_EQ(gpu.atom_virial.size(), 9 * n);
  double ae_abs = 0;
  for (double e : cpu.atom_energy) ae_abs += std::fabs(e);
  EXPECT_NEAR(gpu.energy, cpu.energy, rel * std::max(ae_abs, 1.0));
  std::vector<double> w, f;
  for (int a = 0; a < 3; ++a)
    for (int b = 0; b < 3; ++b) w.push_back(cpu.virial.m[a][b]);
  const double w_scale = std::max(max_abs(w), 1.0);
  for (int a = 0; a < 3; ++a)
    for (int b = 0; b < 3; ++b) EXPECT_NEAR(gpu.virial.m[a][b], cpu.virial.m[a][b], rel * w_scale) << a << b;
  for (const Vec3& v : cpu.forces)
    for (int k = 0; k < 3; ++k) f.push_back(v[k]);
  const double f_scale = std::max(max_abs(f), 1.0);
  for (std::size_t i = 0; i < n; ++i)
    for (int k = 0; k < 3; ++k) ASSERT_NEAR(gpu.forces[i][k], cpu.forces[i][k], rel * f_scale) << "atom " << i;
  const double ae_scale = std::max(max_abs(cpu.atom_energy), 1.0);
  for (std::size_t i = 0; i < n; ++i) ASSERT_NEAR(gpu.atom_energy[i], cpu.atom_energy[i], rel * ae_scale) << i;
  const double aw_scale = std::max(max_abs(cpu.atom_virial), 1.0);
  for (std::size_t k = 0; k < 9 * n; ++k) ASSERT_NEAR(gpu.atom_virial[k], cpu.atom_virial[k], rel * aw_scale) << k;
}

}  // namespace

TEST(ShikGpu, RandomSystemsMatchCpu) {
  VITRA_REQUIRE_CUDA();
  const auto seed = fresh_seed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  for (int rep = 0; rep < 4; ++rep) {
    SCOPED_TRACE("case " + std::to_string(rep));
    const HostCase c = rep % 2 == 0 ? random_case(rng, 6.0, 9.0) : random_case(rng, 30.0, 36.0);
    const std::vector<Result> gpu = run_on(Backend::Cuda, c);
    const std::vector<Result> cpu = run_on(Backend::Cpu, c);
    for (std::size_t k = 0; k < cpu.size(); ++k) {
      SCOPED_TRACE("evaluation " + std::to_string(k));
      expect_same(gpu[k], cpu[k], 1e-10);
    }
    if (::testing::Test::HasFatalFailure()) return;
  }
}

TEST(ShikGpu, ForcesOnlyRequestMatchesFullRequest) {
  VITRA_REQUIRE_CUDA();
  const auto seed = fresh_seed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  const HostCase c = random_case(rng, 30.0, 36.0);
  BackendGuard guard(Backend::Cuda);
  ShikPotential pot(c.q, spec_pairs());
  System s(Box(c.h), lbso_type_map(), c.types, c.x);
  pot.compute(s);
  const std::vector<Vec3> full = s.host_forces();
  ComputeRequest forces_only;
  forces_only.energy = forces_only.virial = false;
  EXPECT_EQ(pot.compute(s, forces_only).energy, 0.0);
  const std::vector<Vec3> f = s.host_forces();
  for (std::size_t i = 0; i < f.size(); ++i)
    for (int k = 0; k < 3; ++k) ASSERT_EQ(f[i][k], full[i][k]) << "atom " << i;
}
