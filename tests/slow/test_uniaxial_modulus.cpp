// A strain ramp on an elastic solid gives the elastic response of the
// potential: uniaxial tension of fcc Lennard-Jones argon along x at 2 K, the
// lateral axes barostatted at zero pressure (MTK aniso with x masked, the
// cell stretched affinely every step as `fix deform ... remap x`). Young's
// modulus (dσ_xx/dε) and Poisson's ratio (−dε_lateral/dε) over the ramp agree
// within 5 % with the same slopes from static strains of the perfect crystal
// (each strain's lateral contraction found by bisection on σ_yy = 0), over
// the same strain window: LJ is strongly nonlinear (ν falls from 0.36 at
// zero strain to 0.33 at 2 %), so the window is matched rather than the
// zero-strain constants used.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <numeric>
#include <vector>

#include "kernels/integrate/affine_remap.hpp"
#include "kernels/integrate/mtk_npt.hpp"
#include "kernels/kinetic.hpp"
#include "kernels/units.hpp"
#include "tests/common/lj_systems.hpp"
#include "tests/common/seed.hpp"

using namespace vitra;
using namespace vitra::integrate;

namespace {

// The cutoff sits between the 4th (7.45 Å) and 5th (8.33 Å) neighbor shells
// of the crystal, so no pair crosses it during the ramp: a pair crossing the
// energy-shifted cutoff jumps the stress by as much as the strain does.
constexpr double kCutoff = 7.9;
constexpr int kCells = 4;

Mat3 scaled(const Mat3& h, double fx, double fy, double fz) {
  Mat3 d = Mat3::identity();
  d.m[0][0] = fx;
  d.m[1][1] = fy;
  d.m[2][2] = fz;
  return h * d;  // rows are cell vectors: scales their Cartesian components
}

// Static stress σ = −W/V (GPa, tension positive) of the perfect crystal with
// lattice a0 strained by (ex, el, el).
Mat3 static_stress(double a0, double ex, double el) {
  System s = test::fcc_argon(kCells, a0, 0.0, 1);
  auto pot = test::argon_potential(kCutoff);
  affine_remap(s, scaled(s.box.h, 1.0 + ex, 1.0 + el, 1.0 + el));
  const ComputeResult r = pot->compute(s, ComputeRequest{false, true});
  Mat3 sigma;
  for (int a = 0; a < 3; ++a)
    for (int b = 0; b < 3; ++b) sigma.m[a][b] = -r.virial.m[a][b] / s.box.volume() * units::kEvPerA3ToGPa;
  return sigma;
}

// Bisection for f(x) = 0 with f increasing on [lo, hi].
template <class F>
double bisect(F f, double lo, double hi) {
  for (int it = 0; it < 60; ++it) {
    const double mid = 0.5 * (lo + hi);
    (f(mid) < 0.0 ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

double slope(const std::vector<double>& x, const std::vector<double>& y) {
  const double n = x.size();
  const double mx = std::accumulate(x.begin(), x.end(), 0.0) / n;
  const double my = std::accumulate(y.begin(), y.end(), 0.0) / n;
  double sxx = 0.0, sxy = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxx += (x[i] - mx) * (x[i] - mx);
    sxy += (x[i] - mx) * (y[i] - my);
  }
  return sxy / sxx;
}

}  // namespace

TEST(UniaxialModulus, StrainRampMatchesStaticStrains) {
  const auto seed = test::fresh_seed();
  SCOPED_TRACE(seed);
  const double eps_from = 0.004, eps_to = 0.02;

  // Static: zero-pressure lattice, then uniaxial stress at strains in the window.
  const double a0 = bisect([](double a) { return static_stress(a, 0.0, 0.0).m[0][0]; }, 5.0, 5.8);
  std::vector<double> s_eps, s_sxx, s_lat;
  for (double e = eps_from; e <= eps_to + 1e-12; e += 0.002) {
    const double el = bisect([&](double l) { return static_stress(a0, e, l).m[1][1]; }, -0.02, 0.0);
    s_eps.push_back(e);
    s_sxx.push_back(static_stress(a0, e, el).m[0][0]);
    s_lat.push_back(el);
  }
  const double young_static = slope(s_eps, s_sxx), poisson_static = -slope(s_eps, s_lat);

  // The ramp at 2 K. LAMMPS' barostat mass (N+1)kB·T/p_freq² is light in a
  // cold solid, and the cell, which a nearly harmonic crystal hardly couples
  // to, rings: drag (LAMMPS' keyword) damps it. One integrator for the
  // equilibration and the ramp, so the barostat never restarts mid-swing.
  const double t = 2.0, dt = 0.005, erate = 2e-3;  // 1/ps
  System s = test::fcc_argon(kCells, a0, 2 * t, seed);
  auto pot = test::argon_potential(kCutoff);
  StepTargets st;
  st.temperature = t;
  MtkNpt npt(dt, NhcSettings{0.1, 3, 1}, BarostatSettings{2.0, Coupling::Aniso, {false, true, true}, 3, 1.0});
  npt.setup(s, *pot, st, {});
  double ly0 = 0.0, lz0 = 0.0;
  const int eq_steps = 3000, eq_average = 1000;
  for (int i = 0; i < eq_steps; ++i) {
    npt.step(s, *pot, st, ComputeRequest{false, false});
    if (i >= eq_steps - eq_average) {
      ly0 += s.box.h.m[1][1] / eq_average;
      lz0 += s.box.h.m[2][2] / eq_average;
    }
  }
  const double lx0 = s.box.h.m[0][0];
  const int steps = static_cast<int>(std::lround(eps_to / (erate * dt)));
  std::vector<double> strain, stress_xx, lateral;
  for (int i = 1; i <= steps; ++i) {
    const ComputeResult r = npt.step(s, *pot, st, ComputeRequest{false, true});
    const double eps = erate * i * dt;
    affine_remap(s, scaled(s.box.h, lx0 * (1.0 + eps) / s.box.h.m[0][0], 1.0, 1.0));
    if (i % 5 == 0 && eps >= eps_from) {
      const Mat3 k = kinetic_tensor(s);
      strain.push_back(eps);
      stress_xx.push_back(-(k.m[0][0] + r.virial.m[0][0]) / s.box.volume() * units::kEvPerA3ToGPa);
      lateral.push_back(0.5 * (s.box.h.m[1][1] / ly0 + s.box.h.m[2][2] / lz0) - 1.0);
    }
  }
  const double young = slope(strain, stress_xx), poisson = -slope(strain, lateral);
  std::printf("LJ fcc a0 %.4f A, strain %.3f..%.3f: E static %.3f GPa, ramp %.3f GPa; nu static %.4f, ramp %.4f\n",
              a0, eps_from, eps_to, young_static, young, poisson_static, poisson);
  EXPECT_NEAR(young / young_static, 1.0, 0.05);
  EXPECT_NEAR(poisson / poisson_static, 1.0, 0.05);
}
