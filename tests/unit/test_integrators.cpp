// Integrators and the minimiser on the CPU backend, on tethered atoms whose
// forces are known in closed form: velocity Verlet and the Nosé–Hoover chain
// against independent host loops, the dt² law of Verlet's energy error,
// bounded NVT conserved quantity, checkpoint state round trips, FIRE.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "kernels/integrate/fire.hpp"
#include "kernels/integrate/nose_hoover_nvt.hpp"
#include "kernels/integrate/velocity_verlet.hpp"
#include "kernels/integrate/verlet_update.hpp"
#include "kernels/kinetic.hpp"
#include "kernels/units.hpp"
#include "tests/common/random_system.hpp"
#include "tests/common/seed.hpp"
#include "tests/common/test_potentials.hpp"

using namespace vitra;
using namespace vitra::integrate;
using test::fresh_seed;

namespace {

struct TetherCase {
  System system;
  std::vector<Vec3> anchors;
  std::vector<double> k;  // per type, eV/Å²
};

// Atoms of random_system tethered to anchors displaced from their start by
// up to 0.3 Å, spring constants 1..10 eV/Å² per type.
TetherCase tether_case(std::mt19937_64& rng, std::size_t n) {
  TetherCase c{test::random_system(rng, n), {}, {}};
  std::uniform_real_distribution<double> off(-0.3, 0.3), kd(1.0, 10.0);
  for (const Vec3& r : c.system.host_positions()) c.anchors.push_back(r + Vec3{off(rng), off(rng), off(rng)});
  for (int t = 0; t < c.system.num_types(); ++t) c.k.push_back(kd(rng));
  return c;
}

struct HostState {
  std::vector<Vec3> x, v;
};

HostState host_state(const System& s) { return {s.host_positions(), s.host_velocities()}; }

std::vector<Vec3> tether_forces(const TetherCase& c, const std::vector<int>& types, const std::vector<Vec3>& x) {
  std::vector<Vec3> f(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) f[i] = -c.k[types[i]] * (x[i] - c.anchors[i]);
  return f;
}

double host_kinetic(const std::vector<double>& m, const std::vector<Vec3>& v) {
  double e = 0.0;
  for (std::size_t i = 0; i < v.size(); ++i) e += 0.5 * m[i] * norm2(v[i]) * units::kMvv2e;
  return e;
}

void expect_close(const std::vector<Vec3>& a, const std::vector<Vec3>& b, double tol, const char* what) {
  ASSERT_EQ(a.size(), b.size());
  double worst = 0.0, scale = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    worst = std::max(worst, norm(a[i] - b[i]));
    scale = std::max(scale, norm(b[i]));
  }
  EXPECT_LE(worst, tol * std::max(1.0, scale)) << what;
}

// Reference velocity Verlet written out on the host, optionally with the
// Nosé–Hoover chain half steps around it (the chain math itself is the
// shared VITRA_HD code; what is checked is the device plumbing around it).
HostState host_trajectory(const TetherCase& c, const System& s, double dt, int steps, const NhcParams* nhc) {
  HostState h = host_state(s);
  const std::vector<int> types = s.host_types();
  const std::vector<double> m = s.masses.to_host();
  NhcState chain;
  if (nhc) nhc_setup(chain, *nhc);
  auto thermostat = [&] {
    if (!nhc) return;
    const double f = nhc_half_step(chain, *nhc, host_kinetic(m, h.v));
    for (Vec3& v : h.v) v = f * v;
  };
  std::vector<Vec3> f = tether_forces(c, types, h.x);
  for (int step = 0; step < steps; ++step) {
    thermostat();
    for (std::size_t i = 0; i < h.x.size(); ++i) h.v[i] += (0.5 * dt * kFtm2v / m[i]) * f[i];
    for (std::size_t i = 0; i < h.x.size(); ++i) h.x[i] += dt * h.v[i];
    f = tether_forces(c, types, h.x);
    for (std::size_t i = 0; i < h.x.size(); ++i) h.v[i] += (0.5 * dt * kFtm2v / m[i]) * f[i];
    thermostat();
  }
  return h;
}

// Largest |E(t) − E(0)| of velocity Verlet over `time` ps.
double verlet_energy_error(TetherCase& c, const HostState& start, double dt, double time) {
  c.system.set_positions(start.x);
  c.system.set_velocities(start.v);
  test::HarmonicTether pot(c.anchors, c.k);
  VelocityVerlet vv(dt);
  const ComputeRequest req{true, false};
  double e0 = vv.setup(c.system, pot, {}, req).energy + kinetic_energy(c.system);
  double worst = 0.0;
  const int steps = static_cast<int>(std::lround(time / dt));
  for (int i = 0; i < steps; ++i) {
    const double e = vv.step(c.system, pot, {}, req).energy + kinetic_energy(c.system);
    worst = std::max(worst, std::fabs(e - e0));
  }
  return worst;
}

}  // namespace

TEST(VelocityVerlet, MatchesHostLoopOnTetheredAtoms) {
  const auto seed = fresh_seed();
  SCOPED_TRACE(seed);
  std::mt19937_64 rng(seed);
  TetherCase c = tether_case(rng, 60);
  const double dt = 0.001;
  const HostState ref = host_trajectory(c, c.system, dt, 300, nullptr);
  test::HarmonicTether pot(c.anchors, c.k);
  VelocityVerlet vv(dt);
  vv.setup(c.system, pot, {}, {});
  for (int i = 0; i < 300; ++i) vv.step(c.system, pot, {}, ComputeRequest{false, false});
  expect_close(c.system.host_positions(), ref.x, 1e-11, "positions");
  expect_close(c.system.host_velocities(), ref.v, 1e-11, "velocities");
  EXPECT_EQ(pot.calls, 301);  // one force evaluation per step
}

TEST(VelocityVerlet, EnergyErrorScalesWithDtSquared) {
  const auto seed = fresh_seed();
  SCOPED_TRACE(seed);
  std::mt19937_64 rng(seed);
  TetherCase c = tether_case(rng, 40);
  const HostState start = host_state(c.system);
  const double e2 = verlet_energy_error(c, start, 0.002, 1.0);
  const double e1 = verlet_energy_error(c, start, 0.001, 1.0);
  const double e05 = verlet_energy_error(c, start, 0.0005, 1.0);
  EXPECT_GT(e2, 0.0);
  EXPECT_NEAR(e2 / e1, 4.0, 0.6);
  EXPECT_NEAR(e1 / e05, 4.0, 0.4);
}

TEST(NoseHooverNvt, DeviceChainMatchesHostChain) {
  const auto seed = fresh_seed();
  SCOPED_TRACE(seed);
  std::mt19937_64 rng(seed);
  TetherCase c = tether_case(rng, 50);
  const double dt = 0.001;
  NhcSettings set;
  set.tdamp = 0.02;  // strong coupling so that the chain matters within the run
  set.length = 4;
  set.loops = 2;
  // Written out rather than from particle_chain_params, to check that too.
  NhcParams p;
  p.length = set.length;
  p.loops = set.loops;
  p.dof = static_cast<double>(3 * c.system.size() - 3);
  p.mass_dof = p.dof;
  p.t_target = 600.0;
  p.t_freq = 1.0 / set.tdamp;
  p.dt = dt;
  const HostState ref = host_trajectory(c, c.system, dt, 400, &p);

  test::HarmonicTether pot(c.anchors, c.k);
  NoseHooverNvt nvt(dt, set);
  StepTargets t;
  t.temperature = 600.0;
  nvt.setup(c.system, pot, t, {});
  for (int i = 0; i < 400; ++i) nvt.step(c.system, pot, t, ComputeRequest{false, false});
  expect_close(c.system.host_positions(), ref.x, 1e-10, "positions");
  expect_close(c.system.host_velocities(), ref.v, 1e-10, "velocities");
  EXPECT_NE(nvt.chain().eta[0], 0.0);
}

// The extended energy E_pot + E_kin + E_chain is conserved up to the
// integrator's O(dt²) error: halving dt divides its largest excursion by 4,
// while the chain exchanges far more energy than that with the atoms.
TEST(NoseHooverNvt, ConservedQuantityErrorScalesWithDtSquared) {
  const auto seed = fresh_seed();
  SCOPED_TRACE(seed);
  std::mt19937_64 rng(seed);
  TetherCase c = tether_case(rng, 100);
  const HostState start = host_state(c.system);
  double worst[2] = {0.0, 0.0}, exchanged = 0.0;
  for (int run = 0; run < 2; ++run) {
    const double dt = run == 0 ? 0.001 : 0.0005;
    c.system.set_positions(start.x);
    c.system.set_velocities(start.v);
    test::HarmonicTether pot(c.anchors, c.k);
    NoseHooverNvt nvt(dt, NhcSettings{0.05, 3, 1});
    StepTargets t;
    t.temperature = 300.0;
    const ComputeRequest req{true, false};
    const double h0 = nvt.setup(c.system, pot, t, req).energy + kinetic_energy(c.system) + nvt.reservoir_energy();
    const int steps = static_cast<int>(std::lround(1.5 / dt));
    for (int i = 0; i < steps; ++i) {
      const double e = nvt.step(c.system, pot, t, req).energy + kinetic_energy(c.system);
      const double r = nvt.reservoir_energy();
      worst[run] = std::max(worst[run], std::fabs(e + r - h0));
      exchanged = std::max(exchanged, std::fabs(r));
    }
  }
  EXPECT_GT(exchanged, 100.0 * worst[0]);
  EXPECT_NEAR(worst[0] / worst[1], 4.0, 0.7);
}

TEST(NoseHooverNvt, SavedStateContinuesBitForBit) {
  const auto seed = fresh_seed();
  SCOPED_TRACE(seed);
  std::mt19937_64 rng(seed);
  TetherCase c = tether_case(rng, 30);
  test::HarmonicTether pot(c.anchors, c.k);
  StepTargets t;
  t.temperature = 900.0;
  const ComputeRequest none{false, false};
  NoseHooverNvt a(0.001, NhcSettings{0.03, 3, 1});
  a.setup(c.system, pot, t, {});
  for (int i = 0; i < 50; ++i) a.step(c.system, pot, t, none);
  const std::vector<double> saved = a.save_state();
  const HostState mid = host_state(c.system);
  for (int i = 0; i < 50; ++i) a.step(c.system, pot, t, none);
  const HostState end_a = host_state(c.system);

  c.system.set_positions(mid.x);
  c.system.set_velocities(mid.v);
  NoseHooverNvt b(0.001, NhcSettings{0.03, 3, 1});
  b.setup(c.system, pot, t, {});
  b.load_state(saved);
  for (int i = 0; i < 50; ++i) b.step(c.system, pot, t, none);
  const HostState end_b = host_state(c.system);
  for (std::size_t i = 0; i < end_a.x.size(); ++i) {
    for (int k = 0; k < 3; ++k) {
      EXPECT_EQ(end_a.x[i][k], end_b.x[i][k]);
      EXPECT_EQ(end_a.v[i][k], end_b.v[i][k]);
    }
  }
  EXPECT_THROW(b.load_state(std::vector<double>(3, 0.0)), std::invalid_argument);
  VelocityVerlet vv(0.001);
  EXPECT_THROW(vv.load_state(saved), std::invalid_argument);
}

TEST(NoseHooverNvt, RejectsBadSettings) {
  EXPECT_THROW(NoseHooverNvt(0.001, NhcSettings{0.0, 3, 1}), std::invalid_argument);
  EXPECT_THROW(NoseHooverNvt(0.001, NhcSettings{0.1, 0, 1}), std::invalid_argument);
  EXPECT_THROW(NoseHooverNvt(0.001, NhcSettings{0.1, kMaxChain + 1, 1}), std::invalid_argument);
}

TEST(Fire, ReachesTheTetherAnchors) {
  const auto seed = fresh_seed();
  SCOPED_TRACE(seed);
  std::mt19937_64 rng(seed);
  TetherCase c = tether_case(rng, 80);
  const std::vector<Vec3> v0 = c.system.host_velocities();
  test::HarmonicTether pot(c.anchors, c.k);
  FireSettings set;
  set.ftol = 1e-6;
  long long observed = 0;
  const FireResult r = fire_minimize(c.system, pot, set, [&](long long, double, double) { return ++observed > 0; });
  EXPECT_TRUE(r.converged);
  EXPECT_EQ(r.reason, "ftol");
  EXPECT_LT(r.max_force, set.ftol);
  EXPECT_GT(r.steps, 5);
  EXPECT_GE(observed, r.steps - 1);
  const double k_min = *std::min_element(c.k.begin(), c.k.end());
  expect_close(c.system.host_positions(), c.anchors, set.ftol / k_min, "minimum");
  EXPECT_LT(r.energy, 1e-10);
  expect_close(c.system.host_velocities(), v0, 0.0, "MD velocities untouched");
}

TEST(Fire, StopsAtTheStepLimitAndOnRequest) {
  const auto seed = fresh_seed();
  SCOPED_TRACE(seed);
  std::mt19937_64 rng(seed);
  TetherCase c = tether_case(rng, 20);
  test::HarmonicTether pot(c.anchors, c.k);
  FireSettings set;
  set.ftol = 1e-12;
  set.max_steps = 3;
  FireResult r = fire_minimize(c.system, pot, set);
  EXPECT_FALSE(r.converged);
  EXPECT_EQ(r.reason, "max_steps");
  EXPECT_EQ(r.steps, 3);
  set.max_steps = 1000;
  r = fire_minimize(c.system, pot, set, [](long long step, double, double) { return step < 7; });
  EXPECT_EQ(r.reason, "stopped");
  EXPECT_EQ(r.steps, 7);
  set.max_step = -1.0;
  EXPECT_THROW(fire_minimize(c.system, pot, set), std::invalid_argument);
}
