// Integrators under the CUDA backend against the CPU backend: NVE, NVT, NPT
// (tri) and FIRE on Lennard-Jones argon from the same start. The two
// backends sum forces and reductions in different orders, so trajectories
// agree to round-off growth, not bit for bit. Skips without a GPU.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>

#include "kernels/integrate/fire.hpp"
#include "kernels/integrate/mtk_npt.hpp"
#include "kernels/integrate/nose_hoover_nvt.hpp"
#include "kernels/integrate/velocity_verlet.hpp"
#include "tests/common/backend_guard.hpp"
#include "tests/common/lj_systems.hpp"
#include "tests/common/seed.hpp"

using namespace vitra;
using namespace vitra::integrate;
using test::BackendGuard;
using test::fresh_seed;

namespace {

struct Final {
  std::vector<double> x, v;
  Mat3 h;
  double reservoir = 0.0;
};

using MakeIntegrator = std::function<std::unique_ptr<Integrator>()>;

Final run_on(Backend b, std::uint64_t seed, const MakeIntegrator& make, int steps) {
  BackendGuard guard(b);
  System s = test::fcc_argon(4, 5.35, 80.0, seed, 0.03, -0.02, 0.01);
  auto pot = test::argon_potential();
  auto integ = make();
  StepTargets t;
  t.temperature = 100.0;
  for (int k = 0; k < 3; ++k) t.pressure.m[k][k] = 500.0;
  integ->setup(s, *pot, t, {});
  for (int i = 0; i < steps; ++i) integ->step(s, *pot, t, ComputeRequest{i % 10 == 0, i % 10 == 0});
  return {s.positions.to_host(), s.velocities.to_host(), s.box.h, integ->reservoir_energy()};
}

void expect_same(const Final& a, const Final& b, double tol) {
  double dx = 0.0, dv = 0.0;
  for (std::size_t k = 0; k < a.x.size(); ++k) {
    dx = std::max(dx, std::fabs(a.x[k] - b.x[k]));
    dv = std::max(dv, std::fabs(a.v[k] - b.v[k]));
  }
  EXPECT_LT(dx, tol) << "positions (Å)";
  EXPECT_LT(dv, 100 * tol) << "velocities (Å/ps)";
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) EXPECT_NEAR(a.h.m[i][j], b.h.m[i][j], tol);
  EXPECT_NEAR(a.reservoir, b.reservoir, 1e-8 + 1e-8 * std::fabs(b.reservoir));
}

void compare(const MakeIntegrator& make) {
  VITRA_REQUIRE_CUDA();
  const auto seed = fresh_seed();
  SCOPED_TRACE(seed);
  const Final gpu = run_on(Backend::Cuda, seed, make, 300);
  const Final cpu = run_on(Backend::Cpu, seed, make, 300);
  expect_same(gpu, cpu, 1e-8);
}

}  // namespace

TEST(IntegratorsGpu, VelocityVerletMatchesCpu) {
  compare([] { return std::make_unique<VelocityVerlet>(0.005); });
}

TEST(IntegratorsGpu, NoseHooverNvtMatchesCpu) {
  compare([] { return std::make_unique<NoseHooverNvt>(0.005, NhcSettings{0.1, 3, 2}); });
}

TEST(IntegratorsGpu, MtkNptTriMatchesCpu) {
  compare([] {
    return std::make_unique<MtkNpt>(0.005, NhcSettings{0.1, 3, 1},
                                    BarostatSettings{0.5, Coupling::Tri, {true, true, true}, 3});
  });
}

TEST(IntegratorsGpu, FireMatchesCpu) {
  VITRA_REQUIRE_CUDA();
  const auto seed = fresh_seed();
  SCOPED_TRACE(seed);
  FireResult r[2];
  Final f[2];
  for (int k = 0; k < 2; ++k) {
    BackendGuard guard(k == 0 ? Backend::Cuda : Backend::Cpu);
    System s = test::fcc_argon(3, 5.5, 200.0, seed);
    auto pot = test::argon_potential();
    FireSettings set;
    set.ftol = 1e-5;
    set.max_steps = 200;  // compare the path, not only the end point
    r[k] = fire_minimize(s, *pot, set);
    f[k] = {s.positions.to_host(), s.velocities.to_host(), s.box.h, 0.0};
  }
  EXPECT_EQ(r[0].steps, r[1].steps);
  EXPECT_NEAR(r[0].energy, r[1].energy, 1e-9 * std::fabs(r[1].energy));
  expect_same(f[0], f[1], 1e-8);
}
