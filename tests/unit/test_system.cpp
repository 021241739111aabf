// System state on the CPU backend: construction, kinetic quantities,
// Maxwell–Boltzmann velocities, wrapping.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "kernels/kinetic.hpp"
#include "kernels/units.hpp"
#include "kernels/velocity_init.hpp"
#include "kernels/wrap.hpp"
#include "tests/common/seed.hpp"
#include "tests/common/random_system.hpp"

using namespace vitra;
using test::fresh_seed;


TEST(System, HostRoundTripAndValidation) {
  const auto seed = fresh_seed();
  SCOPED_TRACE(seed);
  std::mt19937_64 rng(seed);
  const Mat3 h = test::random_cell(rng, 8, 12, 0.2);
  const auto r = test::random_positions(rng, h, 100);
  std::vector<int> types(100, 1);
  System s(Box(h), test::lbo_type_map(), types, r);
  const auto back = s.host_positions();
  for (std::size_t i = 0; i < r.size(); ++i) EXPECT_EQ(norm(back[i] - r[i]), 0.0);
  for (const Vec3& v : s.host_velocities()) EXPECT_EQ(norm(v), 0.0);
  types[7] = 3;  // outside the 3-type map
  EXPECT_THROW(System(Box(h), test::lbo_type_map(), types, r), std::invalid_argument);
  EXPECT_THROW(System(Box(h), test::lbo_type_map(), std::vector<int>(99, 0), r), std::invalid_argument);
}

TEST(Kinetic, EnergyMomentumTemperatureMatchHostLoops) {
  const auto seed = fresh_seed();
  SCOPED_TRACE(seed);
  std::mt19937_64 rng(seed);
  System s = test::random_system(rng, 5000);
  const auto v = s.host_velocities();
  const auto t = s.host_types();
  double ke = 0;
  Vec3 p;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const double m = s.type_map.masses[t[i]];
    ke += 0.5 * m * norm2(v[i]);
    p += m * v[i];
  }
  ke *= units::kMvv2e;
  EXPECT_NEAR(kinetic_energy(s), ke, 1e-10 * ke);
  EXPECT_NEAR(norm(total_momentum(s) - p), 0.0, 1e-9 * norm(p) + 1e-9);
  const double T = 2 * ke / ((3.0 * v.size() - 3) * units::kBoltzmann);
  EXPECT_NEAR(temperature(s), T, 1e-10 * T);
  remove_com_momentum(s);
  EXPECT_NEAR(norm(total_momentum(s)), 0.0, 1e-8);
}

TEST(MaxwellBoltzmann, ExactTemperatureZeroMomentumReproducible) {
  const auto seed = fresh_seed();
  SCOPED_TRACE(seed);
  std::mt19937_64 rng(seed);
  System s = test::random_system(rng, 3000);
  VelocityInit opt;
  opt.temperature = 1234.5;
  opt.seed = seed;
  maxwell_boltzmann(s, opt);
  EXPECT_NEAR(temperature(s), 1234.5, 1e-9);
  EXPECT_NEAR(norm(total_momentum(s)), 0.0, 1e-8);
  const auto v1 = s.host_velocities();
  maxwell_boltzmann(s, opt);
  const auto v2 = s.host_velocities();
  for (std::size_t i = 0; i < v1.size(); ++i) ASSERT_EQ(norm(v1[i] - v2[i]), 0.0);
  opt.seed = seed + 1;
  maxwell_boltzmann(s, opt);
  EXPECT_GT(norm(s.host_velocities()[0] - v1[0]), 0.0);
}

TEST(MaxwellBoltzmann, ComponentVarianceIsKTOverMassPerSpecies) {
  // Without rescaling, <v_k²> = kB T / m for every species: check within
  // 5 standard errors (the variance of a normal sample has relative standard
  // error sqrt(2/n)).
  const auto seed = fresh_seed();
  SCOPED_TRACE(seed);
  std::mt19937_64 rng(seed);
  System s = test::random_system(rng, 60000);
  VelocityInit opt;
  opt.temperature = 800.0;
  opt.seed = seed;
  opt.zero_com = false;
  opt.exact_temperature = false;
  maxwell_boltzmann(s, opt);
  const auto v = s.host_velocities();
  const auto t = s.host_types();
  for (int type = 0; type < 3; ++type) {
    double sum2 = 0, sum = 0;
    std::size_t count = 0;
    for (std::size_t i = 0; i < v.size(); ++i)
      if (t[i] == type)
        for (int k = 0; k < 3; ++k) {
          sum2 += v[i][k] * v[i][k];
          sum += v[i][k];
          ++count;
        }
    const double expected = units::kBoltzmann * opt.temperature / units::kMvv2e / s.type_map.masses[type];
    EXPECT_NEAR(sum2 / count, expected, 5.0 * std::sqrt(2.0 / count) * expected) << "type " << type;
    EXPECT_NEAR(sum / count, 0.0, 5.0 * std::sqrt(expected / count)) << "type " << type;
  }
}

TEST(Wrap, IntoCellWithImagesThatRestoreUnwrapped) {
  const auto seed = fresh_seed();
  SCOPED_TRACE(seed);
  std::mt19937_64 rng(seed);
  System s = test::random_system(rng, 4000, /*outside=*/2.5);
  const auto r0 = s.host_positions();
  wrap_positions(s);
  const auto r = s.host_positions();
  for (const Vec3& p : r) {
    const Vec3 f = s.box.to_fractional(p);
    for (int k = 0; k < 3; ++k) {
      ASSERT_GE(f[k], 0.0);
      ASSERT_LT(f[k], 1.0);
    }
  }
  DeviceArray<double> unwrapped;
  unwrapped_positions(s, unwrapped);
  const auto u = unwrapped.to_host();
  for (std::size_t i = 0; i < r0.size(); ++i)
    ASSERT_NEAR(norm(load_vec3(u.data(), r0.size(), i) - r0[i]), 0.0, 1e-9);
  // Wrapping twice changes nothing.
  wrap_positions(s);
  const auto r2 = s.host_positions();
  for (std::size_t i = 0; i < r.size(); ++i) ASSERT_EQ(norm(r2[i] - r[i]), 0.0);
}
