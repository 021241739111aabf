// Ensemble under the CUDA backend against the CPU backend: model 0's forces,
// every model's totals, the per-atom force deviation and the DP-GEN columns
// (float64 models, to 1e-10 of the scale), with the deviation on and off.
// Skips without a GPU.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "kernels/deepmd/ensemble.hpp"
#include "tests/common/backend_guard.hpp"
#include "tests/common/random_cells.hpp"
#include "tests/common/random_se_e2_a.hpp"
#include "tests/common/seed.hpp"

using namespace vitra;
using test::BackendGuard;
using test::fresh_seed;
using test::SeE2aShape;

namespace {

struct Out {
  ModelDeviation d;
  std::vector<Vec3> forces;
  std::vector<double> sigma;
  std::vector<double> energies;
};

Out evaluate(Backend b, const std::vector<deepmd::SeE2aModel>& models, const Mat3& h, const std::vector<int>& types,
             const std::vector<Vec3>& x, bool deviation) {
  BackendGuard guard(b);
  TypeMap tm;
  tm.names = models[0].type_map;
  tm.masses.assign(tm.names.size(), 10.0);
  System s(Box(h), tm, types, x);
  Ensemble ens(models);
  ens.set_compute_deviation(deviation);
  ens.compute(s);
  Out o;
  o.forces = s.host_forces();
  if (deviation) {
    o.d = ens.last_deviation();
    o.sigma = ens.atom_force_deviation().to_host();
    for (const ComputeResult& r : ens.model_results()) o.energies.push_back(r.energy);
  }
  return o;
}

TEST(EnsembleGpu, MatchesTheCpuBackend) {
  VITRA_REQUIRE_CUDA();
  const auto seed = fresh_seed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  SeE2aShape shape;
  std::vector<deepmd::SeE2aModel> models;
  for (int k = 0; k < 4; ++k) models.push_back(test::random_se_e2_a(rng, shape));
  const Mat3 h = test::random_cell(rng, 7.0, 10.0, 0.3);
  const std::vector<Vec3> x = test::jittered_grid(rng, h, 2.2, 0.2);
  std::vector<int> types;
  std::uniform_int_distribution<int> t(0, 1);
  for (std::size_t i = 0; i < x.size(); ++i) types.push_back(t(rng));

  for (bool deviation : {true, false}) {
    const Out cpu = evaluate(Backend::Cpu, models, h, types, x, deviation);
    const Out gpu = evaluate(Backend::Cuda, models, h, types, x, deviation);
    double fscale = 1.0;
    for (const Vec3& f : cpu.forces) fscale = std::max(fscale, norm(f));
    const double rel = 1e-10;
    for (std::size_t i = 0; i < cpu.forces.size(); ++i)
      ASSERT_LT(norm(gpu.forces[i] - cpu.forces[i]), rel * fscale) << "atom " << i;
    if (!deviation) continue;
    for (std::size_t k = 0; k < cpu.energies.size(); ++k)
      EXPECT_NEAR(gpu.energies[k], cpu.energies[k], rel * std::max(1.0, std::abs(cpu.energies[k])));
    for (std::size_t i = 0; i < cpu.sigma.size(); ++i) EXPECT_NEAR(gpu.sigma[i], cpu.sigma[i], rel * fscale) << i;
    EXPECT_NEAR(gpu.d.max_devi_f, cpu.d.max_devi_f, rel * fscale);
    EXPECT_NEAR(gpu.d.min_devi_f, cpu.d.min_devi_f, rel * fscale);
    EXPECT_NEAR(gpu.d.avg_devi_f, cpu.d.avg_devi_f, rel * fscale);
    EXPECT_NEAR(gpu.d.max_devi_v, cpu.d.max_devi_v, rel * fscale);
    EXPECT_NEAR(gpu.d.min_devi_v, cpu.d.min_devi_v, rel * fscale);
    EXPECT_NEAR(gpu.d.avg_devi_v, cpu.d.avg_devi_v, rel * fscale);
    EXPECT_NEAR(gpu.d.devi_e, cpu.d.devi_e, rel * std::max(1.0, std::abs(cpu.energies[0]) / cpu.forces.size()));
  }
}

}  // namespace
