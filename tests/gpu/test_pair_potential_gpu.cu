// PairPotential under the CUDA backend against the CPU backend: energy,
// forces, virial and per-atom energies and virials on random triclinic
// systems (cells narrower than the cutoff, a few cutoffs wide, ~20k atoms),
// before and after moves that do and do not rebuild the list. Skips without
// a GPU.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "kernels/pair/pair_potential.hpp"
#include "tests/common/seed.hpp"
#include "tests/common/backend_guard.hpp"
#include "tests/common/random_cells.hpp"
#include "tests/common/random_system.hpp"

using namespace vitra;
using test::fresh_seed;
using test::BackendGuard;

namespace {

constexpr int kTypes = 3;

struct HostCase {
  Mat3 h;
  std::vector<int> types;
  std::vector<Vec3> x, moved_small, moved_large;
  // Per unordered type pair: form (0 none, 1 LJ, 2 Buckingham), parameters, rc, shift.
  struct Term {
    int form = 0;
    double p[3] = {0, 0, 0};
    double rc = 0;
    bool shift = false;
  } terms[kTypes][kTypes];
};

struct Result {
  double energy = 0;
  Mat3 virial;
  std::vector<Vec3> forces;
  std::vector<double> atom_energy, atom_virial;
};

// Up to n atoms of a jittered grid of ~2.4 Å spacing, in random order:
// random, but without the close contacts where LJ and Buckingham blow up.
std::vector<Vec3> jittered_sample(std::mt19937_64& rng, const Mat3& h, std::size_t& n) {
  std::vector<Vec3> x = test::jittered_grid(rng, h, 2.4, 0.12);
  std::shuffle(x.begin(), x.end(), rng);
  if (x.size() > n) x.resize(n);
  n = x.size();
  return x;
}

HostCase random_case(std::mt19937_64& rng, int kind) {
  std::uniform_real_distribution<double> U(0.0, 1.0);
  HostCase c;
  double rc_max = 0;
  for (int a = 0; a < kTypes; ++a)
    for (int b = a; b < kTypes; ++b) {
      HostCase::Term t;
      t.form = U(rng) < 0.5 ? 1 : 2;
      if (t.form == 1) {
        t.p[0] = 0.02 + 0.3 * U(rng);
        t.p[1] = 1.8 + 0.5 * U(rng);
      } else {
        t.p[0] = 500 + 2500 * U(rng);
        t.p[1] = 0.2 + 0.13 * U(rng);
        t.p[2] = 60 * U(rng);
      }
      t.rc = 4.0 + 2.0 * U(rng);
      t.shift = U(rng) < 0.5;
      rc_max = std::max(rc_max, t.rc);
      c.terms[a][b] = c.terms[b][a] = t;
    }
  std::size_t n;
  if (kind == 0) {  // narrower than the cutoff: images of an atom itself interact
    c.h = test::randomly_rotated(rng, test::random_cell(rng, 0.6 * rc_max, 0.95 * rc_max, 0.2));
    n = 1 + rng() % 4;
  } else if (kind == 1) {  // one to two cutoffs
    c.h = test::randomly_rotated(rng, test::random_cell(rng, rc_max, 2 * rc_max, 0.3));
    n = 200;
  } else {  // ~20k atoms, skewed
    c.h = test::randomly_rotated(rng, test::random_cell(rng, 60, 70, 0.4));
    n = 20000;
  }
  c.x = jittered_sample(rng, c.h, n);
  for (std::size_t i = 0; i < n; ++i) c.types.push_back(static_cast<int>(rng() % kTypes));
  std::normal_distribution<double> g(0.0, 1.0);
  c.moved_small = c.moved_large = c.x;
  for (Vec3& r : c.moved_small) {
    const Vec3 u{g(rng), g(rng), g(rng)};
    r += (0.2 / norm(u)) * u;  // 2·0.2 Å < skin: no rebuild
  }
  // A common translation of 0.8 Å (2·0.8 > skin: rebuild) and a little
  // noise, which keeps the atoms apart.
  Vec3 shift{g(rng), g(rng), g(rng)};
  shift = (0.8 / norm(shift)) * shift;
  for (Vec3& r : c.moved_large) r += shift + 0.1 * Vec3{g(rng), g(rng), g(rng)};
  return c;
}

Result snapshot(PairPotential& pot, System& s) {
  ComputeRequest req;
  req.atom_energy = req.atom_virial = true;
  const ComputeResult cr = pot.compute(s, req);
  return {cr.energy, cr.virial, s.host_forces(), pot.atom_energy().to_host(), pot.atom_virial().to_host()};
}

// Three evaluations: at x, after a small move, after a large one.
std::vector<Result> run_on(Backend backend, const HostCase& c, long long& builds) {
  BackendGuard guard(backend);
  PairPotential pot(kTypes, 1.0);
  for (int a = 0; a < kTypes; ++a)
    for (int b = a; b < kTypes; ++b) {
      const HostCase::Term& t = c.terms[a][b];
      if (t.form == 1) pot.set_lennard_jones(a, b, t.p[0], t.p[1], t.rc, t.shift);
      if (t.form == 2) pot.set_buckingham(a, b, t.p[0], t.p[1], t.p[2], t.rc, t.shift);
    }
  System s(Box(c.h), test::lbo_type_map(), c.types, c.x);
  std::vector<Result> out;
  out.push_back(snapshot(pot, s));
  s.set_positions(c.moved_small);
  out.push_back(snapshot(pot, s));
  s.set_positions(c.moved_large);
  out.push_back(snapshot(pot, s));
  builds = pot.neighbor_list().stats().builds;
  return out;
}

double max_abs(const std::vector<double>& v) {
  double m = 0;
  for (double x : v) m = std::max(m, std::fabs(x));
  return m;
}

// Relative to each array's largest magnitude, floored at 1 (eV, eV/Å):
// sums that cancel to ~0 (a lone atom among its own images) may differ by
// rounding in the order of the neighbors and in fused multiply-adds.
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

void compare_backends(const HostCase& c) {
  long long gpu_builds = 0, cpu_builds = 0;
  const std::vector<Result> gpu = run_on(Backend::Cuda, c, gpu_builds);
  const std::vector<Result> cpu = run_on(Backend::Cpu, c, cpu_builds);
  EXPECT_EQ(gpu_builds, 2);  // the first build and the one after the large move
  EXPECT_EQ(cpu_builds, 2);
  for (std::size_t k = 0; k < cpu.size(); ++k) {
    SCOPED_TRACE("evaluation " + std::to_string(k));
    expect_same(gpu[k], cpu[k], 1e-10);
  }
}

}  // namespace

TEST(PairPotentialGpu, RandomSystemsMatchCpu) {
  VITRA_REQUIRE_CUDA();
  const auto seed = fresh_seed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  for (int rep = 0; rep < 9; ++rep) {
    SCOPED_TRACE("case " + std::to_string(rep));
    compare_backends(random_case(rng, rep % 3));
    if (::testing::Test::HasFatalFailure()) return;
  }
}

// Forces alone on the device: the same forces as a full request.
TEST(PairPotentialGpu, ForcesOnlyRequestMatchesFullRequest) {
  VITRA_REQUIRE_CUDA();
  const auto seed = fresh_seed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  const HostCase c = random_case(rng, 2);
  BackendGuard guard(Backend::Cuda);
  PairPotential pot(kTypes);
  pot.set_lennard_jones(0, 0, 0.1, 2.2, 5.0, true);
  pot.set_buckingham(0, 1, 1388.77, 0.3623, 175.0, 5.5);
  pot.set_lennard_jones(2, 2, 0.05, 2.0, 4.5);
  System s(Box(c.h), test::lbo_type_map(), c.types, c.x);
  pot.compute(s);
  const std::vector<Vec3> full = s.host_forces();
  ComputeRequest forces_only;
  forces_only.energy = forces_only.virial = false;
  EXPECT_EQ(pot.compute(s, forces_only).energy, 0.0);
  const std::vector<Vec3> f = s.host_forces();
  for (std::size_t i = 0; i < f.size(); ++i)
    for (int k = 0; k < 3; ++k) ASSERT_EQ(f[i][k], full[i][k]) << "atom " << i;
}
