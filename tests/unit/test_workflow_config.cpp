// The workflow file: parsing, defaults, derived stage lengths, the errors
// (each naming the file, line and key path) and the resolved TOML round trip.
#include <gtest/gtest.h>

#include <filesystem>
#include <initializer_list>
#include <string>

#include "host/error.hpp"
#include "host/workflow/quantity.hpp"
#include "host/workflow/workflow_config.hpp"
#include "tests/common/temp_dir.hpp"

using namespace vitra;
using namespace vitra::workflow;

namespace {

// Every stage kind and most keys; "start.extxyz" is created beside it.
const std::string kFull = R"([run]
output = "runs/full"
overwrite = true
seed = 7
timestep = "1 fs"
device = "cpu"

[system]
structure = "start.extxyz"
temperature = "300 K"

[potential]
kind = "pair"
skin = 2.0

[[potential.pair]]
elements = ["B", "O"]
form = "buckingham"
A = 206941.81
rho = 0.124
C = 0.0
cutoff = 8.0

[[potential.pair]]
elements = ["O", "O"]
form = "lj"
epsilon = 0.01
sigma = 3.0
cutoff = 8.0
shift = true

[[stage]]
name = "melt"
kind = "nvt"
duration = "10 ps"
temperature = 3500

[[stage]]
kind = "quench"
t_start = 3500
t_stop = 300
rate = "10 K/ps"
ensemble = "npt"
pressure = "0 GPa"
couple = "aniso"
mask = [true, true, false]

[[stage]]
name = "npt"
kind = "npt"
duration = "300 ps"
temperature = 300
pressure = 1
tdamp = "50 fs"
chain = 5
pdamp = "2 ps"
drag = 0.5
couple = "tri"
[[stage.observe]]
kind = "dump"
every = 1000
format = "lammps-dump"
[[stage.observe]]
kind = "checkpoint"
every = 10000

[[stage]]
name = "ase"
kind = "npt-ase"
duration = "1000 steps"
temperature = 300
ttime = "25 fs"
pfactor = 562500

[[stage]]
name = "nve"
kind = "nve"
duration = "500 ps"
[[stage.observe]]
kind = "thermo"
every = 10

[[stage]]
name = "emin"
kind = "minimize"
ftol = 1e-4
cell = true

[[stage]]
name = "tension_x"
kind = "deform"
temperature = 300
erate = "1e-3 /ps"
strain = 0.3
[[stage.observe]]
kind = "dump"
every = 5000
file = "tension.extxyz"

[[stage]]
name = "triax"
kind = "deform"
mode = "triaxial"
temperature = 300
erate = "-1e-3 /ps"
duration = "150 ps"
reset_thermostat = false
)";

// A minimal valid workflow built from a composition; `stages` is appended.
std::string minimal(const std::string& stages, const std::string& system = R"([system]
composition = "Ar"
atoms = 100
density = 1.4
)") {
  return R"([run]
output = "runs/x"

)" + system + R"(
[potential]
kind = "pair"
[[potential.pair]]
elements = ["Ar", "Ar"]
epsilon = 0.0104
sigma = 3.4
cutoff = 8.5

)" + stages;
}

const std::string kNvt = R"([[stage]]
kind = "nvt"
duration = "1 ps"
temperature = 300
)";

// 1-based line of the first (or last) occurrence of `needle` in `text`.
long line_of(const std::string& text, const std::string& needle, bool last = false) {
  const std::size_t pos = last ? text.rfind(needle) : text.find(needle);
  EXPECT_NE(pos, std::string::npos) << "test bug: \"" << needle << "\" not in the text";
  long line = 1;
  for (std::size_t i = 0; i < pos && i < text.size(); ++i) line += text[i] == '\n';
  return line;
}

class WorkflowTest : public ::testing::Test {
 protected:
  test::TempDir dir{"vitra_workflow_"};

  void SetUp() override { dir.write("start.extxyz", "1\nProperties=species:S:1:pos:R:3\nO 0 0 0\n"); }

  WorkflowConfig parse(const std::string& text) {
    return parse_workflow(text, "wf.toml", dir.dir.string());
  }

  // Expects an InputError whose message starts with "wf.toml:<line of
  // `line_needle`>:" (its last occurrence when `last`; "wf.toml: " for an
  // empty needle: the file as a whole) and contains every one of `parts`.
  std::string expect_error(const std::string& text, const std::string& line_needle,
                           std::initializer_list<std::string> parts, bool last = false) {
    const std::string where =
        line_needle.empty() ? std::string("wf.toml: ")
                            : "wf.toml:" + std::to_string(line_of(text, line_needle, last)) + ":";
    try {
      parse(text);
    } catch (const InputError& e) {
      const std::string msg = e.what();
      EXPECT_EQ(msg.rfind(where, 0), 0u) << "expected to start with \"" << where << "\": " << msg;
      for (const auto& p : parts)
        EXPECT_NE(msg.find(p), std::string::npos) << "missing \"" << p << "\" in: " << msg;
      return msg;
    } catch (const std::exception& e) {
      ADD_FAILURE() << "expected InputError, got: " << e.what();
      return {};
    }
    ADD_FAILURE() << "expected InputError, nothing was thrown";
    return {};
  }
};

void expect_round_trip(const WorkflowConfig& c) {
  const std::string text = resolved_toml(c);
  WorkflowConfig back;
  try {
    back = parse_workflow(text, "resolved.toml", "/nonexistent-base");
  } catch (const InputError& e) {
    FAIL() << "the resolved TOML does not parse: " << e.what() << "\n" << text;
  }
  EXPECT_TRUE(back == c) << text;
  // And it is a fixed point.
  EXPECT_EQ(resolved_toml(back), text);
}

}  // namespace

// ---------------------------------------------------------------- full example

TEST_F(WorkflowTest, FullExampleResolves) {
  const WorkflowConfig c = parse(kFull);
  EXPECT_EQ(c.source_path, "wf.toml");
  EXPECT_EQ(c.run.output, "runs/full");
  EXPECT_TRUE(c.run.overwrite);
  EXPECT_EQ(c.run.seed, 7u);
  EXPECT_DOUBLE_EQ(c.run.timestep, 0.001);
  EXPECT_EQ(c.run.device, "cpu");

  EXPECT_TRUE(c.system.from_structure());
  EXPECT_EQ(std::filesystem::path(c.system.structure),
            std::filesystem::absolute(dir.dir / "start.extxyz").lexically_normal());
  EXPECT_EQ(c.system.format, StructureFormat::ExtXYZ);
  ASSERT_TRUE(c.system.temperature.has_value());
  EXPECT_DOUBLE_EQ(*c.system.temperature, 300.0);

  EXPECT_EQ(c.potential.kind, "pair");
  EXPECT_DOUBLE_EQ(c.potential.skin, 2.0);
  ASSERT_EQ(c.potential.pairs.size(), 2u);
  const PairConfig& bo = c.potential.pairs[0];
  EXPECT_EQ(bo.form, PairForm::Buckingham);
  EXPECT_EQ(bo.elements[0], "B");
  EXPECT_DOUBLE_EQ(bo.A, 206941.81);
  EXPECT_DOUBLE_EQ(bo.rho, 0.124);
  EXPECT_DOUBLE_EQ(bo.cutoff, 8.0);
  EXPECT_FALSE(bo.shift);
  const PairConfig& oo = c.potential.pairs[1];
  EXPECT_EQ(oo.form, PairForm::LennardJones);
  EXPECT_DOUBLE_EQ(oo.epsilon, 0.01);
  EXPECT_DOUBLE_EQ(oo.sigma, 3.0);
  EXPECT_TRUE(oo.shift);

  ASSERT_EQ(c.stages.size(), 8u);
  const StageConfig& melt = c.stages[0];
  EXPECT_EQ(melt.name, "melt");
  EXPECT_EQ(melt.kind, StageKind::Nvt);
  EXPECT_EQ(melt.steps, 10000);
  EXPECT_DOUBLE_EQ(melt.t_start, 3500.0);
  EXPECT_DOUBLE_EQ(melt.t_stop, 3500.0);
  EXPECT_DOUBLE_EQ(melt.tdamp, 0.1);  // 100 * timestep
  EXPECT_EQ(melt.chain, 3);
  EXPECT_FALSE(melt.barostat);
  EXPECT_TRUE(melt.reset_thermostat);
  ASSERT_EQ(melt.observers.size(), 1u);  // the default thermo observer
  EXPECT_EQ(melt.observers[0].kind, ObserverKind::Thermo);
  EXPECT_EQ(melt.observers[0].every, 100);

  const StageConfig& quench = c.stages[1];
  EXPECT_EQ(quench.name, "stage1");  // default name: index in the file
  EXPECT_EQ(quench.kind, StageKind::Quench);
  EXPECT_EQ(quench.steps, 320000);  // 3200 K at 10 K/ps = 320 ps
  EXPECT_DOUBLE_EQ(quench.t_start, 3500.0);
  EXPECT_DOUBLE_EQ(quench.t_stop, 300.0);
  EXPECT_DOUBLE_EQ(quench.rate, 10.0);
  EXPECT_TRUE(quench.barostat);
  EXPECT_DOUBLE_EQ(quench.pressure, 0.0);
  EXPECT_DOUBLE_EQ(quench.pdamp, 1.0);  // 1000 * timestep
  EXPECT_EQ(quench.couple, Couple::Aniso);
  EXPECT_EQ(quench.mask, (std::array<bool, 3>{true, true, false}));

  const StageConfig& npt = c.stages[2];
  EXPECT_EQ(npt.steps, 300000);
  EXPECT_DOUBLE_EQ(npt.pressure, 1.0);
  EXPECT_DOUBLE_EQ(npt.tdamp, 0.05);
  EXPECT_EQ(npt.chain, 5);
  EXPECT_DOUBLE_EQ(npt.pdamp, 2.0);
  EXPECT_DOUBLE_EQ(npt.drag, 0.5);
  EXPECT_EQ(npt.couple, Couple::Tri);
  ASSERT_EQ(npt.observers.size(), 3u);
  EXPECT_EQ(npt.observers[0].kind, ObserverKind::Thermo);  // added: none declared
  EXPECT_EQ(npt.observers[1].kind, ObserverKind::Dump);
  EXPECT_EQ(npt.observers[1].every, 1000);
  EXPECT_EQ(npt.observers[1].format, StructureFormat::LammpsDump);
  EXPECT_EQ(npt.observers[1].file, "npt.lammpstrj");
  EXPECT_EQ(npt.observers[2].kind, ObserverKind::Checkpoint);
  EXPECT_EQ(npt.observers[2].every, 10000);

  const StageConfig& ase = c.stages[3];
  EXPECT_EQ(ase.kind, StageKind::NptAse);
  EXPECT_EQ(ase.steps, 1000);
  EXPECT_DOUBLE_EQ(ase.ttime, 0.025);
  EXPECT_DOUBLE_EQ(ase.pfactor, 562500 * kPfactorGPaFs2);
  EXPECT_TRUE(ase.barostat);

  const StageConfig& nve = c.stages[4];
  EXPECT_EQ(nve.kind, StageKind::Nve);
  EXPECT_EQ(nve.steps, 500000);
  ASSERT_EQ(nve.observers.size(), 1u);
  EXPECT_EQ(nve.observers[0].every, 10);  // declared, so no default added

  const StageConfig& emin = c.stages[5];
  EXPECT_EQ(emin.kind, StageKind::Minimize);
  EXPECT_EQ(emin.steps, 0);
  EXPECT_DOUBLE_EQ(emin.ftol, 1e-4);
  EXPECT_DOUBLE_EQ(emin.etol, 0.0);
  EXPECT_EQ(emin.max_steps, 10000);
  EXPECT_TRUE(emin.cell);

  const StageConfig& tension = c.stages[6];
  EXPECT_EQ(tension.kind, StageKind::Deform);
  EXPECT_EQ(tension.mode, DeformMode::Uniaxial);
  EXPECT_EQ(tension.axis, 0);
  EXPECT_DOUBLE_EQ(tension.erate, 1e-3);
  EXPECT_EQ(tension.steps, 300000);  // strain / erate = 300 ps
  EXPECT_NEAR(tension.strain, 0.3, 1e-12);
  EXPECT_EQ(tension.lateral, Lateral::Barostat);
  EXPECT_TRUE(tension.barostat);
  EXPECT_EQ(tension.couple, Couple::Aniso);
  EXPECT_EQ(tension.mask, (std::array<bool, 3>{false, true, true}));
  EXPECT_DOUBLE_EQ(tension.pdamp, 1.0);
  ASSERT_EQ(tension.observers.size(), 2u);
  EXPECT_EQ(tension.observers[1].file, "tension.extxyz");
  EXPECT_EQ(tension.observers[1].format, StructureFormat::ExtXYZ);

  const StageConfig& triax = c.stages[7];
  EXPECT_EQ(triax.mode, DeformMode::Triaxial);
  EXPECT_EQ(triax.steps, 150000);
  EXPECT_NEAR(triax.strain, -0.15, 1e-12);
  EXPECT_FALSE(triax.barostat);
  EXPECT_FALSE(triax.reset_thermostat);
}

TEST_F(WorkflowTest, ResolvedTomlRoundTrips) {
  expect_round_trip(parse(kFull));
  const std::string text = resolved_toml(parse(kFull));
  // Units are explicit and defaults written.
  EXPECT_NE(text.find("timestep = \"0.001 ps\""), std::string::npos) << text;
  EXPECT_NE(text.find("tdamp = \"0.1 ps\""), std::string::npos) << text;
  EXPECT_NE(text.find("duration = \"320000 steps\""), std::string::npos) << text;
  EXPECT_NE(text.find("pressure = \"0 bar\""), std::string::npos) << text;
}

TEST_F(WorkflowTest, ExampleLjLiquidParsesAndRoundTrips) {
  const std::string path = std::string(VITRA_SOURCE_DIR) + "/examples/lj_liquid.toml";
  const WorkflowConfig c = load_workflow(path);
  EXPECT_EQ(c.source_path, path);
  EXPECT_EQ(c.system.composition, "Ar");
  EXPECT_EQ(c.system.atoms, 256);
  EXPECT_DOUBLE_EQ(c.run.timestep, 0.002);
  ASSERT_EQ(c.potential.pairs.size(), 1u);
  EXPECT_DOUBLE_EQ(c.potential.pairs[0].sigma, 3.4);
  ASSERT_GE(c.stages.size(), 2u);
  for (const StageConfig& s : c.stages) {
    ASSERT_FALSE(s.observers.empty()) << s.name;
    EXPECT_EQ(s.observers[0].kind, ObserverKind::Thermo) << s.name;
  }
  EXPECT_EQ(c.stages[1].steps, 10000);  // 20 ps at 2 fs
  expect_round_trip(c);
}

TEST_F(WorkflowTest, CompositionWithExperimentalDensity) {
  const std::string sys = R"([system]
composition = "B2O3:70,Li2O:30"
atoms = 300
density = "experimental"
)";
  std::string pairs;
  for (const char* p : {"\"B\", \"B\"", "\"B\", \"Li\"", "\"O\", \"B\"", "\"Li\", \"Li\"",
                        "\"Li\", \"O\"", "\"O\", \"O\""})
    pairs += std::string("[[potential.pair]]\nelements = [") + p +
             "]\nform = \"buckingham\"\nA = 1000\nrho = 0.3\ncutoff = 6\n";
  const std::string text = R"([run]
output = "runs/lb70"

)" + sys + "\n[potential]\nkind = \"pair\"\n" + pairs + "\n" + kNvt;
  const WorkflowConfig c = parse(text);
  EXPECT_FALSE(c.system.from_structure());
  EXPECT_DOUBLE_EQ(c.system.density, 2.22);  // LB70, seed paper Table II
  EXPECT_FALSE(c.system.temperature.has_value());
  expect_round_trip(c);

  // A pair left out.
  const std::string missing = text.substr(0, text.find("[[potential.pair]]\nelements = [\"O\", \"O\"]")) + "\n" + kNvt;
  expect_error(missing, "[potential]", {"potential", "O-O"});
}

// ---------------------------------------------------------------- derivations

TEST_F(WorkflowTest, QuenchRateAndDuration) {
  auto quench = [&](const std::string& extra) {
    return parse(minimal("[[stage]]\nkind = \"quench\"\nt_start = 3500\nt_stop = 300\n" + extra));
  };
  {
    const StageConfig s = quench("rate = \"1 K/ps\"\n").stages[0];
    EXPECT_EQ(s.steps, 3200000);
    EXPECT_DOUBLE_EQ(s.rate, 1.0);
    EXPECT_FALSE(s.barostat);
  }
  {
    const StageConfig s = quench("duration = \"320 ps\"\n").stages[0];
    EXPECT_EQ(s.steps, 320000);
    EXPECT_DOUBLE_EQ(s.rate, 10.0);
  }
  {  // both, consistent
    const StageConfig s = quench("duration = \"1.6 ns\"\nrate = \"2 K/ps\"\n").stages[0];
    EXPECT_EQ(s.steps, 1600000);
  }
  {  // a derived time that is not whole steps is rounded to the nearest step
    const StageConfig s = quench("rate = \"3 K/ps\"\n").stages[0];
    EXPECT_EQ(s.steps, 1066667);
    EXPECT_NEAR(s.rate, 3.0, 1e-5);
  }
  const std::string bad =
      minimal("[[stage]]\nkind = \"quench\"\nt_start = 3500\nt_stop = 300\nduration = \"100 ps\"\n"
              "rate = \"1 K/ps\"\n");
  expect_error(bad, "rate = ", {"stage[0].rate", "disagree", "3200 ps", "100 ps"});
  const std::string neither = minimal("[[stage]]\nkind = \"quench\"\nt_start = 3500\nt_stop = 300\n");
  expect_error(neither, "[[stage]]", {"stage[0]", "rate", "duration"});
  const std::string flat =
      minimal("[[stage]]\nkind = \"quench\"\nt_start = 300\nt_stop = 300\nrate = \"1 K/ps\"\n");
  expect_error(flat, "rate = ", {"stage[0].rate", "t_start equals t_stop"});
  const std::string negative =
      minimal("[[stage]]\nkind = \"quench\"\nt_start = 3500\nt_stop = 300\nrate = \"-1 K/ps\"\n");
  expect_error(negative, "rate = ", {"stage[0].rate", "> 0"});
}

TEST_F(WorkflowTest, DeformStrainRateAndDuration) {
  auto deform = [&](const std::string& extra) {
    return parse(minimal("[[stage]]\nkind = \"deform\"\ntemperature = 300\n" + extra)).stages[0];
  };
  {  // erate + strain -> duration
    const StageConfig s = deform("axis = \"z\"\nerate = \"-1e-3 /ps\"\nstrain = -0.3\n");
    EXPECT_EQ(s.axis, 2);
    EXPECT_EQ(s.steps, 300000);
    EXPECT_DOUBLE_EQ(s.erate, -1e-3);
    EXPECT_NEAR(s.strain, -0.3, 1e-12);
    EXPECT_EQ(s.mask, (std::array<bool, 3>{true, true, false}));
  }
  {  // erate + duration -> strain
    const StageConfig s = deform("erate = \"1e-3 /ps\"\nduration = \"100 ps\"\n");
    EXPECT_EQ(s.steps, 100000);
    EXPECT_NEAR(s.strain, 0.1, 1e-12);
  }
  {  // strain + duration -> erate
    const StageConfig s = deform("strain = 0.2\nduration = \"0.1 ns\"\nlateral = \"fixed\"\n");
    EXPECT_DOUBLE_EQ(s.erate, 2e-3);
    EXPECT_EQ(s.lateral, Lateral::Fixed);
    EXPECT_FALSE(s.barostat);
  }
  {  // shear
    const StageConfig s = deform("mode = \"shear\"\naxis = \"yz\"\nerate = \"1e9 /s\"\nstrain = 0.05\n");
    EXPECT_EQ(s.mode, DeformMode::Shear);
    EXPECT_EQ(s.axis, 2);
    EXPECT_EQ(s.steps, 50000);
  }
  const std::string head = "[[stage]]\nkind = \"deform\"\ntemperature = 300\n";
  expect_error(minimal(head + "erate = \"1e-3 /ps\"\nstrain = 0.3\nduration = \"100 ps\"\n"),
               "strain = ", {"stage[0].strain", "disagree"});
  expect_error(minimal(head + "erate = \"1e-3 /ps\"\nstrain = -0.3\n"), "strain = ",
               {"stage[0].strain", "opposite signs"});
  expect_error(minimal(head + "erate = \"1e-3 /ps\"\n"), "[[stage]]",
               {"stage[0]", "two of erate, strain and duration"});
  expect_error(minimal(head + "mode = \"triaxial\"\naxis = \"x\"\nstrain = -0.1\nduration = \"1 ps\"\n"),
               "axis = ", {"stage[0].axis", "not used by stage kind deform with mode = \"triaxial\""});
  expect_error(minimal(head + "lateral = \"fixed\"\npressure = 0\nstrain = 0.1\nduration = \"1 ps\"\n"),
               "pressure = ", {"stage[0].pressure", "lateral = \"fixed\""});
  expect_error(minimal(head + "axis = \"w\"\nstrain = 0.1\nduration = \"1 ps\"\n"), "axis = ",
               {"stage[0].axis", "\"x\", \"y\", \"z\"", "\"w\""});
}

// ---------------------------------------------------------------- errors

TEST_F(WorkflowTest, UnknownKeysGetSuggestions) {
  expect_error(minimal("[[stage]]\nkind = \"nvt\"\nduration = \"1 ps\"\ntemprature = 300\n"),
               "temprature", {"stage[0].temprature", "unknown key", "did you mean 'temperature'?"});
  expect_error(minimal(kNvt + "tdmap = \"1 ps\"\n"), "tdmap", {"did you mean 'tdamp'?"});
  const std::string run = "[run]\noutput = \"x\"\ntimestpe = \"1 fs\"\n";
  expect_error(run, "timestpe", {"run.timestpe", "did you mean 'timestep'?"});
  expect_error(minimal(kNvt) + "[sytem]\n", "[sytem]", {"sytem", "did you mean 'system'?"});
  expect_error(minimal(kNvt + "[[stage.observe]]\nkind = \"thermo\"\nevery = 10\neveyr = 3\n"),
               "eveyr", {"stage[0].observe[0].eveyr", "did you mean 'every'?"});
  // Nothing close: the known keys are listed.
  expect_error("[run]\noutput = \"x\"\nfrobnicate = 1\n", "frobnicate",
               {"run.frobnicate", "\"output\", \"overwrite\", \"seed\", \"timestep\", \"device\""});
}

TEST_F(WorkflowTest, KeysNotUsedByTheStageKind) {
  expect_error(minimal("[[stage]]\nkind = \"nve\"\nduration = \"1 ps\"\npressure = 0\n"),
               "pressure", {"stage[0].pressure", "key not used by stage kind nve"});
  expect_error(minimal("[[stage]]\nkind = \"minimize\"\nduration = \"1 ps\"\n"), "duration",
               {"stage[0].duration", "not used by stage kind minimize"});
  expect_error(minimal("[[stage]]\nkind = \"quench\"\nt_start = 3500\nt_stop = 300\nrate = 1\n"
                       "pdamp = \"1 ps\"\n"),
               "pdamp", {"stage[0].pdamp", "stage kind quench with ensemble = \"nvt\""});
  expect_error(minimal("[[stage]]\nkind = \"npt-ase\"\nduration = 1\ntemperature = 300\n"
                       "pfactor = 1\ntdamp = \"1 ps\"\n"),
               "tdamp", {"stage[0].tdamp", "not used by stage kind npt-ase"});
  expect_error(minimal("[[stage]]\nkind = \"nvt\"\nensemble = \"npt\"\n"), "ensemble",
               {"stage[0].ensemble", "not used by stage kind nvt"});
  expect_error(minimal(kNvt + "[[stage.observe]]\nkind = \"thermo\"\nevery = 10\nformat = \"extxyz\"\n"),
               "format", {"stage[0].observe[0].format", "not used by observer kind thermo"});
  const std::string pair = R"([run]
output = "x"
[system]
composition = "Ar"
atoms = 10
density = 1.4
[potential]
kind = "pair"
[[potential.pair]]
elements = ["Ar", "Ar"]
form = "buckingham"
A = 1
rho = 0.3
epsilon = 0.1
cutoff = 5
)" + kNvt;
  expect_error(pair, "epsilon", {"potential.pair[0].epsilon", "not used by form \"buckingham\""});
}

TEST_F(WorkflowTest, ValuesOutOfRange) {
  expect_error("[run]\noutput = \"x\"\ntimestep = \"-1 fs\"\n", "timestep",
               {"run.timestep", "> 0", "-1 fs"});
  expect_error(minimal("[[stage]]\nkind = \"nvt\"\nduration = 1\ntemperature = -5\n"),
               "temperature = -5", {"stage[0].temperature", "> 0 K", "found -5"});
  expect_error(minimal(kNvt + "chain = 0\n"), "chain", {"stage[0].chain", ">= 1"});
  expect_error(minimal("[[stage]]\nkind = \"npt\"\nduration = 1\ntemperature = 1\ndrag = -1\n"), "drag",
               {"stage[0].drag", ">= 0"});
  expect_error(minimal(kNvt + "drag = 1\n"), "drag", {"stage[0].drag", "not used by stage kind nvt"});
  expect_error(minimal(kNvt + "tdamp = \"0 fs\"\n"), "tdamp", {"stage[0].tdamp", "> 0"});
  expect_error(minimal(kNvt + "[[stage]]\nkind = \"nvt\"\nduration = 1\ntemperature = true\n"),
               "temperature = true",
               {"stage[1].temperature", "expected a temperature", "a boolean"});
  expect_error(minimal("[[stage]]\nkind = \"nvt\"\nduration = 1\ntemperature = \"300 C\"\n"),
               "300 C", {"stage[0].temperature", "unknown temperature unit 'C'", "accepted: K"});
  expect_error(minimal("[[stage]]\nkind = \"nvt\"\nduration = \"10.0005 ps\"\ntemperature = 1\n"),
               "10.0005", {"stage[0].duration", "not a whole number"});
  expect_error(minimal("[[stage]]\nkind = \"npt\"\nduration = 1\ntemperature = 1\n"
                       "mask = [true, false, true]\n"),
               "mask", {"stage[0].mask", "couple = \"aniso\""});
  expect_error(minimal("[[stage]]\nkind = \"nvt\"\ntemperature = 1\n"), "[[stage]]",
               {"stage[0].duration", "missing", "required by stage kind nvt"});
  expect_error(minimal("[[stage]]\nkind = \"fancy\"\n"), "fancy",
               {"stage[0].kind", "\"nve\", \"nvt\", \"npt\", \"npt-ase\", \"quench\", "
                                 "\"minimize\", \"deform\"",
                "\"fancy\""});
  expect_error(minimal("[[stage]]\nkind = \"npt-ase\"\nduration = 1\ntemperature = 300\n"),
               "[[stage]]", {"stage[0].pfactor", "missing", "GPa*fs^2"});
  expect_error("[run]\noutput = \"x\"\nseed = -1\n", "seed", {"run.seed", ">= 0"});
  expect_error("[run]\noutput = \"x\"\ndevice = \"gpu\"\n", "device",
               {"run.device", "\"auto\", \"cuda\", \"cpu\""});
}

TEST_F(WorkflowTest, RequiredKeysAndTables) {
  expect_error("[run]\noverwrite = true\n", "[run]", {"run.output", "missing"});
  expect_error("[run]\noutput = \"x\"\n", "", {"[system]"});
  expect_error(minimal(""), "", {"[[stage]]"});
  expect_error(minimal("[stage]\nkind = \"nvt\"\n"), "[stage]",
               {"stage", "expected an array of tables [[stage]]"});
  expect_error(minimal("[[stage]]\nduration = 1\n"), "[[stage]]", {"stage[0].kind", "missing"});
  expect_error(minimal(kNvt + "[[stage.observe]]\nkind = \"thermo\"\n"), "[[stage.observe]]",
               {"stage[0].observe[0].every", "missing"});
}

TEST_F(WorkflowTest, StructureOrComposition) {
  const std::string both = minimal(kNvt, "[system]\ncomposition = \"Ar\"\natoms = 10\ndensity = 1\n"
                                         "structure = \"start.extxyz\"\n");
  expect_error(both, "structure = ", {"system.structure", "not both"});
  expect_error(minimal(kNvt, "[system]\ntemperature = 300\n"), "[system]",
               {"system", "structure", "composition", "found neither"});
  expect_error(minimal(kNvt, "[system]\nstructure = \"missing.extxyz\"\n"), "missing.extxyz",
               {"system.structure", "file not found", "missing.extxyz"});
  expect_error(minimal(kNvt, "[system]\nstructure = \"start.extxyz\"\natoms = 10\n"), "atoms",
               {"system.atoms", "only used with system.composition"});
  expect_error(minimal(kNvt, "[system]\ncomposition = \"Ar\"\ndensity = 1\n"), "[system]",
               {"system.atoms", "missing"});
  expect_error(minimal(kNvt, "[system]\ncomposition = \"Ar\"\natoms = 10\n"), "[system]",
               {"system.density", "missing"});
  expect_error(minimal(kNvt, "[system]\ncomposition = \"B2O3:66.7,LI2O:33.3\"\natoms = 10\n"
                             "density = 2\n"),
               "LI2O", {"system.composition", "did you mean 'Li2O'"});
  // LB67 is not in the experimental table.
  expect_error(minimal(kNvt, "[system]\ncomposition = \"B2O3:66.7,Li2O:33.3\"\natoms = 300\n"
                             "density = \"experimental\"\n"),
               "experimental", {"system.density", "LB70"});
  // Format from the extension, or given.
  dir.write("start.data", "");
  const WorkflowConfig c = parse(minimal(kNvt, "[system]\nstructure = \"start.data\"\n"));
  EXPECT_EQ(c.system.format, StructureFormat::LammpsData);
  dir.write("start.txt", "");
  expect_error(minimal(kNvt, "[system]\nstructure = \"start.txt\"\n"), "start.txt",
               {"system.structure", "cannot tell the format", "system.format"});
  const WorkflowConfig d =
      parse(minimal(kNvt, "[system]\nstructure = \"start.txt\"\nformat = \"extxyz\"\n"));
  EXPECT_EQ(d.system.format, StructureFormat::ExtXYZ);
}

TEST_F(WorkflowTest, PotentialErrors) {
  auto with_potential = [](const std::string& pot) {
    return "[run]\noutput = \"x\"\n[system]\ncomposition = \"Ar\"\natoms = 10\ndensity = 1.4\n" +
           pot + kNvt;
  };
  expect_error(with_potential("[potential]\nkind = \"deepmd\"\n"), "[potential]",
               {"potential.model", "missing", "model file"});
  expect_error(with_potential("[potential]\nkind = \"deepmd\"\nmodel = \"nowhere.yaml\"\n"), "nowhere",
               {"potential.model", "file not found"});
  expect_error(with_potential("[potential]\nkind = \"pairs\"\n"), "pairs",
               {"potential.kind", "did you mean \"pair\"?"});
  expect_error(with_potential("[potential]\nkind = \"pair\"\n"), "[potential]",
               {"potential", "[[potential.pair]]"});
  const std::string lj = "[[potential.pair]]\nelements = [\"Ar\", \"Ar\"]\nepsilon = 1\nsigma = 1\ncutoff = 3\n";
  expect_error(with_potential("[potential]\nkind = \"pair\"\n" + lj + lj), "elements = ",
               {"potential.pair[1].elements", "given twice"}, true);
  expect_error(with_potential("[potential]\nkind = \"pair\"\n[[potential.pair]]\nelements = [\"Ar\", \"Xx\"]\n"
                              "epsilon = 1\nsigma = 1\ncutoff = 3\n"),
               "Xx", {"potential.pair[0].elements", "unknown element 'Xx'"});
  expect_error(with_potential("[potential]\nkind = \"pair\"\n[[potential.pair]]\nelements = [\"Ar\", \"Ar\"]\n"
                              "epsilon = 1\ncutoff = 3\n"),
               "[[potential.pair]]", {"potential.pair[0].sigma", "missing"});
  expect_error(with_potential("[potential]\nkind = \"pair\"\n[[potential.pair]]\nelements = [\"Ar\", \"Ne\"]\n"
                              "epsilon = 1\nsigma = 1\ncutoff = 3\n"),
               "Ne", {"potential.pair[0].elements", "Ne is not in the system"});
}

TEST_F(WorkflowTest, CoulombTable) {
  const std::string sys = "[system]\ncomposition = \"SiO2\"\natoms = 30\ndensity = 2.2\n";
  const std::string pairs =
      "[potential]\nkind = \"pair\"\n"
      "[[potential.pair]]\nelements = [\"Si\", \"O\"]\nform = \"buckingham\"\nA = 18003.7572\nrho = 0.205205\nC = 133.5381\ncutoff = 5.5\n"
      "[[potential.pair]]\nelements = [\"O\", \"O\"]\nform = \"buckingham\"\nA = 1388.773\nrho = 0.362319\nC = 175\ncutoff = 5.5\n"
      "[[potential.pair]]\nelements = [\"Si\", \"Si\"]\nform = \"buckingham\"\nA = 0\nrho = 1\nC = 0\ncutoff = 5.5\n";
  const std::string text = "[run]\noutput = \"x\"\n" + sys + pairs +
                           "[potential.coulomb]\nmethod = \"dsf\"\ncutoff = 10\ncharges = { Si = 2.4, O = -1.2 }\n" + kNvt;
  const WorkflowConfig c = parse(text);
  EXPECT_EQ(c.potential.coulomb.method, "dsf");
  EXPECT_DOUBLE_EQ(c.potential.coulomb.cutoff, 10.0);
  EXPECT_DOUBLE_EQ(c.potential.coulomb.alpha, 0.2);  // default
  ASSERT_EQ(c.potential.coulomb.charges.size(), 2u);
  expect_round_trip(c);
  EXPECT_EQ(parse(minimal(kNvt)).potential.coulomb.method, "none");
  auto with = [&](const std::string& coulomb) { return "[run]\noutput = \"x\"\n" + sys + pairs + coulomb + kNvt; };
  expect_error(with("[potential.coulomb]\nmethod = \"dsf\"\ncutoff = 10\ncharges = { Si = 2.4 }\n"), "charges",
               {"potential.coulomb.charges", "no charge for element O"});
  expect_error(with("[potential.coulomb]\nmethod = \"pppm\"\ncutoff = 10\ncharges = { Si = 2.4, O = -1.2 }\n"),
               "pppm", {"potential.coulomb.method", "\"dsf\"", "\"ewald\""});
  {  // Ewald: alpha from the accuracy unless given; both round-trip.
    const WorkflowConfig e =
        parse(with("[potential.coulomb]\nmethod = \"ewald\"\ncutoff = 10\ncharges = { Si = 2.4, O = -1.2 }\n"));
    EXPECT_EQ(e.potential.coulomb.method, "ewald");
    EXPECT_DOUBLE_EQ(e.potential.coulomb.alpha, 0.0);
    EXPECT_DOUBLE_EQ(e.potential.coulomb.accuracy, 1e-6);
    expect_round_trip(e);
    const WorkflowConfig e2 = parse(with(
        "[potential.coulomb]\nmethod = \"ewald\"\ncutoff = 9\naccuracy = 1e-8\nalpha = 0.35\ncharges = { Si = 2.4, O = -1.2 }\n"));
    EXPECT_DOUBLE_EQ(e2.potential.coulomb.alpha, 0.35);
    EXPECT_DOUBLE_EQ(e2.potential.coulomb.accuracy, 1e-8);
    expect_round_trip(e2);
  }
  expect_error(with("[potential.coulomb]\nmethod = \"ewald\"\ncutoff = 10\naccuracy = 2\ncharges = { Si = 2.4, O = -1.2 }\n"),
               "accuracy", {"potential.coulomb.accuracy", "between 0 and 1"});
  expect_error(with("[potential.coulomb]\nmethod = \"dsf\"\ncutoff = 10\naccuracy = 1e-6\ncharges = { Si = 2.4, O = -1.2 }\n"),
               "accuracy", {"potential.coulomb.accuracy", "ewald"});
  expect_error(with("[potential.coulomb]\nmethod = \"dsf\"\ncharges = { Si = 2.4, O = -1.2 }\n"),
               "[potential.coulomb]", {"potential.coulomb.cutoff", "missing"});
  expect_error(with("[potential.coulomb]\nmethod = \"dsf\"\ncutoff = 10\nalpha = -1\ncharges = { Si = 2.4, O = -1.2 }\n"),
               "alpha", {"potential.coulomb.alpha", ">= 0"});
  expect_error(with("[potential.coulomb]\nmethod = \"dsf\"\ncutoff = 10\ncharges = { Si = \"two\", O = -1.2 }\n"),
               "two", {"potential.coulomb.charges.Si"});
}

TEST_F(WorkflowTest, ClassicalPotentialSet) {
  const std::string lb = "[run]\noutput = \"x\"\n[system]\ncomposition = \"B2O3:66.7,Li2O:33.3\"\natoms = 100\ndensity = 2.22\n";
  const WorkflowConfig c = parse(lb + "[potential]\nkind = \"classical\"\nset = \"shik\"\n" + kNvt);
  EXPECT_EQ(c.potential.kind, "classical");
  EXPECT_EQ(c.potential.set, "shik");
  expect_round_trip(c);
  expect_error(lb + "[potential]\nkind = \"classical\"\nset = \"teter\"\n" + kNvt, "teter",
               {"potential.set", "\"shik\""});
  expect_error(lb + "[potential]\nkind = \"classical\"\n" + kNvt, "[potential]", {"potential.set", "missing"});
  expect_error(lb + "[potential]\nkind = \"classical\"\nset = \"shik\"\n[[potential.pair]]\nelements = [\"B\", \"O\"]\n"
                    "epsilon = 1\nsigma = 1\ncutoff = 3\n" + kNvt,
               "[[potential.pair]]", {"potential.pair", "not used by potential kind \"classical\""});
  expect_error("[run]\noutput = \"x\"\n[system]\ncomposition = \"Na2O:20,SiO2:80\"\natoms = 100\ndensity = 2.3\n"
               "[potential]\nkind = \"classical\"\nset = \"shik\"\n" + kNvt,
               "set = ", {"potential.set", "has no element Na"});
}

TEST_F(WorkflowTest, ObserverErrors) {
  expect_error(minimal(kNvt + "[[stage.observe]]\nkind = \"rdf\"\nevery = 10\n"), "rdf",
               {"stage[0].observe[0].kind", "\"thermo\", \"dump\", \"checkpoint\"", "\"rdf\""});
  expect_error(minimal(kNvt + "[[stage.observe]]\nkind = \"dump\"\nevery = 0\n"), "every = 0",
               {"stage[0].observe[0].every", "> 0"});
  expect_error(minimal(kNvt + "[[stage.observe]]\nkind = \"dump\"\nevery = 1.5\n"), "every = 1.5",
               {"stage[0].observe[0].every", "an integer"});
  expect_error(minimal(kNvt + "[[stage.observe]]\nkind = \"thermo\"\nevery = 1\n"
                              "[[stage.observe]]\nkind = \"thermo\"\nevery = 2\n"),
               "kind = \"thermo\"", {"stage[0].observe[1].kind", "a second thermo observer"}, true);
  const std::string dumps = minimal(
      "[[stage]]\nname = \"a\"\nkind = \"nve\"\nduration = 1\n"
      "[[stage.observe]]\nkind = \"dump\"\nevery = 10\nfile = \"b.extxyz\"\n"
      "[[stage]]\nname = \"b\"\nkind = \"nve\"\nduration = 1\n"
      "[[stage.observe]]\nkind = \"dump\"\nevery = 10\n");
  expect_error(dumps, "kind = \"dump\"", {"stage[1].observe[0]", "\"b.extxyz\"", "already written"},
               true);
  expect_error(minimal(kNvt + "[[stage.observe]]\nkind = \"dump\"\nevery = 1\nfile = \"t.txt\"\n"),
               "t.txt", {"stage[0].observe[0].file", "cannot tell the dump format"});
}

TEST_F(WorkflowTest, StageNames) {
  expect_error(minimal("[[stage]]\nname = \"a\"\nkind = \"nve\"\nduration = 1\n"
                       "[[stage]]\nname = \"a\"\nkind = \"nve\"\nduration = 2\n"),
               "name = \"a\"", {"stage[1].name", "already used by stage[0]"}, true);
  // A default name that collides with a given one.
  expect_error(minimal("[[stage]]\nname = \"stage1\"\nkind = \"nve\"\nduration = 1\n"
                       "[[stage]]\nkind = \"nve\"\nduration = 2\n"),
               "kind = \"nve\"", {"stage[1].kind", "\"stage1\" is already used"}, true);
  expect_error(minimal("[[stage]]\nname = \"a b/c\"\nkind = \"nve\"\nduration = 1\n"), "a b/c",
               {"stage[0].name", "letters, digits"});
}

TEST_F(WorkflowTest, TomlSyntaxErrorNamesTheLine) {
  const std::string text = "[run]\noutput = \"x\"\nseed = = 3\n";
  expect_error(text, "seed", {"TOML syntax error"});
}

TEST_F(WorkflowTest, LoadWorkflowResolvesPathsFromItsFolder) {
  const std::string path = dir.write("wf.toml", minimal(kNvt, "[system]\nstructure = \"start.extxyz\"\n"));
  const WorkflowConfig c = load_workflow(path);
  EXPECT_EQ(std::filesystem::path(c.system.structure),
            std::filesystem::absolute(dir.dir / "start.extxyz").lexically_normal());
  EXPECT_THROW(load_workflow(dir.file("nope.toml")), InputError);
}
