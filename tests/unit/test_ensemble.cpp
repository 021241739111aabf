// Ensemble (kernels/deepmd/ensemble.hpp) on the CPU backend: the deviation
// against a brute-force host computation from separately evaluated
// DeepPotentials, zero deviation for copies of one model, model 0 driving the
// dynamics exactly as a lone DeepPotential, mismatched models, and the
// workflow side (potential kind "ensemble", the model_devi observer and
// model_devi.csv, resume, config errors). Agreement with DeePMD-kit's own
// calc_model_devi is tests/oracle/test_model_devi.py.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "host/error.hpp"
#include "host/io/structure_io.hpp"
#include "host/model/deepmd_model_io.hpp"
#include "host/structure.hpp"
#include "host/workflow/model_devi_log.hpp"
#include "host/workflow/runner.hpp"
#include "host/workflow/workflow_config.hpp"
#include "kernels/deepmd/deep_potential.hpp"
#include "kernels/deepmd/ensemble.hpp"
#include "kernels/system.hpp"
#include "tests/common/csv.hpp"
#include "tests/common/deepmd_configs.hpp"
#include "tests/common/random_cells.hpp"
#include "tests/common/random_se_e2_a.hpp"
#include "tests/common/seed.hpp"
#include "tests/common/temp_dir.hpp"

namespace vitra {
namespace {

using test::fresh_seed;
using test::SeE2aShape;

using Config = test::DeepConfig;
using test::deep_system;
using test::random_deep_config;

std::vector<deepmd::SeE2aModel> random_models(std::mt19937_64& rng, const SeE2aShape& shape, int m) {
  std::vector<deepmd::SeE2aModel> out;
  for (int k = 0; k < m; ++k) out.push_back(test::random_se_e2_a(rng, shape));
  return out;
}

// Per-model outputs of a lone DeepPotential.
struct Lone {
  double energy;
  Mat3 virial;
  std::vector<Vec3> f;
  std::vector<double> atom_e, atom_w;
};

Lone evaluate_alone(const deepmd::SeE2aModel& m, const Config& c, const DeepPotentialOptions& o) {
  System s = deep_system(c, m.type_map);
  DeepPotential pot(m, o);
  ComputeRequest all;
  all.atom_energy = all.atom_virial = true;
  const ComputeResult r = pot.compute(s, all);
  return Lone{r.energy, r.virial, s.host_forces(), pot.atom_energy().to_host(), pot.atom_virial().to_host()};
}

// numpy's std (1/M) of the values.
double np_std(const std::vector<double>& x) {
  double mean = 0;
  for (double v : x) mean += v;
  mean /= x.size();
  double ss = 0;
  for (double v : x) ss += (v - mean) * (v - mean);
  return std::sqrt(ss / x.size());
}

void check_against_brute_force(int nmodels, bool small, int chunk) {
  const auto seed = fresh_seed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  SeE2aShape shape;
  const std::vector<deepmd::SeE2aModel> models = random_models(rng, shape, nmodels);
  const Config c = random_deep_config(rng, small, 2);
  DeepPotentialOptions o;
  o.max_chunk_atoms = chunk;

  Ensemble ens(models, o);
  ASSERT_EQ(ens.size(), static_cast<std::size_t>(nmodels));
  System s = deep_system(c, shape.type_map);
  ComputeRequest all;
  all.atom_energy = all.atom_virial = true;
  const ComputeResult r = ens.compute(s, all);
  ASSERT_TRUE(ens.has_deviation());
  const ModelDeviation d = ens.last_deviation();
  const std::size_t n = s.size();

  // Brute force: every model alone on its own copy of the structure.
  std::vector<Lone> lone;
  for (const auto& m : models) lone.push_back(evaluate_alone(m, c, o));
  double fscale = 1.0;
  for (const Lone& l : lone)
    for (const Vec3& v : l.f) fscale = std::max(fscale, norm(v));

  // Model 0 drives: s.forces, energy, virial and per-atom outputs are its own.
  const std::vector<Vec3> f0 = s.host_forces();
  EXPECT_NEAR(r.energy, lone[0].energy, 1e-12 * std::max(1.0, std::abs(lone[0].energy)));
  for (int a = 0; a < 3; ++a)
    for (int b = 0; b < 3; ++b) EXPECT_NEAR(r.virial.m[a][b], lone[0].virial.m[a][b], 1e-12 * fscale);
  for (std::size_t i = 0; i < n; ++i)
    for (int k = 0; k < 3; ++k) ASSERT_NEAR(f0[i][k], lone[0].f[i][k], 1e-12 * fscale) << "atom " << i;
  const std::vector<double> ae = ens.atom_energy().to_host(), aw = ens.atom_virial().to_host();
  ASSERT_EQ(ae.size(), n);
  ASSERT_EQ(aw.size(), 9 * n);
  for (std::size_t i = 0; i < n; ++i) EXPECT_NEAR(ae[i], lone[0].atom_e[i], 1e-12 * std::max(1.0, std::abs(ae[i])));
  for (std::size_t i = 0; i < 9 * n; ++i) EXPECT_NEAR(aw[i], lone[0].atom_w[i], 1e-12 * fscale);

  // The other models' forces and totals.
  ASSERT_EQ(ens.model_results().size(), static_cast<std::size_t>(nmodels));
  for (int k = 1; k < nmodels; ++k) {
    const double* fk = ens.model_forces(k);
    ASSERT_NE(fk, nullptr);
    std::vector<double> host(3 * n);
    memory::copy_from(host.data(), fk, active_backend(), host.size() * sizeof(double));
    for (std::size_t i = 0; i < n; ++i)
      for (int a = 0; a < 3; ++a)
        ASSERT_NEAR(host[a * n + i], lone[k].f[i][a], 1e-12 * fscale) << "model " << k << " atom " << i;
    EXPECT_NEAR(ens.model_results()[k].energy, lone[k].energy, 1e-12 * std::max(1.0, std::abs(lone[k].energy)));
  }

  // σ_F,i = sqrt(Σ_c var_k F_k,i,c), max/min/mean over atoms.
  const std::vector<double> sigma = ens.atom_force_deviation().to_host();
  ASSERT_EQ(sigma.size(), n);
  double fmax = -1, fmin = 1e300, fsum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    double var = 0;
    for (int a = 0; a < 3; ++a) {
      std::vector<double> x;
      for (const Lone& l : lone) x.push_back(l.f[i][a]);
      var += np_std(x) * np_std(x);
    }
    const double si = std::sqrt(var);
    EXPECT_NEAR(sigma[i], si, 1e-10 * fscale) << "atom " << i;
    fmax = std::max(fmax, si);
    fmin = std::min(fmin, si);
    fsum += si;
  }
  EXPECT_GT(fmax, 1e-6);  // random models differ
  EXPECT_NEAR(d.max_devi_f, fmax, 1e-10 * fscale);
  EXPECT_NEAR(d.min_devi_f, fmin, 1e-10 * fscale);
  EXPECT_NEAR(d.avg_devi_f, fsum / n, 1e-10 * fscale);

  // Energies and virials per atom: std over the models; avg_devi_v is the
  // norm of the 9 stds over 3 (DeePMD-kit's calc_model_devi_v).
  std::vector<double> e;
  double escale = 1.0;
  for (const Lone& l : lone) {
    e.push_back(l.energy / n);
    escale = std::max(escale, std::abs(l.energy / n));
  }
  EXPECT_NEAR(d.devi_e, np_std(e), 1e-11 * escale);
  double vmax = -1, vmin = 1e300, v2 = 0, vscale = 1.0;
  for (int comp = 0; comp < 9; ++comp) {
    std::vector<double> v;
    for (const Lone& l : lone) {
      v.push_back(l.virial.m[comp / 3][comp % 3] / n);
      vscale = std::max(vscale, std::abs(v.back()));
    }
    const double sv = np_std(v);
    vmax = std::max(vmax, sv);
    vmin = std::min(vmin, sv);
    v2 += sv * sv;
  }
  EXPECT_NEAR(d.max_devi_v, vmax, 1e-11 * vscale);
  EXPECT_NEAR(d.min_devi_v, vmin, 1e-11 * vscale);
  EXPECT_NEAR(d.avg_devi_v, std::sqrt(v2) / 3, 1e-11 * vscale);
}

TEST(Ensemble, DeviationMatchesBruteForceThreeModels) { check_against_brute_force(3, false, 0); }
TEST(Ensemble, DeviationMatchesBruteForceTwoModelsSmallCell) { check_against_brute_force(2, true, 0); }
TEST(Ensemble, DeviationMatchesBruteForceFiveModelsChunked) { check_against_brute_force(5, false, 7); }

TEST(Ensemble, CopiesOfOneModelDoNotDeviate) {
  const auto seed = fresh_seed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  SeE2aShape shape;
  shape.type_one_side = true;
  const deepmd::SeE2aModel m = test::random_se_e2_a(rng, shape);
  const Config c = random_deep_config(rng, false, 2);
  Ensemble ens({m, m, m, m}, {});
  System s = deep_system(c, shape.type_map);
  const ComputeResult r = ens.compute(s);
  const ModelDeviation d = ens.last_deviation();
  double fscale = 1.0;
  for (const Vec3& v : s.host_forces()) fscale = std::max(fscale, norm(v));
  // The mean of identical values may differ from them in the last bit.
  EXPECT_LE(d.max_devi_f, 1e-14 * fscale);
  EXPECT_GE(d.min_devi_f, 0.0);
  EXPECT_LE(d.avg_devi_f, d.max_devi_f);
  EXPECT_LE(d.max_devi_v, 1e-14 * fscale);
  EXPECT_LE(d.avg_devi_v, 1e-14 * fscale);
  EXPECT_LE(d.devi_e, 1e-14 * std::max(1.0, std::abs(r.energy)));
  for (double x : ens.atom_force_deviation().to_host()) EXPECT_LE(x, 1e-14 * fscale);
}

TEST(Ensemble, ModelZeroDrivesExactlyAsALoneDeepPotential) {
  const auto seed = fresh_seed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  SeE2aShape shape;
  const std::vector<deepmd::SeE2aModel> models = random_models(rng, shape, 3);
  const Config c = random_deep_config(rng, false, 2);
  DeepPotential lone(models[0]);
  Ensemble ens(models);
  System a = deep_system(c, shape.type_map), b = deep_system(c, shape.type_map);
  // Several steps of random motion (the list is kept, then rebuilt), with the
  // deviation on and off: the forces are bit-for-bit the lone model's.
  std::normal_distribution<double> g(0.0, 0.15);
  for (int step = 0; step < 6; ++step) {
    ens.set_compute_deviation(step % 2 == 0);
    ComputeRequest req;
    req.energy = req.virial = step % 3 == 0;
    req.atom_energy = step == 4;
    const ComputeResult ra = lone.compute(a, req);
    const ComputeResult rb = ens.compute(b, req);
    EXPECT_EQ(ens.has_deviation(), step % 2 == 0);
    if (step % 2 != 0) {
      EXPECT_THROW(ens.last_deviation(), std::logic_error);
    }
    EXPECT_EQ(ra.energy, rb.energy);
    for (int p = 0; p < 3; ++p)
      for (int q = 0; q < 3; ++q) EXPECT_EQ(ra.virial.m[p][q], rb.virial.m[p][q]);
    const std::vector<Vec3> fa = a.host_forces(), fb = b.host_forces();
    for (std::size_t i = 0; i < fa.size(); ++i)
      for (int k = 0; k < 3; ++k) ASSERT_EQ(fa[i][k], fb[i][k]) << "step " << step << " atom " << i;
    if (req.atom_energy) {
      EXPECT_EQ(lone.atom_energy().to_host(), ens.atom_energy().to_host());
    }
    std::vector<Vec3> x = a.host_positions();
    for (Vec3& r : x)
      for (int k = 0; k < 3; ++k) r[k] += g(rng);
    a.set_positions(x);
    b.set_positions(x);
  }
  EXPECT_EQ(ens.cutoff(), lone.cutoff());
  EXPECT_NE(ens.name().find("ensemble of 3"), std::string::npos) << ens.name();
}

TEST(Ensemble, SelOverflowIsAModelErrorUnlessTruncated) {
  std::mt19937_64 rng(fresh_seed());
  SeE2aShape shape;
  shape.sel = {5, 5};  // ~25 neighbors within rcut
  const std::vector<deepmd::SeE2aModel> models = random_models(rng, shape, 2);
  const Config c = random_deep_config(rng, false, 2);
  {
    Ensemble ens(models);
    System s = deep_system(c, shape.type_map);
    try {
      ens.compute(s);
      FAIL() << "no error";
    } catch (const ModelError& e) {
      EXPECT_NE(std::string(e.what()).find("sel = 5"), std::string::npos) << e.what();
    }
  }
  DeepPotentialOptions o;
  o.truncate_sel = true;
  Ensemble ens(models, o);
  System s = deep_system(c, shape.type_map);
  ens.compute(s);
  EXPECT_GT(ens.last_deviation().max_devi_f, 0.0);
}

std::string invalid_argument_text(std::vector<deepmd::SeE2aModel> models) {
  try {
    Ensemble e(std::move(models));
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(Ensemble, MismatchedModelsAreRejected) {
  std::mt19937_64 rng(fresh_seed());
  SeE2aShape shape;
  const std::vector<deepmd::SeE2aModel> good = random_models(rng, shape, 3);
  EXPECT_NE(invalid_argument_text({good[0]}).find("at least two models"), std::string::npos);
  {
    SeE2aShape other = shape;
    other.rcut = 4.5;
    auto models = good;
    models[2] = test::random_se_e2_a(rng, other);
    const std::string w = invalid_argument_text(models);
    EXPECT_NE(w.find("model 2"), std::string::npos) << w;
    EXPECT_NE(w.find("rcut = 4.5"), std::string::npos) << w;
  }
  {
    SeE2aShape other = shape;
    other.sel = {28, 30};
    auto models = good;
    models[1] = test::random_se_e2_a(rng, other);
    const std::string w = invalid_argument_text(models);
    EXPECT_NE(w.find("model 1"), std::string::npos) << w;
    EXPECT_NE(w.find("sel = [28, 30]"), std::string::npos) << w;
  }
  {
    SeE2aShape other = shape;
    other.type_map = {"B", "O"};
    auto models = good;
    models[1] = test::random_se_e2_a(rng, other);
    models[2] = test::random_se_e2_a(rng, other);
    const std::string w = invalid_argument_text(models);
    EXPECT_NE(w.find("model 1"), std::string::npos) << w;  // the first differing model
    EXPECT_NE(w.find("type_map [B, O]"), std::string::npos) << w;
  }
  // Other architectures (widths, type_one_side, precision) may differ.
  SeE2aShape other = shape;
  other.neuron = {6, 12};
  other.fitting = {10};
  other.type_one_side = true;
  auto models = good;
  models[1] = test::random_se_e2_a(rng, other);
  EXPECT_EQ(invalid_argument_text(models), "(no error)");
}

TEST(Ensemble, DeviationFromTotalsByHand) {
  // Energies 3, 6, 9 eV on 3 atoms: per atom 1, 2, 3 -> std sqrt(2/3).
  std::vector<Mat3> w(3);
  for (int k = 0; k < 3; ++k) w[k].m[0][1] = 3.0 * k;  // per atom 0, 1, 2
  w[2].m[2][2] = 6.0;                                  // per atom 0, 0, 2
  const ModelDeviation d = deviation_from_totals({3, 6, 9}, w, 3, 0.5, 0.1, 0.3);
  EXPECT_NEAR(d.devi_e, std::sqrt(2.0 / 3.0), 1e-15);
  const double s01 = std::sqrt(2.0 / 3.0), s22 = std::sqrt(8.0 / 9.0);
  EXPECT_NEAR(d.max_devi_v, s22, 1e-15);
  EXPECT_EQ(d.min_devi_v, 0.0);
  EXPECT_NEAR(d.avg_devi_v, std::sqrt(s01 * s01 + s22 * s22) / 3.0, 1e-15);
  EXPECT_EQ(d.max_devi_f, 0.5);
  EXPECT_EQ(d.min_devi_f, 0.1);
  EXPECT_EQ(d.avg_devi_f, 0.3);
}

// ---- workflow ----------------------------------------------------------------

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// `text` with the first `from` replaced by `to` (which must be there).
std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// Two random models (.yaml) and a structure (.extxyz) in `tmp`.
struct EnsembleFiles {
  std::vector<std::string> models;
  Structure structure;
};

EnsembleFiles write_ensemble_files(const test::TempDir& tmp, std::mt19937_64& rng, int nmodels) {
  SeE2aShape shape;
  shape.fitting = {8, 8};
  EnsembleFiles f;
  for (int k = 0; k < nmodels; ++k) {
    const std::string p = tmp.file("graph." + std::to_string(k) + ".yaml");
    write_model(p, test::random_se_e2_a(rng, shape));
    f.models.push_back(p);
  }
  const Config c = random_deep_config(rng, false, 2);
  f.structure.cell = c.h;
  f.structure.positions = c.x;
  for (int t : c.types) f.structure.species.push_back(shape.type_map[t]);
  write_structure(tmp.file("start.extxyz"), f.structure);
  return f;
}

std::string ensemble_workflow(const std::string& out, const std::string& models, const std::string& stages) {
  return "[run]\noutput = \"" + out + "\"\nseed = 7\ntimestep = \"0.5 fs\"\ndevice = \"cpu\"\n\n"
         "[system]\nstructure = \"start.extxyz\"\ntemperature = 300\n\n"
         "[potential]\nkind = \"ensemble\"\nmodels = [" + models + "]\nskin = 0.5\n\n" + stages;
}

const std::string kNveWithModelDevi = R"([[stage]]
name = "md"
kind = "nve"
duration = "12 steps"
[[stage.observe]]
kind = "thermo"
every = 4
[[stage.observe]]
kind = "model_devi"
every = 3
[[stage.observe]]
kind = "checkpoint"
every = 6
)";

workflow::RunOptions quiet() {
  workflow::RunOptions o;
  o.progress = false;
  return o;
}

TEST(EnsembleWorkflow, NveWritesModelDeviRows) {
  const auto seed = fresh_seed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  test::TempDir tmp;
  const EnsembleFiles files = write_ensemble_files(tmp, rng, 3);
  const std::string out = tmp.file("run");
  const std::string text =
      ensemble_workflow(out, "\"graph.0.yaml\", \"graph.1.yaml\", \"graph.2.yaml\"", kNveWithModelDevi);
  const workflow::WorkflowConfig cfg = workflow::load_workflow(tmp.write("workflow.toml", text));
  ASSERT_EQ(cfg.potential.kind, "ensemble");
  ASSERT_EQ(cfg.potential.models.size(), 3u);
  EXPECT_EQ(cfg.potential.models[1], files.models[1]);
  // The resolved workflow reads back as the same workflow.
  EXPECT_EQ(workflow::parse_workflow(workflow::resolved_toml(cfg), "resolved.toml", tmp.dir.string()), cfg);

  const workflow::RunResult r = workflow::run_workflow(cfg, quiet());
  ASSERT_TRUE(r.completed);
  const test::Csv csv = test::read_csv(out + "/model_devi.csv");
  const auto& rows = csv.rows;
  EXPECT_EQ(csv.header_line, "step,time_ps,max_devi_v,min_devi_v,avg_devi_v,max_devi_f,min_devi_f,avg_devi_f,devi_e");
  ASSERT_EQ(rows.size(), 5u);  // steps 0, 3, 6, 9, 12
  for (std::size_t k = 0; k < rows.size(); ++k) {
    ASSERT_EQ(rows[k].size(), 9u);
    EXPECT_EQ(std::stoll(rows[k][0]), static_cast<long long>(3 * k));
    EXPECT_NEAR(std::stod(rows[k][1]), 3 * k * 0.0005, 1e-15);
    const double maxf = std::stod(rows[k][5]), minf = std::stod(rows[k][6]), avgf = std::stod(rows[k][7]);
    EXPECT_GT(maxf, 0.0);
    EXPECT_LE(minf, avgf);
    EXPECT_LE(avgf, maxf);
    EXPECT_LE(std::stod(rows[k][3]), std::stod(rows[k][2]));
    EXPECT_GT(std::stod(rows[k][8]), 0.0);
  }
  // Step 0 is the deviation of the starting structure.
  std::vector<deepmd::SeE2aModel> models;
  for (const std::string& p : files.models) models.push_back(read_model(p));
  Ensemble ens(models);
  System s = to_system(read_structure(tmp.file("start.extxyz")));
  ens.compute(s);
  const ModelDeviation d = ens.last_deviation();
  const double expect[] = {d.max_devi_v, d.min_devi_v, d.avg_devi_v, d.max_devi_f,
                           d.min_devi_f, d.avg_devi_f, d.devi_e};
  for (int k = 0; k < 7; ++k)
    EXPECT_NEAR(std::stod(rows[0][2 + k]), expect[k], 1e-12 * std::max(1.0, std::abs(expect[k]))) << "column " << 2 + k;

  // The trajectory is model 0's alone: a "deepmd" run with graph.0 ends in
  // the same state, bit for bit.
  const std::string out0 = tmp.file("run0");
  std::string single = replaced(text, "kind = \"ensemble\"", "kind = \"deepmd\"");
  single = replaced(single, "models = [\"graph.0.yaml\", \"graph.1.yaml\", \"graph.2.yaml\"]",
                    "model = \"graph.0.yaml\"");
  single = replaced(single, out, out0);
  single = replaced(single, "kind = \"model_devi\"", "kind = \"dump\"");
  ASSERT_TRUE(workflow::run_workflow(workflow::load_workflow(tmp.write("single.toml", single)), quiet()).completed);
  EXPECT_EQ(slurp(out + "/final.extxyz"), slurp(out0 + "/final.extxyz"));
  EXPECT_EQ(slurp(out + "/thermo.csv"), slurp(out0 + "/thermo.csv"));

  // Stopped after step 6 (a checkpoint step) and resumed: the same file.
  const std::string outb = tmp.file("runb");
  const std::string tb = replaced(text, out, outb);
  workflow::RunOptions stop = quiet();
  stop.stop_after_step = 6;
  const workflow::RunResult rb = workflow::run_workflow(workflow::load_workflow(tmp.write("b.toml", tb)), stop);
  EXPECT_FALSE(rb.completed);
  EXPECT_TRUE(workflow::resume_workflow(outb, quiet()).completed);
  EXPECT_EQ(slurp(out + "/model_devi.csv"), slurp(outb + "/model_devi.csv"));
  EXPECT_EQ(slurp(out + "/final.extxyz"), slurp(outb + "/final.extxyz"));
}

void expect_input_error(const std::string& text, const test::TempDir& tmp, const std::vector<std::string>& parts) {
  try {
    workflow::load_workflow(tmp.write("bad.toml", text));
    ADD_FAILURE() << "no error for\n" << text;
  } catch (const vitra::InputError& e) {
    const std::string w = e.what();
    for (const std::string& p : parts) EXPECT_NE(w.find(p), std::string::npos) << "'" << p << "' not in: " << w;
  }
}

TEST(EnsembleWorkflow, ConfigErrors) {
  std::mt19937_64 rng(fresh_seed());
  test::TempDir tmp;
  write_ensemble_files(tmp, rng, 2);
  const std::string out = tmp.file("run");
  const std::string two = "\"graph.0.yaml\", \"graph.1.yaml\"";
  const std::string nve = "[[stage]]\nkind = \"nve\"\nduration = \"4 steps\"\n";
  // One model only; a missing file (with its line and index); not an array.
  expect_input_error(ensemble_workflow(out, "\"graph.0.yaml\"", nve), tmp,
                     {"bad.toml:", "potential.models", "two or more", "found 1"});
  expect_input_error(ensemble_workflow(out, "\"graph.0.yaml\",\n  \"nope.yaml\"", nve), tmp,
                     {"bad.toml:14:", "potential.models[1]", "file not found", "nope.yaml"});
  expect_input_error(ensemble_workflow(out, "1, 2", nve), tmp,
                     {"bad.toml:13:", "potential.models[0]", "expected a model file name", "found an integer 1"});
  {
    const std::string t = replaced(ensemble_workflow(out, two, nve), "models = [" + two + "]", "models = \"graph.0.yaml\"");
    expect_input_error(t, tmp, {"bad.toml:13:", "potential.models", "expected models = [", "found a string"});
  }
  // model (singular) belongs to kind deepmd.
  {
    const std::string t = replaced(ensemble_workflow(out, two, nve), "skin = 0.5", "model = \"graph.0.yaml\"");
    expect_input_error(t, tmp, {"potential.model:", "only \"deepmd\"", "models = [...]"});
  }
  // A model_devi observer needs the ensemble.
  {
    std::string t = ensemble_workflow(out, two, nve + "[[stage.observe]]\nkind = \"model_devi\"\nevery = 2\n");
    t = replaced(t, "kind = \"ensemble\"", "kind = \"deepmd\"");
    t = replaced(t, "models = [" + two + "]", "model = \"graph.0.yaml\"");
    expect_input_error(t, tmp, {"bad.toml:", "stage[0].observe[0].kind", "model_devi", "\"ensemble\"", "\"deepmd\""});
  }
  // At most one per stage; every is required.
  expect_input_error(
      ensemble_workflow(out, two,
                        nve + "[[stage.observe]]\nkind = \"model_devi\"\nevery = 2\n[[stage.observe]]\nkind = "
                              "\"model_devi\"\nevery = 3\n"),
      tmp, {"stage[0].observe[1].kind", "a second model_devi observer"});
  expect_input_error(ensemble_workflow(out, two, nve + "[[stage.observe]]\nkind = \"model_devi\"\n"), tmp,
                     {"stage[0].observe[0].every", "missing"});
  expect_input_error(
      ensemble_workflow(out, two, nve + "[[stage.observe]]\nkind = \"model_devi\"\nevery = 2\nfile = \"x.csv\"\n"),
      tmp, {"stage[0].observe[0].file", "not used by observer kind model_devi"});
}

TEST(EnsembleWorkflow, MismatchedModelFilesNameTheFile) {
  std::mt19937_64 rng(fresh_seed());
  test::TempDir tmp;
  write_ensemble_files(tmp, rng, 2);
  SeE2aShape other;
  other.rcut = 3.5;
  other.rcut_smth = 0.5;
  write_model(tmp.file("short.yaml"), test::random_se_e2_a(rng, other));
  const std::string text = ensemble_workflow(tmp.file("run"), "\"graph.0.yaml\", \"graph.1.yaml\", \"short.yaml\"",
                                             "[[stage]]\nkind = \"nve\"\nduration = \"4 steps\"\n");
  const workflow::WorkflowConfig cfg = workflow::load_workflow(tmp.write("w.toml", text));
  try {
    workflow::run_workflow(cfg, quiet());
    FAIL() << "no error";
  } catch (const vitra::InputError& e) {
    const std::string w = e.what();
    EXPECT_NE(w.find("model 2"), std::string::npos) << w;
    EXPECT_NE(w.find("short.yaml"), std::string::npos) << w;
    EXPECT_NE(w.find("rcut = 3.5"), std::string::npos) << w;
  }
  EXPECT_FALSE(std::filesystem::exists(tmp.file("run")));
}

}  // namespace
}  // namespace vitra
