// `vitra eval WORKFLOW [--structure FILE]` or `vitra eval --model M
// --structure FILE`: one energy / force / virial evaluation of a structure
// with a workflow's [potential] or a DeePMD-kit model, printed as JSON (for
// scripts and oracle tests) or as a short text summary.
//
// The structure is --structure FILE (frame --frame of a trajectory) when
// given, else the workflow's [system] exactly as `vitra run` starts from it
// (make_system). Atoms keep the order of the input file: to_system neither
// sorts nor drops atoms, and the pair potential writes forces per atom index.
//
// Signs (kernels/potential.hpp): F = -dE/dr, W = -Σ r_ij ⊗ dE/dr_ij. The
// static stress is σ = -W/V (tension positive, as ASE's get_stress()) and the
// static pressure tr(W)/(3V) (compression positive); no kinetic part.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cuda/backend.hpp"
#include "host/cli/commands.hpp"
#include "host/error.hpp"
#include "host/io/structure_io.hpp"
#include "host/model/deepmd_model_io.hpp"
#include "host/structure.hpp"
#include "host/workflow/make_potential.hpp"
#include "host/workflow/make_system.hpp"
#include "host/workflow/workflow_config.hpp"
#include "kernels/deepmd/deep_potential.hpp"
#include "kernels/potential.hpp"
#include "kernels/units.hpp"

namespace vitra::cli {

namespace {

struct EvalOptions {
  std::string workflow;
  std::string model;
  bool truncate_sel = false;
  std::string structure;
  std::string format = "auto";
  long frame = 0;
  std::vector<std::string> types;
  std::string output = "json";
  bool atom_virial = false;
};

System system_from_file(const EvalOptions& o) {
  const bool output_name = o.format == "json" || o.format == "text";  // --format json: the output
  const StructureFormat f =
      o.format == "auto" || output_name ? format_from_path(o.structure) : format_from_name(o.format);
  ReadOptions ro;
  ro.frame = o.frame;
  ro.lammps_type_names = o.types;
  const Structure st = read_structure(o.structure, f, ro);
  if (st.size() == 0) throw InputError(o.structure, 0, "the structure holds no atoms");
  if (!(st.pbc[0] && st.pbc[1] && st.pbc[2]))
    throw InputError(o.structure, 0,
                     "vitra eval needs a cell periodic in all three directions (pbc=\"T T T\")");
  try {
    return to_system(st);
  } catch (const InputError& e) {
    throw InputError(o.structure, 0, e.what());
  }
}

nlohmann::ordered_json mat_json(const Mat3& m) {
  nlohmann::ordered_json j = nlohmann::ordered_json::array();
  for (int a = 0; a < 3; ++a) j.push_back({m.m[a][0], m.m[a][1], m.m[a][2]});
  return j;
}

void run_eval(EvalOptions o, GlobalOptions g, bool structure_options_given) {
  using namespace workflow;
  if (o.format == "json" || o.format == "text") o.output = o.format;
  if (o.workflow.empty() == o.model.empty())
    throw InputError("vitra eval: give either a workflow file or --model MODEL (with --structure FILE)");
  if (!o.model.empty() && o.structure.empty())
    throw InputError("vitra eval: --model needs --structure FILE, the structure to evaluate");
  if (o.structure.empty() && structure_options_given)
    throw InputError(
        "vitra eval: --format, --frame and --types apply to --structure FILE, which is not given");
  if (o.truncate_sel && o.model.empty())
    throw InputError("vitra eval: --truncate-sel applies to --model (a workflow sets potential.truncate_sel)");
  std::unique_ptr<Potential> pot;
  System sys;
  if (!o.model.empty()) {
    activate_backend(g);
    DeepPotentialOptions opt;
    opt.truncate_sel = o.truncate_sel;
    pot = std::make_unique<DeepPotential>(read_model(o.model), opt);
    sys = system_from_file(o);
  } else {
    const WorkflowConfig cfg = load_workflow(o.workflow);
    // As `vitra run`: --device on the command line wins over the workflow's run.device.
    if (g.device == "auto") g.device = cfg.run.device;
    activate_backend(g);
    sys = o.structure.empty() ? make_system(cfg) : system_from_file(o);
    if (sys.size() == 0) throw InputError(cfg.source_path, 0, "system: the structure holds no atoms");
    // Every pair of the structure's elements must have a [[potential.pair]].
    pot = make_potential(cfg, sys);
  }
  const std::size_t n = sys.size();

  ComputeRequest req;
  req.energy = true;
  req.virial = true;
  req.atom_energy = true;
  req.atom_virial = o.atom_virial;
  const ComputeResult r = pot->compute(sys, req);

  const std::vector<Vec3> forces = sys.host_forces();
  const std::vector<double> atom_e = pot->atom_energy().to_host();
  const std::vector<int> types = sys.host_types();
  const double volume = sys.box.volume();
  Mat3 stress;  // σ = -W/V, GPa (+ 0.0: a zero component prints as 0, not -0)
  for (int a = 0; a < 3; ++a)
    for (int b = 0; b < 3; ++b)
      stress.m[a][b] = -r.virial.m[a][b] / volume * units::kEvPerA3ToGPa + 0.0;
  const double trace_w = r.virial.m[0][0] + r.virial.m[1][1] + r.virial.m[2][2];
  const double pressure_bar = trace_w / (3.0 * volume) * units::kEvPerA3ToBar;

  if (o.output == "json") {
    nlohmann::ordered_json j;  // keys in the order written
    j["atoms"] = n;
    nlohmann::ordered_json species = nlohmann::ordered_json::array();
    for (int t : types) species.push_back(sys.type_map.names[t]);
    j["species"] = species;
    j["elements"] = sys.type_map.names;
    j["potential"] = pot->name();
    j["cutoff_A"] = pot->cutoff();
    j["backend"] = backend_name(active_backend());
    j["energy_eV"] = r.energy;
    j["atom_energies_eV"] = atom_e;
    nlohmann::ordered_json f = nlohmann::ordered_json::array();
    for (const Vec3& v : forces) f.push_back({v.x, v.y, v.z});
    j["forces_eV_per_A"] = f;
    j["virial_eV"] = mat_json(r.virial);
    j["stress_GPa"] = mat_json(stress);
    j["pressure_bar"] = pressure_bar;
    j["volume_A3"] = volume;
    j["cell_A"] = mat_json(sys.box.h);
    if (o.atom_virial) {
      // Blocked [(3a+b)·N + i] -> one row-major 3x3 per atom.
      const std::vector<double> aw = pot->atom_virial().to_host();
      nlohmann::ordered_json rows = nlohmann::ordered_json::array();
      for (std::size_t i = 0; i < n; ++i) {
        std::vector<double> row(9);
        for (int k = 0; k < 9; ++k) row[k] = aw[k * n + i];
        rows.push_back(row);
      }
      j["atom_virials_eV"] = rows;
    }
    std::cout << j.dump() << "\n";
    return;
  }

  // Text: a compact summary.
  double fmax = -1.0;
  std::size_t imax = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double fi = norm(forces[i]);
    if (fi > fmax) fmax = fi, imax = i;
  }
  std::string counts;
  for (int t = 0; t < sys.type_map.size(); ++t)
    counts += fmt::format("{}{} {}", t ? ", " : "", sys.type_map.names[t],
                          std::count(types.begin(), types.end(), t));
  std::cout << fmt::format("atoms:      {} ({})\n", n, counts);
  std::cout << fmt::format("volume:     {:.6f} A^3\n", volume);
  std::cout << fmt::format("energy:     {:.10f} eV ({:.10f} eV/atom)\n", r.energy,
                           r.energy / static_cast<double>(n));
  std::cout << fmt::format("max |F|:    {:.6e} eV/A (atom {}, {})\n", fmax, imax + 1,
                           sys.type_map.names[types[imax]]);
  std::cout << fmt::format("pressure:   {:.6f} bar (static, compression positive)\n", pressure_bar);
  std::cout << "stress:     GPa, static, tension positive\n";
  // Values that print as zero print without a sign.
  auto shown = [](double x) { return std::abs(x) < 5e-9 ? 0.0 : x; };
  for (int a = 0; a < 3; ++a)
    std::cout << fmt::format("  {:16.8f} {:16.8f} {:16.8f}\n", shown(stress.m[a][0]),
                             shown(stress.m[a][1]), shown(stress.m[a][2]));
}

}  // namespace

void add_eval_command(CLI::App& app, GlobalOptions& g) {
  auto o = std::make_shared<EvalOptions>();
  auto* cmd = app.add_subcommand(
      "eval",
      "Evaluate the energy, forces, virial and stress of one structure with a workflow's "
      "[potential] (the structure: --structure FILE, else the workflow's [system]) or with a "
      "DeePMD-kit model (--model M --structure FILE)");
  cmd->add_option("workflow", o->workflow, "Workflow file (TOML) whose [potential] is used");
  cmd->add_option("--model", o->model,
                  "se_e2_a model to evaluate with instead of a workflow: DeePMD-kit .yaml or .dp, or "
                  "vitra .vdp");
  cmd->add_flag("--truncate-sel", o->truncate_sel,
                "With --model: keep the nearest sel[t] neighbors of each type when there are more "
                "(DeePMD-kit's behaviour) instead of failing");
  cmd->add_option("--structure", o->structure,
                  "Structure file to evaluate (extended XYZ, LAMMPS data or dump) instead of the "
                  "workflow's [system]");
  auto* format = cmd->add_option("--format", o->format,
                                 "Format of --structure: auto (from the extension), extxyz, "
                                 "lammps-data or lammps-dump; json or text name the output "
                                 "instead (as --output)")
                     ->check(CLI::IsMember({"auto", "extxyz", "xyz", "lammps-data", "data", "lmp",
                                            "lammps-dump", "dump", "json", "text"}))
                     ->capture_default_str();
  auto* frame = cmd->add_option("--frame", o->frame,
                                "Frame of a trajectory --structure: 0 first (default), -1 last");
  auto* types = cmd->add_option("--types", o->types,
                                "Element names of LAMMPS atom types 1..n, e.g. O,B,Li (for "
                                "LAMMPS files that do not name them)")
                    ->delimiter(',');
  cmd->add_option("--output", o->output, "Output: json (full precision) or text (a summary)")
      ->check(CLI::IsMember({"json", "text"}))
      ->capture_default_str();
  cmd->add_flag("--atom-virial", o->atom_virial,
                "Add per-atom virials to the JSON output (atom_virials_eV, 9 per atom, row-major)");
  cmd->callback([o, &g, format, frame, types]() {
    const bool structure_format = format->count() > 0 && o->format != "json" && o->format != "text";
    run_eval(*o, g, structure_format || frame->count() > 0 || types->count() > 0);
  });
}

}  // namespace vitra::cli
