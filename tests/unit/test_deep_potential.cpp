// DeepPotential (se_e2_a) on the CPU backend: forces and virial against
// central finite differences of its energy, per-atom sums, independence of
// the chunking and of the System's element order, exclusions, and the input
// errors. Agreement with DeePMD-kit itself is tests/oracle/test_deepmd_oracle.py.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "tests/common/deepmd_configs.hpp"
#include "tests/common/random_cells.hpp"
#include "tests/common/random_se_e2_a.hpp"
#include "tests/common/seed.hpp"
#include "kernels/deepmd/deep_potential.hpp"
#include "kernels/system.hpp"

namespace vitra {
namespace {

using test::fresh_seed;
using test::SeE2aShape;

using Config = test::DeepConfig;
using test::deep_system;
using test::random_deep_config;

double energy_at(DeepPotential& pot, System& s, const Mat3& h, const std::vector<Vec3>& x) {
  s.box = Box(h);
  s.set_positions(x);
  ComputeRequest req;
  req.virial = false;
  return pot.compute(s, req).energy;
}

void check_finite_differences(const SeE2aShape& shape, bool small) {
  const auto seed = fresh_seed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  const deepmd::SeE2aModel model = test::random_se_e2_a(rng, shape);
  Config c = random_deep_config(rng, small, model.ntypes());
  System s = deep_system(c, model.type_map);
  DeepPotential pot(model);
  ComputeRequest all;
  all.atom_energy = all.atom_virial = true;
  const ComputeResult ref = pot.compute(s, all);
  c.x = s.host_positions();  // as the potential wrapped them
  const std::vector<Vec3> f = s.host_forces();
  double fmag = 0.0;
  for (const Vec3& v : f) fmag = std::max(fmag, norm(v));
  ASSERT_GT(fmag, 1e-6);  // not a trivially zero field
  ASSERT_TRUE(std::isfinite(ref.energy));

  // Sums of the per-atom outputs.
  const std::vector<double> ae = pot.atom_energy().to_host();
  double esum = 0.0;
  for (double e : ae) esum += e;
  EXPECT_NEAR(esum, ref.energy, 1e-12 * std::max(1.0, std::abs(ref.energy)));
  const std::vector<double> aw = pot.atom_virial().to_host();
  const std::size_t n = s.size();
  for (int k = 0; k < 9; ++k) {
    double w = 0.0;
    for (std::size_t i = 0; i < n; ++i) w += aw[k * n + i];
    EXPECT_NEAR(w, ref.virial.m[k / 3][k % 3], 1e-11 * std::max(1.0, fmag));
  }
  // Newton's third law: the forces sum to zero.
  Vec3 fsum{};
  for (const Vec3& v : f) fsum += v;
  EXPECT_LT(norm(fsum), 1e-11 * n * fmag);

  const double step = 1e-5;
  const double tol = 2e-7 * std::max(1.0, fmag);
  for (std::size_t i = 0; i < c.x.size(); ++i)
    for (int k = 0; k < 3; ++k) {
      std::vector<Vec3> xp = c.x, xm = c.x;
      xp[i][k] += step;
      xm[i][k] -= step;
      const double fd = -(energy_at(pot, s, c.h, xp) - energy_at(pot, s, c.h, xm)) / (2 * step);
      ASSERT_NEAR(f[i][k], fd, tol) << "atom " << i << " component " << k;
    }
  // r' = r (I + ε), h' = h (I + ε): dE/dε_ab = Σ_pairs (r_ij)_a (dE/dr_ij)_b,
  // and DeePMD-kit's orientation W_ab = −Σ (dE/dr_ij)_a (r_ij)_b = −dE/dε_ba.
  // (The random davg/dstd are anisotropic, so the model is not rotation
  // invariant and W is not symmetric: the orientation is tested.)
  for (int a = 0; a < 3; ++a)
    for (int b = 0; b < 3; ++b) {
      double de[2];
      for (int sign = 0; sign < 2; ++sign) {
        Mat3 strain = Mat3::identity();
        strain.m[a][b] += sign == 0 ? step : -step;
        std::vector<Vec3> x = c.x;
        for (Vec3& r : x) r = r * strain;
        de[sign] = energy_at(pot, s, c.h * strain, x);
      }
      EXPECT_NEAR(ref.virial.m[b][a], -(de[0] - de[1]) / (2 * step), tol * 10) << "component " << b << a;
    }
}

TEST(DeepPotential, ForcesAndVirialMatchFiniteDifferences) { check_finite_differences(SeE2aShape{}, false); }

TEST(DeepPotential, CellNarrowerThanCutoffMatchesFiniteDifferences) {
  check_finite_differences(SeE2aShape{}, true);
}

TEST(DeepPotential, TypeOneSideWithExclusionsMatchesFiniteDifferences) {
  SeE2aShape shape;
  shape.type_map = {"O", "B", "Li"};
  shape.sel = {24, 24, 24};
  shape.type_one_side = true;
  shape.exclude_types = {{1, 2}};
  shape.neuron = {6, 6};  // 1 -> 6, 6 -> 6 (y += x)
  shape.axis_neuron = 4;
  shape.fitting = {8, 16};
  check_finite_differences(shape, false);
}

TEST(DeepPotential, OtherActivationsMatchFiniteDifferences) {
  for (deepmd::Activation act : {deepmd::Activation::Gelu, deepmd::Activation::Softplus,
                                 deepmd::Activation::Sigmoid, deepmd::Activation::Silu}) {
    SCOPED_TRACE(deepmd::activation_name(act));
    SeE2aShape shape;
    shape.activation = act;
    shape.resnet_dt = false;
    check_finite_differences(shape, false);
  }
}

TEST(DeepPotential, Float32FollowsFloat64) {
  const auto seed = fresh_seed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  deepmd::SeE2aModel m64 = test::random_se_e2_a(rng, SeE2aShape{});
  deepmd::SeE2aModel m32 = m64;
  m32.precision = deepmd::Precision::Float32;
  const Config c = random_deep_config(rng, false, 2);
  System s64 = deep_system(c, m64.type_map), s32 = deep_system(c, m64.type_map);
  DeepPotential p64(m64), p32(m32);
  const ComputeResult r64 = p64.compute(s64), r32 = p32.compute(s32);
  const std::vector<Vec3> f64 = s64.host_forces(), f32 = s32.host_forces();
  double fmag = 0.0, df = 0.0;
  for (std::size_t i = 0; i < f64.size(); ++i) {
    fmag = std::max(fmag, norm(f64[i]));
    df = std::max(df, norm(f64[i] - f32[i]));
  }
  // float32 carries ~7 digits; sums over ~100 slots and 12-wide layers lose
  // about one more.
  EXPECT_NEAR(r32.energy, r64.energy, 1e-5 * std::abs(r64.energy) + 1e-5 * f64.size());
  EXPECT_LT(df, 1e-4 * fmag);
  EXPECT_GT(df, 0.0);  // the float32 path really ran in float32
}

TEST(DeepPotential, ChunksAndElementOrderDoNotChangeResults) {
  const auto seed = fresh_seed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  SeE2aShape shape;
  shape.type_map = {"O", "B", "Li", "Si"};
  shape.sel = {28, 24, 24, 4};
  shape.atom_exclude_types = {3};
  const deepmd::SeE2aModel model = test::random_se_e2_a(rng, shape);
  Config c = random_deep_config(rng, false, 3);  // no Si atoms: a type of the model the System lacks
  System s = deep_system(c, {"O", "B", "Li"});
  DeepPotential whole(model);
  ComputeRequest all;
  all.atom_energy = all.atom_virial = true;
  const ComputeResult r = whole.compute(s, all);
  c.x = s.host_positions();
  const std::vector<Vec3> f = s.host_forces();
  const std::vector<double> ae = whole.atom_energy().to_host();

  DeepPotentialOptions o;
  o.max_chunk_atoms = 7;
  DeepPotential chunked(model, o);
  System s2 = deep_system(c, {"O", "B", "Li"});
  const ComputeResult r2 = chunked.compute(s2, all);
  EXPECT_EQ(chunked.chunk_atoms(), 7u);
  EXPECT_EQ(r2.energy, r.energy);  // per-atom energies do not see the chunks
  // Forces: the same terms, summed in another order.
  const std::vector<Vec3> f2 = s2.host_forces();
  for (std::size_t i = 0; i < f.size(); ++i) EXPECT_LT(norm(f2[i] - f[i]), 1e-13) << i;

  // The same atoms with the System's elements listed in another order.
  const std::vector<std::string> names = {"Li", "O", "B"};
  Config c3 = c;
  for (int& t : c3.types) t = t == 0 ? 1 : (t == 1 ? 2 : 0);
  System s3 = deep_system(c3, names);
  DeepPotential other(model);
  const ComputeResult r3 = other.compute(s3, all);
  EXPECT_NEAR(r3.energy, r.energy, 1e-12 * std::abs(r.energy));
  const std::vector<Vec3> f3 = s3.host_forces();
  for (std::size_t i = 0; i < f.size(); ++i) EXPECT_LT(norm(f3[i] - f[i]), 1e-12) << i;
  const std::vector<double> ae3 = other.atom_energy().to_host();
  for (std::size_t i = 0; i < ae.size(); ++i) EXPECT_NEAR(ae3[i], ae[i], 1e-12 * std::abs(ae[i]) + 1e-14);
}

TEST(DeepPotential, ExcludedAtomTypeHasZeroEnergy) {
  const auto seed = fresh_seed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  SeE2aShape shape;
  shape.atom_exclude_types = {1};
  const deepmd::SeE2aModel model = test::random_se_e2_a(rng, shape);
  const Config c = random_deep_config(rng, false, 2);
  System s = deep_system(c, model.type_map);
  DeepPotential pot(model);
  ComputeRequest req;
  req.atom_energy = true;
  pot.compute(s, req);
  const std::vector<double> ae = pot.atom_energy().to_host();
  int zeros = 0;
  for (std::size_t i = 0; i < ae.size(); ++i) {
    if (c.types[i] == 1) EXPECT_EQ(ae[i], 0.0);
    else EXPECT_NE(ae[i], 0.0);
    zeros += c.types[i] == 1;
  }
  EXPECT_GT(zeros, 0);
}

TEST(DeepPotential, UnknownElementIsAnError) {
  std::mt19937_64 rng(fresh_seed());
  const deepmd::SeE2aModel model = test::random_se_e2_a(rng, SeE2aShape{});
  const Config c = random_deep_config(rng, false, 2);
  System s = deep_system(c, {"O", "Na"});
  DeepPotential pot(model);
  try {
    pot.compute(s);
    FAIL() << "expected ModelError";
  } catch (const ModelError& e) {
    EXPECT_NE(std::string(e.what()).find("Na"), std::string::npos) << e.what();
  }
}

TEST(DeepPotential, SelOverflowIsAnErrorUnlessTruncating) {
  std::mt19937_64 rng(fresh_seed());
  SeE2aShape shape;
  shape.sel = {3, 3};
  const deepmd::SeE2aModel model = test::random_se_e2_a(rng, shape);
  const Config c = random_deep_config(rng, false, 2);
  System s = deep_system(c, model.type_map);
  DeepPotential strict(model);
  try {
    strict.compute(s);
    FAIL() << "expected ModelError";
  } catch (const ModelError& e) {
    EXPECT_NE(std::string(e.what()).find("sel = 3"), std::string::npos) << e.what();
  }
  // Forces-only evaluations defer the check (no read-back) for up to
  // sel_check_interval evaluations; the first evaluation always checks.
  DeepPotentialOptions deferred;
  deferred.sel_check_interval = 3;
  DeepPotential later(model, deferred);
  ComputeRequest forces_only;
  forces_only.energy = forces_only.virial = false;
  EXPECT_THROW(later.compute(s, forces_only), ModelError);
  EXPECT_NO_THROW(later.compute(s, forces_only));
  EXPECT_NO_THROW(later.compute(s, forces_only));
  EXPECT_THROW(later.compute(s, forces_only), ModelError);
  EXPECT_NO_THROW(later.compute(s, forces_only));
  EXPECT_THROW(later.compute(s, ComputeRequest{}), ModelError);  // an output step checks at once
  DeepPotentialOptions o;
  o.truncate_sel = true;
  DeepPotential lenient(model, o);
  EXPECT_TRUE(std::isfinite(lenient.compute(s).energy));
}

}  // namespace
}  // namespace vitra

namespace vitra {
namespace {

// The fused descriptor blocks and the batched fitting (run here on the CPU
// with one thread per block) against the generic passes, for several model
// shapes: energies, per-atom energies, forces and per-atom virials.
void check_fused_matches_generic(const SeE2aShape& shape, bool small, std::size_t chunk) {
  const auto seed = fresh_seed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  const deepmd::SeE2aModel model = test::random_se_e2_a(rng, shape);
  const Config c = random_deep_config(rng, small, model.ntypes());
  ComputeRequest all;
  all.atom_energy = all.atom_virial = true;
  DeepPotentialOptions og, of;
  og.kernels = DeepKernels::Generic;
  of.kernels = DeepKernels::Fused;
  og.max_chunk_atoms = of.max_chunk_atoms = chunk;
  DeepPotential generic(model, og), fused(model, of);
  System sg = deep_system(c, model.type_map), sf = deep_system(c, model.type_map);
  const ComputeResult rg = generic.compute(sg, all), rf = fused.compute(sf, all);
  const double tol = shape.precision == deepmd::Precision::Float32 ? 2e-5 : 1e-12;
  EXPECT_NEAR(rf.energy, rg.energy, tol * std::max(1.0, std::abs(rg.energy)));
  const std::vector<double> eg = generic.atom_energy().to_host(), ef = fused.atom_energy().to_host();
  for (std::size_t i = 0; i < eg.size(); ++i) EXPECT_NEAR(ef[i], eg[i], tol * std::max(1.0, std::abs(eg[i]))) << i;
  const std::vector<Vec3> fg = sg.host_forces(), ff = sf.host_forces();
  double fmag = 0.0;
  for (const Vec3& v : fg) fmag = std::max(fmag, norm(v));
  for (std::size_t i = 0; i < fg.size(); ++i) EXPECT_LT(norm(ff[i] - fg[i]), tol * std::max(1.0, fmag)) << i;
  const std::vector<double> wg = generic.atom_virial().to_host(), wf = fused.atom_virial().to_host();
  for (std::size_t k = 0; k < wg.size(); ++k) EXPECT_NEAR(wf[k], wg[k], tol * std::max(1.0, fmag)) << k;
  for (int a = 0; a < 3; ++a)
    for (int b = 0; b < 3; ++b) EXPECT_NEAR(rf.virial.m[a][b], rg.virial.m[a][b], tol * std::max(1.0, fmag));
}

TEST(DeepPotentialFused, MatchesGeneric) { check_fused_matches_generic(SeE2aShape{}, false, 0); }

TEST(DeepPotentialFused, MatchesGenericInSmallCellsAndChunks) {
  check_fused_matches_generic(SeE2aShape{}, true, 0);
  check_fused_matches_generic(SeE2aShape{}, false, 5);
}

TEST(DeepPotentialFused, MatchesGenericWithExclusionsAndAtomTypes) {
  SeE2aShape shape;
  shape.type_map = {"O", "B", "Li"};
  shape.sel = {24, 24, 24};
  shape.exclude_types = {{0, 2}, {1, 1}};
  shape.atom_exclude_types = {2};
  shape.neuron = {5, 10, 10};  // none, (x, x), x
  shape.axis_neuron = 4;
  shape.fitting = {16, 16, 32};  // none, x, (x, x)
  check_fused_matches_generic(shape, false, 0);
  shape.type_one_side = true;
  check_fused_matches_generic(shape, false, 0);
}

TEST(DeepPotentialFused, MatchesGenericInFloat32) {
  SeE2aShape shape;
  shape.precision = deepmd::Precision::Float32;
  shape.activation = deepmd::Activation::Gelu;
  check_fused_matches_generic(shape, false, 0);
}

TEST(DeepPotentialFused, WideNetworksUseSeveralTiles) {
  // Widths near the reference model's: the tile holds only a few slots, so a
  // type block spans several tiles.
  SeE2aShape shape;
  shape.neuron = {25, 50, 100};
  shape.axis_neuron = 16;
  shape.fitting = {60, 60};
  check_fused_matches_generic(shape, false, 0);
}

}  // namespace
}  // namespace vitra
