// Nosé–Hoover chains sample the canonical ensemble: in liquid Lennard-Jones
// argon the kinetic energy K of the thermostatted run has the canonical mean
// (dof/2) kB T and variance (dof/2) (kB T)² (K is Gamma distributed), while
// a microcanonical run at the same temperature has a much narrower K.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <vector>

#include "kernels/integrate/nose_hoover_nvt.hpp"
#include "kernels/integrate/velocity_verlet.hpp"
#include "kernels/kinetic.hpp"
#include "kernels/units.hpp"
#include "tests/common/lj_systems.hpp"
#include "tests/common/seed.hpp"

using namespace vitra;
using namespace vitra::integrate;

namespace {

struct Moments {
  double mean = 0.0, variance = 0.0;
};

Moments moments(const std::vector<double>& x) {
  Moments m;
  m.mean = std::accumulate(x.begin(), x.end(), 0.0) / x.size();
  for (double v : x) m.variance += (v - m.mean) * (v - m.mean);
  m.variance /= x.size() - 1;
  return m;
}

std::vector<double> sample_kinetic(System& s, Potential& p, Integrator& integ, double t, int steps, int every) {
  StepTargets st;
  st.temperature = t;
  std::vector<double> k;
  for (int i = 0; i < steps; ++i) {
    integ.step(s, p, st, ComputeRequest{false, false});
    if (i % every == 0) k.push_back(kinetic_energy(s));
  }
  return k;
}

}  // namespace

TEST(CanonicalSampling, NoseHooverKineticEnergyIsGammaDistributed) {
  const auto seed = test::fresh_seed();
  SCOPED_TRACE(seed);
  const double t = 120.0, dt = 0.005;
  System s = test::fcc_argon(3, 5.9, 2 * t, seed);  // 108 atoms at 1.29 g/cm³: melts at 120 K
  auto pot = test::argon_potential();
  NoseHooverNvt nvt(dt, NhcSettings{0.1, 3, 1});
  StepTargets st;
  st.temperature = t;
  nvt.setup(s, *pot, st, {});
  sample_kinetic(s, *pot, nvt, t, 3000, 1000);  // melt and equilibrate, 15 ps
  const Moments m = moments(sample_kinetic(s, *pot, nvt, t, 25000, 10));

  const double dof = static_cast<double>(degrees_of_freedom(s));
  const double kt = units::kBoltzmann * t;
  const double mean_canonical = 0.5 * dof * kt, var_canonical = 0.5 * dof * kt * kt;
  EXPECT_NEAR(m.mean / mean_canonical, 1.0, 0.01);
  EXPECT_NEAR(m.variance / var_canonical, 1.0, 0.2);

  // The same liquid without the thermostat: K fluctuates far less.
  VelocityVerlet nve(dt);
  nve.setup(s, *pot, st, {});
  const Moments e = moments(sample_kinetic(s, *pot, nve, t, 6000, 10));
  EXPECT_LT(e.variance, 0.6 * var_canonical);
}
