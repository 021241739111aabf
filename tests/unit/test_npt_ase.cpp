// NptAse (ASE's NPT: Melchionna Nosé–Hoover + Parrinello–Rahman) on
// Lennard-Jones argon, CPU backend: without thermostat and barostat it is
// ASE's Størmer scheme (a host loop here), its conserved quantity (ASE's
// Gibbs free energy) stays bounded and its excursions scale as dt², a masked
// axis keeps its cell vector, the saved state continues bit-for-bit, and
// non-triangular cells are refused. MatchesAseReferenceTrajectory is the
// comparison with ASE itself; it needs a reference file that
// tests/oracle/test_npt_ase_oracle.py writes (skipped without one).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "kernels/integrate/npt_ase.hpp"
#include "kernels/kinetic.hpp"
#include "kernels/units.hpp"
#include "kernels/velocity_init.hpp"
#include "tests/common/lj_systems.hpp"
#include "tests/common/seed.hpp"

using namespace vitra;
using namespace vitra::integrate;
using test::fresh_seed;

namespace {

StepTargets targets(double t, double p_bar) {
  StepTargets st;
  st.temperature = t;
  for (int k = 0; k < 3; ++k) st.pressure.m[k][k] = p_bar;
  return st;
}

// n×n×n fcc argon cells of edge a in an upper triangular cell (ASE's form:
// b_x = c_x = c_y = 0) with tilts a_y, a_z, b_z as fractions of the edge.
System upper_argon(int n, double a, double temperature, std::uint64_t seed, double ay, double az, double bz) {
  const double l = n * a;
  Mat3 h;
  h.m[0][0] = l;
  h.m[0][1] = ay * l;
  h.m[0][2] = az * l;
  h.m[1][1] = l;
  h.m[1][2] = bz * l;
  h.m[2][2] = l;
  const Vec3 basis[4] = {{0, 0, 0}, {0.5, 0.5, 0}, {0.5, 0, 0.5}, {0, 0.5, 0.5}};
  std::vector<Vec3> x;
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j)
      for (int k = 0; k < n; ++k)
        for (const Vec3& b : basis) x.push_back((1.0 / n) * (Vec3{double(i), double(j), double(k)} + b) * h);
  TypeMap tm;
  tm.names = {"Ar"};
  tm.masses = {test::kArgonMass};
  System s(Box(h), tm, std::vector<int>(x.size(), 0), x);
  if (temperature > 0.0) maxwell_boltzmann(s, VelocityInit{temperature, seed, true, true});
  return s;
}

std::vector<Vec3> unwrapped(const System& s) {
  std::vector<Vec3> r = s.host_positions();
  const std::vector<int> img = s.host_images();
  for (std::size_t i = 0; i < r.size(); ++i)
    r[i] += s.box.shift(img[3 * i], img[3 * i + 1], img[3 * i + 2]);
  return r;
}

AseNptSettings full(double ttime, double pfactor) {
  AseNptSettings a;
  a.ttime = ttime;
  a.pfactor = pfactor;
  return a;
}

// Largest |G(t) − G(0)| of ASE's conserved quantity over `time` ps. ASE sums
// ζ_int by the right-endpoint rule (ζ_int += dt ζ(t+dt)), an O(dt) error of
// 3 kT (N−1) · dt/2 · (ζ(t) − ζ(0)) in G; `trapezoid` takes it out (ζ(0) = 0).
double gibbs_excursion(const System& start, double dt, double time, const AseNptSettings& set,
                       const StepTargets& t, bool trapezoid = false) {
  System s = test::copy_system(start);
  auto pot = test::argon_potential();
  NptAse npt(dt, set);
  const ComputeRequest req{true, true};
  const double g0 = npt.setup(s, *pot, t, req).energy + kinetic_energy(s) + npt.reservoir_energy();
  const double c = trapezoid ? 3.0 * units::kBoltzmann * t.temperature * (s.size() - 1.0) * 0.5 * dt : 0.0;
  double worst = 0.0;
  const int steps = static_cast<int>(std::lround(time / dt));
  for (int i = 0; i < steps; ++i) {
    const double g = npt.step(s, *pot, t, req).energy + kinetic_energy(s) + npt.reservoir_energy();
    worst = std::max(worst, std::fabs(g - c * npt.zeta() - g0));
  }
  return worst;
}

}  // namespace

TEST(NptAse, AseUnits) {
  // 1/(1000 · ase.units.fs) with ase.units' CODATA 2014 values: ASE's time
  // unit in ps; vitra's (from its own mvv2e) agrees to 3e-8.
  EXPECT_NEAR(ase_time_unit_ps(), 1.0 / (1000.0 * 0.09822694788464063), 3e-8 * ase_time_unit_ps());
  const AseNptSettings s = AseNptSettings::from_ase_units(25.0 / ase_time_unit_ps() / 1000.0, 1.0);
  EXPECT_NEAR(s.ttime, 0.025, 1e-15);
  EXPECT_DOUBLE_EQ(s.pfactor, units::kMvv2e);
  const auto m = AseNptSettings::axis_mask(true, true, false);
  EXPECT_TRUE(m[0][1]);
  EXPECT_FALSE(m[0][2]);
  EXPECT_FALSE(m[2][1]);
  EXPECT_FALSE(m[2][2]);
}

TEST(NptAse, RejectsNonTriangularCellAndBadSettings) {
  EXPECT_THROW(NptAse(0.001, full(-1.0, 0.0)), std::invalid_argument);
  EXPECT_THROW(NptAse(0.001, full(0.0, -1.0)), std::invalid_argument);
  EXPECT_THROW(NptAse(0.0, full(0.0, 0.0)), std::invalid_argument);
  const auto seed = fresh_seed();
  SCOPED_TRACE(seed);
  auto pot = test::argon_potential();
  const StepTargets t = targets(60.0, 0.0);
  {
    System s = upper_argon(3, 5.3, 60.0, seed, 0.02, 0.01, 0.01);  // ASE's upper triangular form
    NptAse npt(0.002, full(0.025, 0.003));
    EXPECT_NO_THROW(npt.setup(s, *pot, t, {}));
  }
  {
    System s = test::fcc_argon(3, 5.3, 60.0, seed, 0.02, 0.01, 0.01);  // lower (LAMMPS); ASE 3.29 takes it too
    NptAse npt(0.002, full(0.025, 0.003));
    EXPECT_NO_THROW(npt.setup(s, *pot, t, {}));
    EXPECT_NO_THROW(npt.step(s, *pot, t, {}));
    EXPECT_EQ(s.box.h.m[0][1], 0.0);  // stays lower triangular
    EXPECT_EQ(s.box.h.m[0][2], 0.0);
    EXPECT_EQ(s.box.h.m[1][2], 0.0);
  }
  {
    System s = upper_argon(3, 5.3, 60.0, seed, 0.02, 0.01, 0.01);
    Mat3 h = s.box.h;
    h.m[1][0] = 0.1;  // b_x ≠ 0 and a_y ≠ 0: neither form
    s.box = Box(h);
    NptAse npt(0.002, full(0.025, 0.003));
    try {
      npt.setup(s, *pot, t, {});
      ADD_FAILURE() << "a non-triangular cell was accepted";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("triangular"), std::string::npos) << e.what();
    }
  }
  {
    System s = upper_argon(3, 5.3, 60.0, seed, 0.0, 0.0, 0.0);
    NptAse npt(0.002, full(0.025, 0.0));
    EXPECT_THROW(npt.setup(s, *pot, targets(0.0, 0.0), {}), std::invalid_argument);  // thermostat at 0 K
    StepTargets shear = t;
    shear.pressure.m[0][1] = 10.0;  // not symmetric
    EXPECT_THROW(npt.setup(s, *pot, shear, {}), std::invalid_argument);
  }
}

// ttime = 0 and pfactor = 0: h, η and ζ stay put and ASE's scheme is the
// Størmer recursion r(t+dt) = 2r(t) − r(t−dt) + dt² F/m, started by ASE's
// backward step at r(−dt) = r0 − dt v0 + ½ dt² a0, with v(t) = (r(t+dt) −
// r(t−dt)) / 2dt: written out here on the host with its own force calls.
TEST(NptAse, WithoutReservoirsIsAsesStormerScheme) {
  const auto seed = fresh_seed();
  SCOPED_TRACE(seed);
  System s = upper_argon(3, 5.3, 80.0, seed, 0.02, -0.01, 0.015);
  const double dt = 0.004;
  const System start = test::copy_system(s);
  const Mat3 h0 = s.box.h;

  auto pot = test::argon_potential();
  NptAse npt(dt, full(0.0, 0.0));
  const StepTargets t = targets(0.0, 0.0);
  npt.setup(s, *pot, t, {});

  // Host reference.
  const std::size_t n = s.size();
  const double m = test::kArgonMass;
  auto accel = [&](const std::vector<Vec3>& r) {
    System f = test::copy_system(start);
    f.set_positions(r);
    auto p = test::argon_potential();  // fresh list: r need not be wrapped
    p->compute(f, ComputeRequest{false, false});
    std::vector<Vec3> a = f.host_forces();
    for (Vec3& x : a) x = (1.0 / (m * units::kMvv2e)) * x;
    return a;
  };
  std::vector<Vec3> r = start.host_positions(), v0 = start.host_velocities();
  Vec3 ptot;
  for (const Vec3& v : v0) ptot += m * v;
  for (Vec3& v : v0) v -= (1.0 / (n * m)) * ptot;  // ASE's zeroing (the MB draw has P = 0 already)
  std::vector<Vec3> a = accel(r), r_prev(n), r_next(n);
  for (std::size_t i = 0; i < n; ++i) r_prev[i] = r[i] - dt * v0[i] + (0.5 * dt * dt) * a[i];
  for (std::size_t i = 0; i < n; ++i) r_next[i] = 2.0 * r[i] - r_prev[i] + (dt * dt) * a[i];

  double worst_r = 0.0, worst_v = 0.0;
  for (int k = 1; k <= 60; ++k) {
    npt.step(s, *pot, t, {false, false});
    r_prev = r;
    r = r_next;
    a = accel(r);
    for (std::size_t i = 0; i < n; ++i) r_next[i] = 2.0 * r[i] - r_prev[i] + (dt * dt) * a[i];
    const std::vector<Vec3> x = unwrapped(s), v = s.host_velocities();
    for (std::size_t i = 0; i < n; ++i) {
      const Vec3 vref = (1.0 / (2.0 * dt)) * (r_next[i] - r_prev[i]);
      for (int c = 0; c < 3; ++c) {
        worst_r = std::max(worst_r, std::fabs(x[i][c] - r[i][c]));
        worst_v = std::max(worst_v, std::fabs(v[i][c] - vref[c]));
      }
    }
  }
  EXPECT_LT(worst_r, 1e-9) << "positions (A)";
  EXPECT_LT(worst_v, 1e-7) << "velocities (A/ps)";
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) {
      EXPECT_EQ(s.box.h.m[i][j], h0.m[i][j]);
      EXPECT_EQ(npt.strain_rate().m[i][j], 0.0);
    }
  EXPECT_EQ(npt.zeta(), 0.0);
  EXPECT_EQ(npt.reservoir_energy(), 0.0);  // P = 0, no reservoirs
}

// ASE's Gibbs free energy is the conserved quantity: bounded over 2 ps of
// thermostatted, barostatted argon. Its excursions shrink as dt² without the
// thermostat and as dt with it, from ASE's right-endpoint sum of ζ_int
// alone: with that term summed by the trapezoid rule they are O(dt²) again
// (a wrong force on the cell or a missing term would break either law).
TEST(NptAse, ConservedQuantityIsBoundedWithAsesOrder) {
  const auto seed = fresh_seed();
  SCOPED_TRACE(seed);
  const System start = upper_argon(3, 5.35, 70.0, seed, 0.02, 0.01, -0.015);
  const StepTargets t = targets(70.0, 500.0);
  const double n = static_cast<double>(start.size());
  const double pfactor = 0.3 * 0.3 * 0.02;  // ptime 0.3 ps, B ≈ 3 GPa
  {
    const AseNptSettings set = full(0.0, pfactor);
    const double coarse = gibbs_excursion(start, 0.008, 2.0, set, t);
    const double fine = gibbs_excursion(start, 0.004, 2.0, set, t);
    EXPECT_LT(coarse / n, 5e-5) << "eV/atom at dt = 8 fs, barostat only";
    EXPECT_GT(coarse / fine, 3.0) << "barostat only: coarse " << coarse << " fine " << fine;
    EXPECT_LT(coarse / fine, 5.5) << "barostat only: coarse " << coarse << " fine " << fine;
  }
  const AseNptSettings set = full(0.1, pfactor);
  const double coarse = gibbs_excursion(start, 0.008, 2.0, set, t);
  const double fine = gibbs_excursion(start, 0.004, 2.0, set, t);
  EXPECT_LT(coarse / n, 2e-3) << "eV/atom at dt = 8 fs";
  EXPECT_GT(coarse / fine, 1.6) << "coarse " << coarse << " fine " << fine;
  EXPECT_LT(coarse / fine, 2.6) << "coarse " << coarse << " fine " << fine;
  const double coarse_t = gibbs_excursion(start, 0.008, 2.0, set, t, true);
  const double fine_t = gibbs_excursion(start, 0.004, 2.0, set, t, true);
  EXPECT_LT(coarse_t, 0.2 * coarse);
  EXPECT_GT(coarse_t / fine_t, 3.0) << "trapezoid: coarse " << coarse_t << " fine " << fine_t;
  EXPECT_LT(coarse_t / fine_t, 5.5) << "trapezoid: coarse " << coarse_t << " fine " << fine_t;
}

// ASE's mask (1, 1, 0): the c vector of an upper triangular cell does not
// move at all; the others do.
TEST(NptAse, MaskHoldsAnAxis) {
  const auto seed = fresh_seed();
  SCOPED_TRACE(seed);
  System s = upper_argon(3, 5.2, 60.0, seed, 0.02, 0.01, 0.01);
  const Mat3 h0 = s.box.h;
  auto pot = test::argon_potential();
  AseNptSettings set = full(0.05, 0.1 * 0.1 * 0.02);
  set.mask = AseNptSettings::axis_mask(true, true, false);
  NptAse npt(0.004, set);
  const StepTargets t = targets(60.0, 0.0);
  npt.setup(s, *pot, t, {});
  for (int i = 0; i < 200; ++i) npt.step(s, *pot, t, {false, false});
  for (int j = 0; j < 3; ++j) EXPECT_EQ(s.box.h.m[2][j], h0.m[2][j]);
  EXPECT_GT(std::fabs(s.box.h.m[0][0] - h0.m[0][0]), 1e-3);
  EXPECT_GT(std::fabs(s.box.h.m[1][1] - h0.m[1][1]), 1e-3);
  EXPECT_EQ(npt.strain_rate().m[2][2], 0.0);
  EXPECT_EQ(npt.strain_rate().m[1][2], 0.0);
}

// What a checkpoint does (vitra run): rebuild the list, save the state; a
// resumed run sets up a fresh integrator and potential on the saved system
// and loads the state. Both continue identically to the last bit.
TEST(NptAse, SavedStateContinuesBitForBit) {
  const auto seed = fresh_seed();
  SCOPED_TRACE(seed);
  System s = upper_argon(3, 5.3, 80.0, seed, 0.03, -0.01, 0.02);
  const StepTargets t = targets(80.0, 1000.0);
  const ComputeRequest none{false, false};
  const AseNptSettings set = full(0.025, 0.075 * 0.075 * 0.6);
  auto pot = test::argon_potential();
  NptAse a(0.002, set);
  a.setup(s, *pot, t, {});
  for (int i = 0; i < 40; ++i) a.step(s, *pot, t, none);
  pot->rebuild_neighbors(s);
  const std::vector<double> state = a.save_state();
  EXPECT_EQ(state.size(), 55 + 9 * s.size());
  const System saved = test::copy_system(s);
  for (int i = 0; i < 40; ++i) a.step(s, *pot, t, none);
  const double ra = a.reservoir_energy();

  System r = test::copy_system(saved);
  auto pot_b = test::argon_potential();
  NptAse b(0.002, set);
  b.setup(r, *pot_b, t, {});  // changes the velocities (ASE's zeroing): step() restores them from q
  b.load_state(state);
  for (int i = 0; i < 40; ++i) b.step(r, *pot_b, t, none);
  EXPECT_EQ(s.positions.to_host(), r.positions.to_host());
  EXPECT_EQ(s.velocities.to_host(), r.velocities.to_host());
  EXPECT_EQ(s.images.to_host(), r.images.to_host());
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) EXPECT_EQ(s.box.h.m[i][j], r.box.h.m[i][j]);
  EXPECT_EQ(ra, b.reservoir_energy());
  EXPECT_EQ(a.save_state(), b.save_state());

  EXPECT_THROW(b.load_state(std::vector<double>(5, 0.0)), std::invalid_argument);
  std::vector<double> short_state = state;
  short_state.pop_back();
  EXPECT_THROW(b.load_state(short_state), std::invalid_argument);
  // A state whose cell no longer matches the system: refused at the next step, as ASE does.
  NptAse c(0.002, set);
  System moved = test::copy_system(saved);
  auto pot_c = test::argon_potential();
  c.setup(moved, *pot_c, t, {});
  c.load_state(state);
  Mat3 h = moved.box.h;
  h.m[0][0] += 0.01;
  moved.box = Box(h);
  EXPECT_THROW(c.step(moved, *pot_c, t, none), std::runtime_error);
}

// ---- the comparison with ASE (reference from tests/oracle/test_npt_ase_oracle.py) ----

namespace {

struct AseReference {
  std::size_t natoms = 0;
  double mass = 0, epsilon = 0, sigma = 0, rc = 0, dt = 0, ttime = 0, pfactor = 0, temperature = 0,
         pressure = 0;
  int steps = 0;
  Mat3 cell;
  std::vector<Vec3> positions, velocities;
  struct Frame {
    Mat3 cell;
    double epot = 0, gibbs = 0;
    std::vector<Vec3> positions;
  };
  std::vector<Frame> frames;
};

AseReference read_reference(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  AseReference r;
  std::string key;
  auto expect = [&](const std::string& want) {
    in >> key;
    if (key != want) throw std::runtime_error(path + ": expected '" + want + "', found '" + key + "'");
  };
  auto mat = [&](Mat3& m) {
    for (auto& row : m.m)
      for (double& x : row) in >> x;
  };
  auto vecs = [&](std::vector<Vec3>& v) {
    v.resize(r.natoms);
    for (Vec3& x : v) in >> x.x >> x.y >> x.z;
  };
  int version = 0;
  expect("vitra-npt-ase-reference");
  in >> version;
  expect("natoms");
  in >> r.natoms;
  expect("mass");
  in >> r.mass;
  expect("lj");
  in >> r.epsilon >> r.sigma >> r.rc;
  expect("dt_ps");
  in >> r.dt;
  expect("ttime_ps");
  in >> r.ttime;
  expect("pfactor");
  in >> r.pfactor;
  expect("temperature_K");
  in >> r.temperature;
  expect("pressure_bar");
  in >> r.pressure;
  expect("steps");
  in >> r.steps;
  expect("cell");
  mat(r.cell);
  expect("positions");
  vecs(r.positions);
  expect("velocities");
  vecs(r.velocities);
  for (int k = 0; k <= r.steps; ++k) {
    AseReference::Frame f;
    int index = -1;
    expect("frame");
    in >> index;
    mat(f.cell);
    in >> f.epot >> f.gibbs;
    vecs(f.positions);
    if (index != k) throw std::runtime_error(path + ": frame " + std::to_string(index) + " out of order");
    r.frames.push_back(std::move(f));
  }
  if (!in) throw std::runtime_error(path + ": truncated or malformed");
  return r;
}

}  // namespace

TEST(NptAse, MatchesAseReferenceTrajectory) {
  const char* path = std::getenv("VITRA_NPT_ASE_REFERENCE");
  if (!path || !*path) GTEST_SKIP() << "VITRA_NPT_ASE_REFERENCE not set (tests/oracle/test_npt_ase_oracle.py sets it)";
  const AseReference ref = read_reference(path);
  TypeMap tm;
  tm.names = {"Ar"};
  tm.masses = {ref.mass};
  System s(Box(ref.cell), tm, std::vector<int>(ref.natoms, 0), ref.positions, ref.velocities);
  PairPotential pot(1, 1.0);
  pot.set_lennard_jones(0, 0, ref.epsilon, ref.sigma, ref.rc, true);  // ASE's LennardJones(smooth=False): E − E(rc)
  AseNptSettings set;
  set.ttime = ref.ttime;
  set.pfactor = ref.pfactor;
  NptAse npt(ref.dt, set);
  const StepTargets t = targets(ref.temperature, ref.pressure);
  const ComputeRequest req{true, true};

  double worst_r = 0.0, worst_cell = 0.0, worst_e = 0.0, worst_g = 0.0, moved = 0.0;
  auto compare = [&](int k, double epot) {
    const AseReference::Frame& f = ref.frames[k];
    const std::vector<Vec3> x = unwrapped(s);
    for (std::size_t i = 0; i < ref.natoms; ++i)
      for (int c = 0; c < 3; ++c) worst_r = std::max(worst_r, std::fabs(x[i][c] - f.positions[i][c]));
    double scale = 0.0;
    for (const auto& row : f.cell.m)
      for (double v : row) scale = std::max(scale, std::fabs(v));
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j) {
        worst_cell = std::max(worst_cell, std::fabs(s.box.h.m[i][j] - f.cell.m[i][j]) / scale);
        moved = std::max(moved, std::fabs(s.box.h.m[i][j] - ref.cell.m[i][j]));
      }
    worst_e = std::max(worst_e, std::fabs(epot - f.epot));
    const double g = epot + kinetic_energy(s) + npt.reservoir_energy();
    worst_g = std::max(worst_g, std::fabs(g - f.gibbs));
  };
  compare(0, npt.setup(s, pot, t, req).energy);
  for (int k = 1; k <= ref.steps; ++k) compare(k, npt.step(s, pot, t, req).energy);
  std::printf("npt-ase vs ASE over %d steps: max |dr| = %.3e A, max |dh|/|h| = %.3e, max |dE_pot| = %.3e eV, "
              "max |dG| = %.3e eV (cell moved by %.3e A)\n",
              ref.steps, worst_r, worst_cell, worst_e, worst_g, moved);
  EXPECT_LT(worst_r, 1e-6);
  EXPECT_LT(worst_cell, 1e-8);
  EXPECT_LT(worst_e, 1e-6);
  EXPECT_LT(worst_g, 1e-6);
}
