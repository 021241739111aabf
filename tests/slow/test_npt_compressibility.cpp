// MTK NPT samples the isothermal-isobaric ensemble: in solid Lennard-Jones
// argon the volume fluctuations at 500 bar give the compressibility
// κ_T = <δV²>/(kB T <V>), and it matches the one from the mean volumes at 0
// and 1 kbar, κ_T = −(1/V) dV/dP, within the statistical error of the runs.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <numeric>
#include <vector>

#include "kernels/integrate/mtk_npt.hpp"
#include "kernels/units.hpp"
#include "tests/common/lj_systems.hpp"
#include "tests/common/seed.hpp"

using namespace vitra;
using namespace vitra::integrate;

namespace {

struct VolumeStats {
  double mean = 0.0, variance = 0.0;
  double variance_error = 0.0;  // from 10 blocks
};

VolumeStats sample_volume(std::uint64_t seed, double p_bar, double t, int steps) {
  System s = test::fcc_argon(3, 5.45, 2 * t, seed);
  auto pot = test::argon_potential();
  MtkNpt npt(0.005, NhcSettings{0.1, 3, 1}, BarostatSettings{0.5, Coupling::Iso, {true, true, true}, 3});
  StepTargets st;
  st.temperature = t;
  for (int k = 0; k < 3; ++k) st.pressure.m[k][k] = p_bar;
  npt.setup(s, *pot, st, {});
  for (int i = 0; i < 4000; ++i) npt.step(s, *pot, st, ComputeRequest{false, false});
  std::vector<double> v;
  for (int i = 0; i < steps; ++i) {
    npt.step(s, *pot, st, ComputeRequest{false, false});
    if (i % 4 == 0) v.push_back(s.box.volume());
  }
  auto stats = [](const double* x, std::size_t n) {
    VolumeStats r;
    r.mean = std::accumulate(x, x + n, 0.0) / n;
    for (std::size_t i = 0; i < n; ++i) r.variance += (x[i] - r.mean) * (x[i] - r.mean);
    r.variance /= n - 1;
    return r;
  };
  VolumeStats all = stats(v.data(), v.size());
  const std::size_t nb = 10, len = v.size() / nb;
  double m = 0.0, m2 = 0.0;
  for (std::size_t b = 0; b < nb; ++b) {
    const double var = stats(v.data() + b * len, len).variance;
    m += var / nb;
    m2 += var * var / nb;
  }
  all.variance_error = std::sqrt((m2 - m * m) / (nb - 1));
  return all;
}

}  // namespace

TEST(NptCompressibility, VolumeFluctuationsMatchTheEquationOfState) {
  const auto seed = test::fresh_seed();
  SCOPED_TRACE(seed);
  const double t = 60.0, p0 = 500.0, dp = 500.0;  // K, bar
  const int steps = 40000;                        // 200 ps
  const VolumeStats at0 = sample_volume(seed, p0, t, steps);
  const VolumeStats up = sample_volume(seed + 1, p0 + dp, t, steps / 4);
  const VolumeStats down = sample_volume(seed + 2, p0 - dp, t, steps / 4);
  const double kt = units::kBoltzmann * t;
  const double to_per_gpa = units::kEvPerA3ToGPa;  // Å³/eV -> 1/GPa
  const double kappa_fluct = at0.variance / (kt * at0.mean) / to_per_gpa;
  const double kappa_fluct_err = at0.variance_error / (kt * at0.mean) / to_per_gpa;
  const double kappa_eos = -(up.mean - down.mean) / (2 * dp * 1e-4 * at0.mean);  // bar -> GPa
  std::printf("LJ argon 108 atoms %.0f K: kappa_T fluctuations %.4f +- %.4f 1/GPa, equation of state %.4f 1/GPa\n",
              t, kappa_fluct, kappa_fluct_err, kappa_eos);
  EXPECT_NEAR(kappa_fluct / kappa_eos, 1.0, std::max(0.1, 3.0 * kappa_fluct_err / kappa_eos));
  EXPECT_LT(kappa_fluct_err / kappa_fluct, 0.1);  // the check above has teeth
}
