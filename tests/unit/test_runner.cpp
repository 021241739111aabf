// `vitra run`: a small Lennard-Jones argon workflow end to end (outputs,
// thermo rows, NVE energy conservation, NVT temperature), quench ramps,
// strain ramps, input errors before anything runs, bit-for-bit resume from a
// checkpoint, clean stops and collapsed-box failures.
#include <gtest/gtest.h>

#include <cmath>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "host/error.hpp"
#include "host/io/extxyz.hpp"
#include "host/io/structure_io.hpp"
#include "host/workflow/deform.hpp"
#include "host/workflow/runner.hpp"
#include "host/workflow/stage_integrator.hpp"
#include "host/workflow/stop_signal.hpp"
#include "host/workflow/thermo_log.hpp"
#include "host/workflow/workflow_config.hpp"
#include "kernels/units.hpp"
#include "tests/common/csv.hpp"
#include "tests/common/seed.hpp"
#include "tests/common/temp_dir.hpp"

using namespace vitra;
using namespace vitra::workflow;
namespace fs = std::filesystem;

namespace {

// ~108 argon atoms at liquid density; `seed` varies the start.
std::string argon_head(const std::string& output, std::uint64_t seed, const std::string& timestep = "2 fs") {
  return "[run]\noutput = \"" + output + "\"\nseed = " + std::to_string(seed) +
         "\ntimestep = \"" + timestep + R"("
device = "cpu"

[system]
composition = "Ar"
atoms = 108
density = 1.38
temperature = 90

[potential]
kind = "pair"
skin = 1.0

[[potential.pair]]
elements = ["Ar", "Ar"]
form = "lj"
epsilon = 0.0104
sigma = 3.4
cutoff = 8.0
shift = true

)";
}

const std::string kMinimize = R"([[stage]]
name = "relax"
kind = "minimize"
ftol = 1e-3
max_steps = 400

)";

using test::Csv;
using test::read_csv;

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

WorkflowConfig write_and_load(const test::TempDir& tmp, const std::string& text) {
  return load_workflow(tmp.write("workflow.toml", text));
}

RunOptions quiet() {
  RunOptions o;
  o.progress = false;
  return o;
}

}  // namespace

TEST(Runner, ArgonMinimizeNvtNveWritesEveryOutput) {
  const std::uint64_t seed = test::fresh_seed() % 100000;
  SCOPED_TRACE("seed " + std::to_string(seed));
  test::TempDir tmp;
  const std::string out = tmp.file("run");
  const std::string text = argon_head(out, seed) + kMinimize + R"([[stage]]
name = "thermalize"
kind = "nvt"
duration = "300 steps"
temperature = 90
tdamp = "0.1 ps"
[[stage.observe]]
kind = "thermo"
every = 10

[[stage]]
name = "production"
kind = "nve"
duration = "200 steps"
[[stage.observe]]
kind = "thermo"
every = 10
[[stage.observe]]
kind = "dump"
every = 50
[[stage.observe]]
kind = "checkpoint"
every = 100
)";
  const WorkflowConfig cfg = write_and_load(tmp, text);
  std::ostringstream log;
  RunOptions o = quiet();
  o.log = &log;
  const RunResult r = run_workflow(cfg, o);
  EXPECT_TRUE(r.completed);
  EXPECT_EQ(r.global_step, 500);
  EXPECT_EQ(exit_code(r), 0);
  for (const char* f : {"workflow.toml", "thermo.csv", "production.extxyz", "checkpoint.vcp",
                        "final.extxyz", "report.txt"})
    EXPECT_TRUE(fs::exists(fs::path(out) / f)) << f;
  EXPECT_NE(log.str().find("ns/day"), std::string::npos) << log.str();
  EXPECT_NE(slurp(out + "/report.txt").find("atom-steps/s"), std::string::npos);
  // The folder's workflow reads back as the same workflow.
  EXPECT_EQ(load_workflow(out + "/workflow.toml"), cfg);

  const Csv csv = read_csv(out + "/thermo.csv");
  EXPECT_EQ(csv.header, test::split_csv_line(thermo_header()));
  EXPECT_EQ(csv.header.size(), 27u);
  // minimize: before and after; nvt: step 0 + 30; nve: step 0 + 20.
  ASSERT_EQ(csv.rows.size(), 2u + 31u + 21u);
  EXPECT_EQ(csv.rows.back()[csv.col("step")], "500");
  EXPECT_DOUBLE_EQ(csv.num(csv.rows.size() - 1, "time_ps"), 1.0);
  EXPECT_LT(csv.num(1, "potential_eV"), csv.num(0, "potential_eV"));  // minimised

  // NVE: the conserved energy stays put (~1e-4 eV/atom at 2 fs for argon).
  double emin = 1e300, emax = -1e300, tsum = 0;
  int tcount = 0;
  for (std::size_t i = 0; i < csv.rows.size(); ++i) {
    if (csv.rows[i][0] == "production") {
      emin = std::min(emin, csv.num(i, "conserved_eV"));
      emax = std::max(emax, csv.num(i, "conserved_eV"));
      EXPECT_EQ(csv.num(i, "conserved_eV"), csv.num(i, "total_eV"));
    }
    if (csv.rows[i][0] == "thermalize" && csv.num(i, "step") > 150) {
      tsum += csv.num(i, "temperature_K");
      ++tcount;
    }
    const double p = csv.num(i, "pressure_bar");
    EXPECT_NEAR(csv.num(i, "stress_xx_GPa"), -csv.num(i, "pxx_bar") * 1e-4, 1e-12);
    EXPECT_NEAR(p, (csv.num(i, "pxx_bar") + csv.num(i, "pyy_bar") + csv.num(i, "pzz_bar")) / 3,
                1e-9 * (1 + std::abs(p)));
  }
  EXPECT_LT(emax - emin, 108 * 2e-4) << emin << " " << emax;
  ASSERT_GT(tcount, 0);
  EXPECT_NEAR(tsum / tcount, 90.0, 15.0);

  // The final structure, with velocities; the dump has 200 / 50 frames.
  const Structure fin = read_structure(out + "/final.extxyz");
  EXPECT_EQ(fin.size(), 108u);
  EXPECT_EQ(fin.velocities.size(), 108u);
  EXPECT_EQ(read_frames(out + "/production.extxyz").size(), 4u);
}

TEST(Runner, QuenchRampsTheTargetLinearly) {
  StageConfig st;
  st.kind = StageKind::Quench;
  st.steps = 400;
  st.t_start = 1000;
  st.t_stop = 200;
  EXPECT_DOUBLE_EQ(stage_targets(st, 0).temperature, 1000);
  EXPECT_DOUBLE_EQ(stage_targets(st, 100).temperature, 800);
  EXPECT_DOUBLE_EQ(stage_targets(st, 200).temperature, 600);
  EXPECT_DOUBLE_EQ(stage_targets(st, 400).temperature, 200);
  EXPECT_EQ(integrator_name(st), "nvt");

  // A quench run cools: the late rows are colder than the early ones.
  test::TempDir tmp;
  const std::string out = tmp.file("run");
  const WorkflowConfig cfg = write_and_load(tmp, argon_head(out, 5) + kMinimize + R"([[stage]]
name = "cool"
kind = "quench"
t_start = 300
t_stop = 20
duration = "600 steps"
tdamp = "0.05 ps"
[[stage.observe]]
kind = "thermo"
every = 20
)");
  ASSERT_TRUE(run_workflow(cfg, quiet()).completed);
  const Csv csv = read_csv(out + "/thermo.csv");
  double early = 0, late = 0;
  int ne = 0, nl = 0;
  for (std::size_t i = 2; i < csv.rows.size(); ++i) {
    const double step = csv.num(i, "step");
    if (step > 100 && step <= 250) early += csv.num(i, "temperature_K"), ++ne;
    if (step > 450) late += csv.num(i, "temperature_K"), ++nl;
  }
  EXPECT_LT(late / nl, early / ne - 50);
}

TEST(Runner, MinimizeWithTheCellReachesTheTargetPressure) {
  test::TempDir tmp;
  const std::string out = tmp.file("run");
  const WorkflowConfig cfg = write_and_load(tmp, argon_head(out, 5) + R"([[stage]]
name = "relax"
kind = "minimize"
cell = true
pressure = "1 kbar"
ftol = 1e-4
max_steps = 20000
)");
  ASSERT_TRUE(run_workflow(cfg, quiet()).completed);
  const Csv csv = read_csv(out + "/thermo.csv");
  ASSERT_EQ(csv.rows.size(), 2u);  // before and after
  const double v0 = csv.num(0, "volume_A3"), v1 = csv.num(1, "volume_A3");
  EXPECT_NE(v0, v1);
  // The minimiser sets the static pressure W/V; thermo.csv adds the atoms'
  // kinetic part (they keep their MD velocities).
  const double kinetic = 2.0 / 3.0 * csv.num(1, "kinetic_eV") / v1 * units::kEvPerA3ToBar;
  const double tol = 1e-4 * 108 / v1 * units::kEvPerA3ToBar;  // ftol·N/V
  EXPECT_NEAR(csv.num(1, "pressure_bar") - kinetic, 1000.0, tol);
}

TEST(Runner, Lb67WithTheShikForceField) {
  test::TempDir tmp;
  const std::string out = tmp.file("run");
  const WorkflowConfig cfg = write_and_load(tmp, "[run]\noutput = \"" + out + R"("
seed = 3
timestep = "1 fs"
device = "cpu"

[system]
composition = "B2O3:66.7,Li2O:33.3"
atoms = 65
density = 2.22
temperature = 1000

[potential]
kind = "classical"
set = "shik"

[[stage]]
name = "relax"
kind = "minimize"
ftol = 0.05
max_steps = 2000

[[stage]]
name = "melt"
kind = "nvt"
duration = "50 steps"
temperature = 2000
[[stage.observe]]
kind = "thermo"
every = 25
)");
  ASSERT_TRUE(run_workflow(cfg, quiet()).completed);
  const Csv csv = read_csv(out + "/thermo.csv");
  ASSERT_GE(csv.rows.size(), 4u);
  // A bound, charged network: strongly negative energy, finite pressure.
  for (std::size_t r = 0; r < csv.rows.size(); ++r) {
    EXPECT_LT(csv.num(r, "potential_eV") / 65.0, -1.0) << r;
    EXPECT_TRUE(std::isfinite(csv.num(r, "pressure_bar"))) << r;
  }
  EXPECT_LT(csv.num(1, "potential_eV"), csv.num(0, "potential_eV"));  // the minimiser lowered it
}

TEST(Runner, UniaxialDeformationStretchesOneAxis) {
  test::TempDir tmp;
  const std::string out = tmp.file("run");
  // 100 steps of 2 fs at 0.5/ps: strain 0.1.
  const WorkflowConfig cfg = write_and_load(tmp, argon_head(out, 11) + kMinimize + R"([[stage]]
name = "pull"
kind = "deform"
mode = "uniaxial"
axis = "y"
erate = "0.5 /ps"
duration = "100 steps"
temperature = 90
lateral = "fixed"
[[stage.observe]]
kind = "thermo"
every = 25
)");
  ASSERT_EQ(cfg.stages[1].axis, 1);
  ASSERT_NEAR(cfg.stages[1].strain, 0.1, 1e-12);
  ASSERT_TRUE(run_workflow(cfg, quiet()).completed);
  const Csv csv = read_csv(out + "/thermo.csv");
  const std::size_t first = 2, last = csv.rows.size() - 1;
  ASSERT_EQ(csv.rows[first][0], "pull");
  const double lx0 = csv.num(first, "lx_A"), ly0 = csv.num(first, "ly_A"), lz0 = csv.num(first, "lz_A");
  const Structure fin = read_structure(out + "/final.extxyz");
  EXPECT_NEAR(fin.cell.m[1][1], ly0 * 1.1, 1e-9 * ly0);
  EXPECT_EQ(fin.cell.m[0][0], lx0);
  EXPECT_EQ(fin.cell.m[2][2], lz0);
  EXPECT_NEAR(csv.num(last, "strain"), 0.1, 1e-12);
  EXPECT_NEAR(csv.num(last, "ly_A"), ly0 * 1.1, 1e-9 * ly0);
  EXPECT_EQ(csv.num(first, "strain"), 0.0);
  // Stretched argon is under tension along y.
  EXPECT_GT(csv.num(last, "stress_yy_GPa"), csv.num(last, "stress_xx_GPa"));
}

TEST(Runner, DeformedCellTriaxialAndShear) {
  Mat3 h0;
  h0.m[0][0] = 10;
  h0.m[1][0] = 1;
  h0.m[1][1] = 12;
  h0.m[2][2] = 14;
  StageConfig st;
  st.kind = StageKind::Deform;
  st.mode = DeformMode::Triaxial;
  const Mat3 t = deformed_cell(st, h0, h0, 0.0, -0.02);
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) EXPECT_DOUBLE_EQ(t.m[r][c], 0.98 * h0.m[r][c]);
  st.mode = DeformMode::Shear;
  st.axis = 0;  // xy
  Mat3 s = deformed_cell(st, h0, h0, 0.0, 0.05);
  EXPECT_DOUBLE_EQ(s.m[1][0], 1 + 0.05 * 12);
  EXPECT_EQ(s.m[0][0], 10);
  EXPECT_EQ(s.m[1][1], 12);
  st.axis = 2;  // yz
  s = deformed_cell(st, h0, h0, 0.0, 0.05);
  EXPECT_DOUBLE_EQ(s.m[2][1], 0.05 * 14);
  st.mode = DeformMode::Uniaxial;
  st.axis = 0;
  s = deformed_cell(st, h0, h0, 0.1, 0.2);
  EXPECT_DOUBLE_EQ(s.m[0][0], 10 * 1.2 / 1.1);
  EXPECT_DOUBLE_EQ(s.m[1][0], 1 * 1.2 / 1.1);  // the tilt follows the x stretch
  EXPECT_EQ(s.m[1][1], 12);
}

TEST(Runner, InputErrorsComeBeforeAnythingRuns) {
  test::TempDir tmp;
  const std::string nve = "[[stage]]\nkind = \"nve\"\nduration = \"10 steps\"\n";
  {  // existing folder
    const std::string out = tmp.file("exists");
    fs::create_directories(out);
    const WorkflowConfig cfg = write_and_load(tmp, argon_head(out, 1) + nve);
    try {
      run_workflow(cfg, quiet());
      FAIL() << "no error";
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find("exists already"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("workflow.toml"), std::string::npos) << e.what();
    }
    EXPECT_TRUE(fs::is_empty(out));
    RunOptions o = quiet();
    o.overwrite = true;
    EXPECT_TRUE(run_workflow(cfg, o).completed);
  }
  {  // npt-ase runs (it is compared with ASE itself in tests/oracle/test_npt_ase_oracle.py)
    const std::string out = tmp.file("ase");
    const WorkflowConfig cfg = write_and_load(
        tmp, argon_head(out, 1) +
                 "[[stage]]\nkind = \"npt-ase\"\nduration = 20\ntemperature = 60\nttime = \"25 fs\"\n"
                 "pfactor = 2e4\npressure = \"1 kbar\"\n");
    EXPECT_TRUE(run_workflow(cfg, quiet()).completed);
    EXPECT_TRUE(fs::exists(fs::path(out) / "thermo.csv"));
  }
  {  // a pair of elements without a [[potential.pair]]
    Structure st;
    st.cell = Mat3::identity();
    for (int a = 0; a < 3; ++a) st.cell.m[a][a] = 12;
    st.species = {"Ar", "Ne", "Ar"};
    st.positions = {{1, 1, 1}, {5, 5, 5}, {8, 2, 9}};
    write_structure(tmp.file("mix.extxyz"), st);
    std::string text = argon_head(tmp.file("mix"), 1) + nve;
    const std::string from = "composition = \"Ar\"\natoms = 108\ndensity = 1.38\n";
    text.replace(text.find(from), from.size(), "structure = \"mix.extxyz\"\n");
    const WorkflowConfig cfg = write_and_load(tmp, text);
    try {
      run_workflow(cfg, quiet());
      FAIL() << "no error";
    } catch (const InputError& e) {
      const std::string w = e.what();
      EXPECT_NE(w.find("Ar-Ne"), std::string::npos) << w;
      EXPECT_NE(w.find("workflow.toml"), std::string::npos) << w;
    }
    EXPECT_FALSE(fs::exists(tmp.file("mix")));
  }
}

// Stops a run right after `stop_step` (where its checkpoint observer fires),
// copies the folder, resumes the copy, and compares with an uninterrupted run.
class RunnerResume : public ::testing::TestWithParam<long long> {};

TEST_P(RunnerResume, ContinuesBitForBit) {
  const long long stop_step = GetParam();
  const std::uint64_t seed = test::fresh_seed() % 100000;
  SCOPED_TRACE("seed " + std::to_string(seed) + ", stop after step " + std::to_string(stop_step));
  test::TempDir tmp;
  auto workflow = [&](const std::string& out) {
    return argon_head(out, seed) + kMinimize + R"([[stage]]
name = "warm"
kind = "nvt"
duration = "100 steps"
temperature = 120
tdamp = "0.05 ps"
[[stage.observe]]
kind = "thermo"
every = 5
[[stage.observe]]
kind = "checkpoint"
every = 50

[[stage]]
name = "hold"
kind = "nvt"
duration = "60 steps"
temperature = 120
reset_thermostat = false
[[stage.observe]]
kind = "thermo"
every = 7

[[stage]]
name = "run"
kind = "nve"
duration = "200 steps"
[[stage.observe]]
kind = "thermo"
every = 5
[[stage.observe]]
kind = "dump"
every = 40
[[stage.observe]]
kind = "checkpoint"
every = 100
)";
  };
  const std::string a = tmp.file("a"), b = tmp.file("b"), c = tmp.file("c");
  ASSERT_TRUE(run_workflow(write_and_load(tmp, workflow(a)), quiet()).completed);

  RunOptions stop = quiet();
  stop.stop_after_step = stop_step;
  const RunResult rb = run_workflow(write_and_load(tmp, workflow(b)), stop);
  EXPECT_FALSE(rb.completed);
  EXPECT_EQ(rb.global_step, stop_step);
  EXPECT_FALSE(fs::exists(b + "/final.extxyz"));
  fs::copy(b, c, fs::copy_options::recursive);

  const RunResult rc = resume_workflow(c, quiet());
  EXPECT_TRUE(rc.completed);
  EXPECT_EQ(rc.global_step, 360);

  const Structure fa = read_structure(a + "/final.extxyz");
  const Structure fc = read_structure(c + "/final.extxyz");
  ASSERT_EQ(fa.size(), fc.size());
  for (std::size_t i = 0; i < fa.size(); ++i)
    for (int k = 0; k < 3; ++k) {
      ASSERT_EQ(fa.positions[i][k], fc.positions[i][k]) << "atom " << i;
      ASSERT_EQ(fa.velocities[i][k], fc.velocities[i][k]) << "atom " << i;
    }
  // Rows up to the stop are the interrupted run's, the rest the resumed one's:
  // every row equals the uninterrupted run's, and so do the dump frames.
  EXPECT_EQ(slurp(a + "/thermo.csv"), slurp(c + "/thermo.csv"));
  EXPECT_EQ(slurp(a + "/run.extxyz"), slurp(c + "/run.extxyz"));
}

INSTANTIATE_TEST_SUITE_P(StopPoints, RunnerResume, ::testing::Values(50LL, 100LL, 260LL));

TEST(Runner, SignalStopsCleanlyWithACheckpoint) {
  test::TempDir tmp;
  const std::string out = tmp.file("run");
  const WorkflowConfig cfg = write_and_load(
      tmp, argon_head(out, 3) + "[[stage]]\nkind = \"nve\"\nduration = \"50 steps\"\n");
  request_stop(SIGTERM);
  const RunResult r = run_workflow(cfg, quiet());
  clear_stop_request();
  EXPECT_FALSE(r.completed);
  EXPECT_EQ(r.signal, SIGTERM);
  EXPECT_EQ(exit_code(r), 143);
  EXPECT_EQ(r.global_step, 1);
  EXPECT_TRUE(fs::exists(out + "/checkpoint.vcp"));
  EXPECT_TRUE(fs::exists(out + "/thermo.csv"));
  EXPECT_FALSE(fs::exists(out + "/final.extxyz"));
  const RunResult rr = resume_workflow(out, quiet());
  EXPECT_TRUE(rr.completed);
  EXPECT_EQ(rr.global_step, 50);
}

TEST(Runner, CollapsedBoxFailsWithTheStepAndKeepsOutputs) {
  test::TempDir tmp;
  const std::string out = tmp.file("run");
  // Nearly non-interacting argon squeezed along x to 5% of its length: the
  // face distance falls below 2 A long before the end.
  std::string text = argon_head(out, 3) + R"([[stage]]
name = "crush"
kind = "deform"
mode = "uniaxial"
axis = "x"
strain = -0.95
duration = "100 steps"
temperature = 90
lateral = "fixed"
)";
  text.replace(text.find("epsilon = 0.0104"), 16, "epsilon = 1e-9");
  const WorkflowConfig cfg = write_and_load(tmp, text);
  try {
    run_workflow(cfg, quiet());
    FAIL() << "no error";
  } catch (const SimulationError& e) {
    const std::string w = e.what();
    EXPECT_NE(w.find("collapsed"), std::string::npos) << w;
    EXPECT_NE(w.find("crush"), std::string::npos) << w;
    EXPECT_NE(w.find("step"), std::string::npos) << w;
  }
  EXPECT_TRUE(fs::exists(out + "/checkpoint_failed.vcp"));
  EXPECT_TRUE(fs::exists(out + "/thermo.csv"));
  EXPECT_NE(slurp(out + "/report.txt").find("failed"), std::string::npos);
}

TEST(Runner, UniaxialDeformationWithLateralBarostat) {
  test::TempDir tmp;
  const std::string out = tmp.file("run");
  const WorkflowConfig cfg = write_and_load(tmp, argon_head(out, 13) + kMinimize + R"([[stage]]
name = "pull"
kind = "deform"
mode = "uniaxial"
axis = "z"
strain = 0.05
duration = "100 steps"
temperature = 90
pressure = 0
pdamp = "0.2 ps"
[[stage.observe]]
kind = "thermo"
every = 50
)");
  ASSERT_EQ(integrator_name(cfg.stages[1]), "npt");
  ASSERT_TRUE(run_workflow(cfg, quiet()).completed);
  const Csv csv = read_csv(out + "/thermo.csv");
  const std::size_t first = 2, last = csv.rows.size() - 1;
  const double lz0 = csv.num(first, "lz_A"), lx0 = csv.num(first, "lx_A");
  EXPECT_NEAR(csv.num(last, "lz_A"), lz0 * 1.05, 1e-9 * lz0);
  EXPECT_NE(csv.num(last, "lx_A"), lx0);  // the lateral axes follow the barostat
}
