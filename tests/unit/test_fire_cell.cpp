// FIRE with the cell (ASE's UnitCellFilter scheme) on fcc Lennard-Jones
// argon: a stretched crystal shrinks to the zero-pressure lattice constant
// (found independently by bisection on the static pressure), a sheared one
// returns to a cubic cell, and a pressure target is met.
#include <gtest/gtest.h>

#include <cmath>

#include "kernels/integrate/fire.hpp"
#include "kernels/units.hpp"
#include "tests/common/lj_systems.hpp"

using namespace vitra;
using namespace vitra::integrate;

namespace {

// Static pressure tensor (bar) of s: −W... P = W/V for atoms at rest.
Mat3 static_pressure(System& s, Potential& p) {
  const ComputeResult r = p.compute(s, ComputeRequest{false, true});
  Mat3 out;
  for (int a = 0; a < 3; ++a)
    for (int b = 0; b < 3; ++b) out.m[a][b] = r.virial.m[a][b] / s.box.volume() * units::kEvPerA3ToBar;
  return out;
}

double zero_pressure_lattice() {
  double lo = 5.0, hi = 5.8;
  for (int it = 0; it < 60; ++it) {
    const double a = 0.5 * (lo + hi);
    System s = test::fcc_argon(3, a, 0.0, 1);
    auto pot = test::argon_potential();
    (static_pressure(s, *pot).m[0][0] > 0.0 ? lo : hi) = a;  // compressed: lattice too small
  }
  return 0.5 * (lo + hi);
}

FireResult relax(System& s, double p_bar) {
  auto pot = test::argon_potential();
  FireSettings set;
  set.ftol = 1e-7;
  set.relax_cell = true;
  set.pressure = p_bar;
  set.dt = 0.002;
  set.dt_max = 0.02;
  set.max_steps = 20000;
  return fire_minimize(s, *pot, set);
}

}  // namespace

TEST(FireCell, StretchedCrystalShrinksToZeroPressureLattice) {
  const double a0 = zero_pressure_lattice();
  System s = test::fcc_argon(3, 5.6, 0.0, 1);
  const FireResult r = relax(s, 0.0);
  ASSERT_TRUE(r.converged) << r.reason << " after " << r.steps;
  EXPECT_LT(r.max_cell_force, 1e-7);
  for (int k = 0; k < 3; ++k) EXPECT_NEAR(s.box.h.m[k][k] / 3.0, a0, 1e-5 * a0);
  auto pot = test::argon_potential();
  const Mat3 p = static_pressure(s, *pot);
  for (int a = 0; a < 3; ++a)
    for (int b = 0; b < 3; ++b) EXPECT_NEAR(p.m[a][b], 0.0, 0.1) << a << b;  // bar
}

TEST(FireCell, ShearedCrystalBecomesCubicAgain) {
  const double a0 = zero_pressure_lattice();
  System s = test::fcc_argon(3, 5.25, 0.0, 1, 0.04, -0.03, 0.02);
  const FireResult r = relax(s, 0.0);
  ASSERT_TRUE(r.converged) << r.reason << " after " << r.steps;
  // The metric h·hᵀ of the relaxed cell is that of the cubic 3×3×3 supercell.
  const Mat3 g = s.box.h * transpose(s.box.h);
  const double l2 = 9.0 * a0 * a0;
  for (int a = 0; a < 3; ++a)
    for (int b = 0; b < 3; ++b) EXPECT_NEAR(g.m[a][b], a == b ? l2 : 0.0, 1e-4 * l2) << a << b;
  // Lower triangular still (LAMMPS orientation kept).
  EXPECT_EQ(s.box.h.m[0][1], 0.0);
  EXPECT_EQ(s.box.h.m[0][2], 0.0);
  EXPECT_EQ(s.box.h.m[1][2], 0.0);
}

TEST(FireCell, MeetsAPressureTarget) {
  System s = test::fcc_argon(3, 5.3, 0.0, 1);
  const FireResult r = relax(s, 5000.0);
  ASSERT_TRUE(r.converged) << r.reason << " after " << r.steps;
  auto pot = test::argon_potential();
  const Mat3 p = static_pressure(s, *pot);
  for (int a = 0; a < 3; ++a) EXPECT_NEAR(p.m[a][a], 5000.0, 0.1);
  // The enthalpy it reports is E + P V.
  const ComputeResult e = pot->compute(s, ComputeRequest{true, false});
  EXPECT_NEAR(r.energy, e.energy + 5000.0 / units::kEvPerA3ToBar * s.box.volume(), 1e-9);
}
