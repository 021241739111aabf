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

using namespace vitra;
using test::BackendGuard;
using test::fresh_seed;

namespace {

TypeMap lbso_type_map() {
  TypeMap tm;
  tm.names = {"O", "B", "Si", "Li"};
  tm.masses = {15.999, 10.81, 28.085, 6.94};
  return tm;
}

// The spec's SHIK table (forcefield-sources.md §1.2), types O, B, Si, Li.
std::vector<ShikPairParams> spec_pairs() {
  return {
      {0, 0, 1120.528996, 2.892741833, 26.13207696, 16800},  {2, 0, 23107.84764, 5.097856735, 139.6947857, 66},
      {2, 2, 2797.979165, 4.407320018, 0, 3423204},          {1, 0, 16182.14122, 5.6068912, 59.20266682, 32},
      {1, 1, 1805.537033, 3.822750437, 69.1743994, 6000},    {1, 2, 4798.0, 3.6703, 207.00, 16800},
      {3, 0, 6745.2, 4.9120, 41.221, 70},                    {3, 2, 17284, 4.3848, 0, 16800},
      {3, 3, 2323.8, 3.9129, 0, 3240},                       {3, 1, 4148.6, 3.5726, 102.36, 16800},
  };
}

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

HostCase random_case(std::mt19937_64& rng, double lmin, double lmax) {
  HostCase c;
  c.h = test::randomly_rotated(rng, test::random_cell(rng, lmin, lmax, 0.3));
  const Vec3 d = Box(c.h).face_distances();
  int m[3];
  for (int k = 0; k < 3; ++k) m[k] = std::max(1, static_cast<int>(d[k] / 2.3));
  std::uniform_real_distribution<double> j(-0.1, 0.1);
  for (int a = 0; a < m[0]; ++a)
    for (int b = 0; b < m[1]; ++b)
      for (int e = 0; e < m[2]; ++e) {
        c.x.push_back(Vec3{(a + 0.5 + j(rng)) / m[0], (b + 0.5 + j(rng)) / m[1], (e + 0.5 + j(rng)) / m[2]} * c.h);
        c.types.push_back(rng() % 2 == 0 ? 0 : 1 + static_cast<int>(rng() % 3));
      }
  c.types[0] = 0;
  const double cation[4] = {0.0, 1.6126, 1.7755, 0.5727};
  double sum = 0;
  long long n_o = 0;
  for (int t : c.types) (t == 0 ? (void)++n_o : (void)(sum += cation[t]));
  c.q = {-sum / n_o, cation[1], cation[2], cation[3]};
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
