// MTK NPT (LAMMPS fix npt) on Lennard-Jones argon, CPU backend: the extended
// energy is conserved to O(dt²) for iso, aniso and tri coupling, the mean
// pressure reaches the target, a masked axis is left alone, and the saved
// state continues bit-for-bit.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "kernels/integrate/mtk_npt.hpp"
#include "kernels/kinetic.hpp"
#include "kernels/units.hpp"
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

struct NptRun {
  double worst_drift = 0.0;   // largest |H(t) − H(0)|, eV
  double reservoir_swing = 0.0;  // largest |reservoir energy|, eV
  std::vector<double> pressure;  // bar, scalar, every step of the second half
  std::vector<double> volume;
  Mat3 final_cell;
};

NptRun run_npt(System s, double dt, double time, Coupling coupling, std::array<bool, 3> mask, double p_bar) {
  auto pot = test::argon_potential();
  MtkNpt npt(dt, NhcSettings{0.1, 3, 1}, BarostatSettings{0.5, coupling, mask, 3});
  const StepTargets t = targets(60.0, p_bar);
  const ComputeRequest req{true, true};
  const double h0 = npt.setup(s, *pot, t, req).energy + kinetic_energy(s) + npt.reservoir_energy();
  NptRun out;
  const int steps = static_cast<int>(std::lround(time / dt));
  for (int i = 0; i < steps; ++i) {
    const double e = npt.step(s, *pot, t, req).energy + kinetic_energy(s);
    const double r = npt.reservoir_energy();
    out.worst_drift = std::max(out.worst_drift, std::fabs(e + r - h0));
    out.reservoir_swing = std::max(out.reservoir_swing, std::fabs(r));
    if (2 * i >= steps) {
      const Mat3 p = npt.pressure_tensor(s);
      out.pressure.push_back((p.m[0][0] + p.m[1][1] + p.m[2][2]) / 3.0);
      out.volume.push_back(s.box.volume());
    }
  }
  out.final_cell = s.box.h;
  return out;
}

double mean(const std::vector<double>& x) { return std::accumulate(x.begin(), x.end(), 0.0) / x.size(); }

// Standard error of the mean from 10 block averages (the samples are
// correlated over many steps).
double block_error(const std::vector<double>& x) {
  const std::size_t nb = 10, len = x.size() / nb;
  std::vector<double> blocks;
  for (std::size_t b = 0; b < nb; ++b)
    blocks.push_back(std::accumulate(x.begin() + b * len, x.begin() + (b + 1) * len, 0.0) / len);
  const double m = mean(blocks);
  double var = 0.0;
  for (double v : blocks) var += (v - m) * (v - m);
  return std::sqrt(var / (nb - 1) / nb);
}

// Largest excursion of the extended energy at dt and dt/2: the ratio is 4 for
// a correct O(dt²) integrator of the right Hamiltonian; a wrong force on the
// cell or a missing term in the conserved quantity breaks the law.
void expect_dt_squared(const System& start, Coupling c, std::array<bool, 3> mask, double p_bar) {
  const NptRun coarse = run_npt(test::copy_system(start), 0.008, 2.0, c, mask, p_bar);
  const NptRun fine = run_npt(test::copy_system(start), 0.004, 2.0, c, mask, p_bar);
  EXPECT_GT(coarse.reservoir_swing, 20.0 * coarse.worst_drift);
  EXPECT_NEAR(coarse.worst_drift / fine.worst_drift, 4.0, 1.0)
      << "coarse " << coarse.worst_drift << " fine " << fine.worst_drift;
}

}  // namespace

TEST(MtkNpt, IsoConservedQuantityErrorScalesWithDtSquared) {
  const auto seed = fresh_seed();
  SCOPED_TRACE(seed);
  const System s = test::fcc_argon(4, 5.3, 60.0, seed);
  expect_dt_squared(s, Coupling::Iso, {true, true, true}, 500.0);
}

TEST(MtkNpt, AnisoLeavesTheMaskedAxisAloneAndConserves) {
  const auto seed = fresh_seed();
  SCOPED_TRACE(seed);
  const System s = test::fcc_argon(4, 5.3, 60.0, seed);
  const NptRun r = run_npt(test::copy_system(s), 0.008, 1.0, Coupling::Aniso, {false, true, true}, 3000.0);
  EXPECT_EQ(r.final_cell.m[0][0], s.box.h.m[0][0]);
  EXPECT_LT(r.final_cell.m[1][1], s.box.h.m[1][1] * 0.999);
  EXPECT_LT(r.final_cell.m[2][2], s.box.h.m[2][2] * 0.999);
  expect_dt_squared(s, Coupling::Aniso, {false, true, true}, 3000.0);
}

TEST(MtkNpt, TriChangesTiltsAndConserves) {
  const auto seed = fresh_seed();
  SCOPED_TRACE(seed);
  const System s = test::fcc_argon(4, 5.3, 60.0, seed, 0.04, -0.03, 0.02);
  const NptRun r = run_npt(test::copy_system(s), 0.008, 1.0, Coupling::Tri, {true, true, true}, 0.0);
  // A sheared fcc crystal at zero target stress unshears: every tilt moves.
  for (auto [a, b] : {std::pair{1, 0}, std::pair{2, 0}, std::pair{2, 1}})
    EXPECT_GT(std::fabs(r.final_cell.m[a][b] - s.box.h.m[a][b]), 1e-3) << a << b;
  expect_dt_squared(s, Coupling::Tri, {true, true, true}, 0.0);
}

TEST(MtkNpt, MeanPressureReachesTarget) {
  const auto seed = fresh_seed();
  SCOPED_TRACE(seed);
  double v_at[2];
  int k = 0;
  for (double p0 : {0.0, 2000.0}) {
    const NptRun r = run_npt(test::fcc_argon(4, 5.3, 60.0, seed), 0.008, 30.0, Coupling::Iso, {true, true, true}, p0);
    const double m = mean(r.pressure), se = block_error(r.pressure);
    EXPECT_LT(std::fabs(m - p0), 4.0 * se + 10.0) << "target " << p0 << " bar, mean " << m << " ± " << se;
    v_at[k++] = mean(r.volume);
  }
  EXPECT_LT(v_at[1], 0.97 * v_at[0]);  // compressed by 2 kbar (argon's bulk modulus is ~3 GPa at 60 K)
}

TEST(MtkNpt, SavedStateContinuesBitForBit) {
  const auto seed = fresh_seed();
  SCOPED_TRACE(seed);
  System s = test::fcc_argon(3, 5.4, 80.0, seed, 0.03, 0.0, 0.0);
  const StepTargets t = targets(80.0, 1000.0);
  const ComputeRequest none{false, false};
  auto pot = test::argon_potential();
  MtkNpt a(0.005, NhcSettings{0.1, 3, 1}, BarostatSettings{0.5, Coupling::Tri, {true, true, true}, 3});
  a.setup(s, *pot, t, {});
  for (int i = 0; i < 40; ++i) a.step(s, *pot, t, none);
  pot->rebuild_neighbors(s);  // what a checkpoint does before saving positions
  const std::vector<double> state = a.save_state();
  const System saved = test::copy_system(s);
  const std::vector<double> forces = s.forces.to_host();
  for (int i = 0; i < 40; ++i) a.step(s, *pot, t, none);

  System r = test::copy_system(saved);
  auto pot_b = test::argon_potential();
  MtkNpt b(0.005, NhcSettings{0.1, 3, 1}, BarostatSettings{0.5, Coupling::Tri, {true, true, true}, 3});
  b.setup(r, *pot_b, t, {});
  r.forces.copy_from_host(forces);
  b.load_state(state);
  for (int i = 0; i < 40; ++i) b.step(r, *pot_b, t, none);
  EXPECT_EQ(s.positions.to_host(), r.positions.to_host());
  EXPECT_EQ(s.velocities.to_host(), r.velocities.to_host());
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) EXPECT_EQ(s.box.h.m[i][j], r.box.h.m[i][j]);
  EXPECT_THROW(b.load_state(std::vector<double>(5, 0.0)), std::invalid_argument);
}

// LAMMPS' drag keyword damps the cell: started far from the target
// pressure, the volume rings around its new mean without drag and settles
// with it.
TEST(MtkNpt, DragDampsTheCellOscillation) {
  const auto seed = fresh_seed();
  SCOPED_TRACE(seed);
  double ringing[2];
  for (int k = 0; k < 2; ++k) {
    System s = test::fcc_argon(3, 5.3, 30.0, seed);
    auto pot = test::argon_potential();
    MtkNpt npt(0.005, NhcSettings{0.1, 3, 1}, BarostatSettings{0.5, Coupling::Iso, {true, true, true}, 3, k * 2.0});
    const StepTargets t = targets(30.0, 3000.0);
    npt.setup(s, *pot, t, {});
    std::vector<double> v;
    for (int i = 0; i < 1600; ++i) {
      npt.step(s, *pot, t, ComputeRequest{false, false});
      if (i >= 800) v.push_back(s.box.volume());
    }
    const double m = mean(v);
    double var = 0.0;
    for (double x : v) var += (x - m) * (x - m) / v.size();
    ringing[k] = std::sqrt(var) / m;
  }
  EXPECT_LT(ringing[1], 0.5 * ringing[0]) << "no drag " << ringing[0] << ", drag " << ringing[1];
  EXPECT_THROW(MtkNpt(0.005, NhcSettings{}, BarostatSettings{0.5, Coupling::Iso, {true, true, true}, 3, -1.0}),
               std::invalid_argument);
}

TEST(MtkNpt, RejectsWhatItCannotDo) {
  const NhcSettings th{0.1, 3, 1};
  EXPECT_THROW(MtkNpt(0.001, th, BarostatSettings{1.0, Coupling::Iso, {true, false, true}, 3}), std::invalid_argument);
  EXPECT_THROW(MtkNpt(0.001, th, BarostatSettings{1.0, Coupling::Aniso, {false, false, false}, 3}),
               std::invalid_argument);
  EXPECT_THROW(MtkNpt(0.001, th, BarostatSettings{0.0, Coupling::Iso, {true, true, true}, 3}), std::invalid_argument);
  const auto seed = fresh_seed();
  auto pot = test::argon_potential();
  // Non-hydrostatic target.
  System s = test::fcc_argon(3, 5.4, 60.0, seed);
  MtkNpt aniso(0.001, th, BarostatSettings{1.0, Coupling::Aniso, {true, true, true}, 3});
  StepTargets t = targets(60.0, 0.0);
  t.pressure.m[0][0] = 100.0;
  EXPECT_THROW(aniso.setup(s, *pot, t, {}), std::invalid_argument);
  // A cell not in LAMMPS orientation (a not along x) for aniso.
  Mat3 rot;  // 90° about z: a -> y
  rot.m[0][1] = 1.0;
  rot.m[1][0] = -1.0;
  rot.m[2][2] = 1.0;
  System turned(Box(s.box.h * rot), s.type_map, s.host_types(), [&] {
    std::vector<Vec3> x = s.host_positions();
    for (Vec3& r : x) r = r * rot;
    return x;
  }());
  EXPECT_THROW(aniso.setup(turned, *pot, targets(60.0, 0.0), {}), std::invalid_argument);
  MtkNpt iso(0.001, th, BarostatSettings{1.0, Coupling::Iso, {true, true, true}, 3});
  EXPECT_NO_THROW(iso.setup(turned, *pot, targets(60.0, 0.0), {}));
}
