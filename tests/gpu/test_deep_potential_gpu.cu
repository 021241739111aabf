// DeepPotential under the CUDA backend against the CPU backend's generic
// passes: the fused descriptor kernels with cuBLAS fitting, and the generic
// passes on the GPU, on random se_e2_a models (float64 to 1e-10 of the scale,
// float32 to its stated bound), including a cell narrower than rcut, type
// exclusions, several chunks and the reference widths; plus the DeePMD-kit
// fixture. Skips without a GPU.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "host/model/deepmd_model_io.hpp"
#include "kernels/deepmd/deep_potential.hpp"
#include "tests/common/backend_guard.hpp"
#include "tests/common/random_cells.hpp"
#include "tests/common/random_se_e2_a.hpp"
#include "tests/common/seed.hpp"

using namespace vitra;
using test::BackendGuard;
using test::fresh_seed;
using test::SeE2aShape;

namespace {

struct Case {
  Mat3 h;
  std::vector<int> types;
  std::vector<Vec3> x;
};

Case random_case(std::mt19937_64& rng, int ntypes, double lmin, double lmax) {
  Case c;
  c.h = test::random_cell(rng, lmin, lmax, 0.3);
  c.x = test::jittered_grid(rng, c.h, 2.2, 0.2);
  std::uniform_int_distribution<int> t(0, ntypes - 1);
  for (std::size_t i = 0; i < c.x.size(); ++i) c.types.push_back(t(rng));
  return c;
}

struct Result {
  double energy = 0;
  Mat3 virial;
  std::vector<Vec3> forces;
  std::vector<double> atom_energy, atom_virial;
};

Result evaluate(Backend b, const deepmd::SeE2aModel& model, const Case& c, DeepPotentialOptions o) {
  BackendGuard guard(b);
  TypeMap tm;
  tm.names = model.type_map;
  tm.masses.assign(tm.names.size(), 10.0);
  System s(Box(c.h), tm, c.types, c.x);
  DeepPotential pot(model, o);
  ComputeRequest all;
  all.atom_energy = all.atom_virial = true;
  Result r;
  const ComputeResult cr = pot.compute(s, all);
  r.energy = cr.energy;
  r.virial = cr.virial;
  r.forces = s.host_forces();
  r.atom_energy = pot.atom_energy().to_host();
  r.atom_virial = pot.atom_virial().to_host();
  return r;
}

void expect_close(const Result& a, const Result& b, double rel) {
  double fmag = 1.0;
  for (const Vec3& f : b.forces) fmag = std::max(fmag, norm(f));
  EXPECT_NEAR(a.energy, b.energy, rel * std::max(1.0, std::abs(b.energy)));
  for (std::size_t i = 0; i < b.forces.size(); ++i) EXPECT_LT(norm(a.forces[i] - b.forces[i]), rel * fmag) << i;
  for (std::size_t i = 0; i < b.atom_energy.size(); ++i)
    EXPECT_NEAR(a.atom_energy[i], b.atom_energy[i], rel * std::max(1.0, std::abs(b.atom_energy[i]))) << i;
  for (std::size_t k = 0; k < b.atom_virial.size(); ++k) EXPECT_NEAR(a.atom_virial[k], b.atom_virial[k], rel * fmag) << k;
  for (int p = 0; p < 3; ++p)
    for (int q = 0; q < 3; ++q) EXPECT_NEAR(a.virial.m[p][q], b.virial.m[p][q], rel * fmag * b.forces.size());
}

void check(const SeE2aShape& shape, double lmin, double lmax, std::size_t chunk) {
  VITRA_REQUIRE_CUDA();
  const auto seed = fresh_seed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  const deepmd::SeE2aModel model = test::random_se_e2_a(rng, shape);
  const Case c = random_case(rng, model.ntypes(), lmin, lmax);
  DeepPotentialOptions cpu, fused, generic;
  cpu.kernels = DeepKernels::Generic;
  generic.kernels = DeepKernels::Generic;
  fused.kernels = DeepKernels::Fused;
  cpu.max_chunk_atoms = fused.max_chunk_atoms = generic.max_chunk_atoms = chunk;
  const Result ref = evaluate(Backend::Cpu, model, c, cpu);
  const double rel = shape.precision == deepmd::Precision::Float32 ? 3e-5 : 1e-10;
  {
    SCOPED_TRACE("fused kernels + cuBLAS fitting");
    expect_close(evaluate(Backend::Cuda, model, c, fused), ref, rel);
  }
  {
    SCOPED_TRACE("generic passes on the GPU");
    expect_close(evaluate(Backend::Cuda, model, c, generic), ref, rel);
  }
}

}  // namespace

TEST(DeepPotentialGpu, MatchesCpu) { check(SeE2aShape{}, 9.0, 14.0, 0); }

TEST(DeepPotentialGpu, SmallCellAndChunks) {
  check(SeE2aShape{}, 4.5, 6.0, 0);
  check(SeE2aShape{}, 9.0, 14.0, 37);
}

TEST(DeepPotentialGpu, ExclusionsAndTypeOneSide) {
  SeE2aShape shape;
  shape.type_map = {"O", "B", "Li"};
  shape.sel = {24, 24, 24};
  shape.exclude_types = {{0, 2}, {1, 1}};
  shape.atom_exclude_types = {2};
  check(shape, 9.0, 12.0, 0);
  shape.type_one_side = true;
  check(shape, 9.0, 12.0, 0);
}

TEST(DeepPotentialGpu, ReferenceWidthsFloat64AndFloat32) {
  SeE2aShape shape;
  shape.type_map = {"O", "B", "Li", "Si"};
  shape.rcut = 6.0;
  shape.rcut_smth = 0.5;
  shape.sel = {60, 30, 30, 30};
  shape.neuron = {25, 50, 100};
  shape.axis_neuron = 16;
  shape.fitting = {240, 240, 240};
  check(shape, 12.0, 14.0, 0);
  shape.precision = deepmd::Precision::Float32;
  check(shape, 12.0, 14.0, 0);
}

TEST(DeepPotentialGpu, DeepmdKitFixture) {
  VITRA_REQUIRE_CUDA();
  const std::string dir = std::string(VITRA_SHARED_DIR) + "/data/deepmd-fixtures";
  if (!std::filesystem::exists(dir + "/deeppot_sea.yaml")) GTEST_SKIP() << "no fixtures under " << dir;
  const deepmd::SeE2aModel model = read_model(dir + "/deeppot_sea.yaml");
  Case c;
  for (int k = 0; k < 3; ++k) c.h.m[k][k] = 13.0;
  c.x = {{12.83, 2.56, 2.18}, {12.09, 2.87, 2.74}, {0.25, 3.32, 1.68},
         {3.36, 3.00, 1.81},  {3.51, 2.51, 2.60},  {4.27, 3.22, 1.56}};
  c.types = {0, 1, 1, 0, 1, 1};
  DeepPotentialOptions o;
  const Result gpu = evaluate(Backend::Cuda, model, c, o);
  o.kernels = DeepKernels::Generic;
  const Result cpu = evaluate(Backend::Cpu, model, c, o);
  expect_close(gpu, cpu, 1e-12);
}
