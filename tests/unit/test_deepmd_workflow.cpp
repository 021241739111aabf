// A workflow with [potential] kind = "deepmd": a random se_e2_a model written
// as a vitra .vdp file drives a small Li-borate NVE run end to end; the total
// energy is conserved, and the resolved workflow names the model. Input
// errors of the deepmd kind name their key.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "host/error.hpp"
#include "host/model/deepmd_model_io.hpp"
#include "host/workflow/runner.hpp"
#include "host/workflow/workflow_config.hpp"
#include "tests/common/csv.hpp"
#include "tests/common/random_se_e2_a.hpp"
#include "tests/common/seed.hpp"
#include "tests/common/temp_dir.hpp"

using namespace vitra;
using namespace vitra::workflow;

TEST(DeepmdWorkflow, NveRunConservesEnergy) {
  const auto seed = test::fresh_seed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  test::SeE2aShape shape;
  shape.type_map = {"O", "B", "Li"};
  shape.sel = {40, 40, 40};
  const deepmd::SeE2aModel model = test::random_se_e2_a(rng, shape);
  test::TempDir tmp;
  write_model(tmp.file("model.vdp"), model);
  const std::string out = tmp.file("run");
  const WorkflowConfig cfg = load_workflow(tmp.write("workflow.toml", "[run]\noutput = \"" + out + R"("
seed = )" + std::to_string(seed % 100000) + R"(
timestep = "0.5 fs"
device = "cpu"

[system]
composition = "B2O3:66.7,Li2O:33.3"
atoms = 65
density = 2.22
temperature = 300

[potential]
kind = "deepmd"
model = "model.vdp"

[[stage]]
name = "nve"
kind = "nve"
duration = "200 steps"
[[stage.observe]]
kind = "thermo"
every = 20
)"));
  EXPECT_EQ(cfg.potential.model, tmp.file("model.vdp"));
  EXPECT_NE(resolved_toml(cfg).find("model.vdp"), std::string::npos);
  RunOptions o;
  o.progress = false;
  ASSERT_TRUE(run_workflow(cfg, o).completed);
  const test::Csv csv = test::read_csv(out + "/thermo.csv");
  ASSERT_GE(csv.rows.size(), 10u);
  const double e0 = csv.num(0, "total_eV");
  double kmax = 0.0, drift = 0.0;
  for (std::size_t r = 0; r < csv.rows.size(); ++r) {
    kmax = std::max(kmax, csv.num(r, "kinetic_eV"));
    drift = std::max(drift, std::abs(csv.num(r, "total_eV") - e0));
  }
  ASSERT_GT(kmax, 0.0);
  EXPECT_LT(drift, 1e-3 * kmax) << "total energy drift over 200 steps of 0.5 fs";
}

TEST(DeepmdWorkflow, ErrorsNameTheKey) {
  test::TempDir tmp;
  const std::string head = R"([run]
output = "x"
[system]
composition = "B2O3:66.7,Li2O:33.3"
atoms = 30
density = 2.2
)";
  auto error_of = [&](const std::string& potential) {
    try {
      load_workflow(tmp.write("w.toml", head + potential));
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_NE(error_of("[potential]\nkind = \"deepmd\"\n").find("potential.model"), std::string::npos);
  EXPECT_NE(error_of("[potential]\nkind = \"deepmd\"\nmodel = \"missing.yaml\"\n").find("file not found"),
            std::string::npos);
  EXPECT_NE(error_of("[potential]\nkind = \"pair\"\nmodel = \"m.yaml\"\n").find("only \"deepmd\""),
            std::string::npos);
}
