// `vitra build`: a random glass from a composition, at a density, with
// minimum pair distances, written as a structure file.
#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include "host/cli/commands.hpp"
#include "host/error.hpp"
#include "host/glass/builder.hpp"
#include "host/glass/composition.hpp"
#include "host/glass/experimental_densities.hpp"
#include "host/io/structure_io.hpp"
#include "host/progress.hpp"

namespace vitra::cli {

namespace {

struct BuildCliOptions {
  std::string composition;
  long atoms = 0;
  std::string density = "experimental";
  std::uint64_t seed = 1;
  std::string min_dist;
  std::string output;
  bool force = false;
};

// Runs `f`, prefixing any InputError with the flag it came from.
template <class F>
auto for_flag(const char* flag, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const InputError& e) {
    throw InputError(fmt::format("{}: {}", flag, e.what()));
  }
}

void run_build(const BuildCliOptions& o) {
  using namespace glass;
  try {
    format_from_path(o.output);
  } catch (const InputError&) {
    throw InputError(
        fmt::format("--output: cannot tell the file format of \"{}\" from its extension; use "
                    ".extxyz or .xyz (extended XYZ), "
                    ".data or .lmp (LAMMPS data) or .dump or .lammpstrj (LAMMPS dump)",
                    o.output));
  }
  std::error_code ec;
  if (!o.force && std::filesystem::exists(o.output, ec))
    throw InputError(
        fmt::format("--output: {} exists already; pass --force to overwrite it", o.output));
  // Fail before the work, not after it, when the file cannot be written.
  const std::filesystem::path parent = std::filesystem::path(o.output).parent_path();
  if (!parent.empty() && !std::filesystem::is_directory(parent, ec))
    throw InputError(fmt::format("--output: the folder {} does not exist", parent.string()));
  if (o.atoms < 1)
    throw InputError(fmt::format("--atoms: expected a positive atom count, found {}", o.atoms));

  const Composition comp =
      for_flag("--composition", [&] { return parse_composition(o.composition); });
  for_flag("--composition", [&] { check_charge_neutrality(comp); });
  const UnitCounts units = for_flag("--atoms", [&] { return formula_units(comp, o.atoms); });
  const ExperimentalGlass* reference = find_experimental_glass(comp);

  double density = 0;
  std::string density_note;
  if (o.density == "experimental") {
    const ExperimentalGlass& g =
        for_flag("--density experimental",
                 [&]() -> const ExperimentalGlass& { return experimental_glass(comp); });
    density = g.density;
    density_note = fmt::format("experimental, {}", g.id);
  } else {
    char* end = nullptr;
    density = std::strtod(o.density.c_str(), &end);
    if (o.density.empty() || end != o.density.c_str() + o.density.size() ||
        !std::isfinite(density) || !(density > 0))
      throw InputError(fmt::format(
          "--density: expected a positive number in g/cm3 or \"experimental\", found \"{}\"",
          o.density));
    density_note = "given";
  }

  BuildOptions bo;
  bo.density = density;
  bo.seed = o.seed;
  bo.min_distances = for_flag("--min-dist", [&] { return parse_min_distances(o.min_dist); });

  // What was chosen, before the (possibly long) placement.
  fmt::print("composition: {}\n", comp.describe());
  std::string unit_list, fraction_list;
  for (std::size_t i = 0; i < comp.components.size(); ++i) {
    unit_list += fmt::format("{}{} {}", i ? " + " : "", units.units[i], comp.components[i].formula);
    fraction_list += fmt::format("{}{:.3f}%", i ? " / " : "",
                                 100.0 * double(units.units[i]) / double(units.total_units));
  }
  fmt::print("formula units: {} = {} units{}\n", unit_list, units.total_units,
             units.snapped ? " (amounts read as a rounded small-integer ratio)" : "");
  fmt::print("unit fractions: {} (largest deviation from the request {:.3f} mol%)\n", fraction_list,
             100.0 * units.max_fraction_error);
  std::string atom_list;
  for (const auto& [sym, count] : units.atoms)
    atom_list += fmt::format("{}{} {}", atom_list.empty() ? "" : ", ", sym, count);
  fmt::print("atoms: {} ({}); requested {}\n", units.total_atoms, atom_list, o.atoms);
  const double L = cubic_box_length(units.mass, density);
  fmt::print("mass: {:.4f} amu\n", units.mass);
  fmt::print("density: {:.4f} g/cm3 ({})\n", density, density_note);
  fmt::print("box: cubic, edge {:.4f} Å, volume {:.2f} Å^3\n", L, L * L * L);
  if (reference)
    fmt::print(
        "experimental reference: {} (SiO2 {:g} / B2O3 {:g} / Li2O {:g} mol%): density {:.2f} "
        "g/cm3, "
        "3B {:.1f}%, 4B {:.1f}% (seed paper Table II)\n",
        reference->id, reference->sio2, reference->b2o3, reference->li2o, reference->density,
        reference->b3_percent, reference->b4_percent);
  else
    fmt::print("experimental reference: none within {:g} mol% (seed paper Table II)\n",
               kDensityMatchTolerance);
  std::vector<std::string> elements;
  for (const auto& [sym, count] : units.atoms) elements.push_back(sym);
  fmt::print("minimum distances (Å, * = from --min-dist): {}\n",
             bo.min_distances.describe(elements));
  fmt::print("seed: {}\n", o.seed);
  std::fflush(stdout);

  Structure s;
  {
    ProgressOptions po;
    po.label = "placing atoms";
    po.unit = "atoms";
    Progress progress = Progress::to_stderr(units.total_atoms, po);
    bo.progress = &progress;
    s = build_random_glass(units.atoms, bo);
    progress.update(units.total_atoms);
  }
  s.info["composition"] = o.composition;
  s.info["seed"] = std::to_string(o.seed);
  for_flag("--output", [&] { write_structure(o.output, s); });
  fmt::print("wrote {} atoms to {}\n", s.size(), o.output);
}

}  // namespace

void add_build_command(CLI::App& app, GlobalOptions&) {
  auto o = std::make_shared<BuildCliOptions>();
  auto* cmd = app.add_subcommand("build",
                                 "Build a random glass: atoms at random in a cubic box at a "
                                 "density, with minimum pair distances");
  cmd->add_option(
         "--composition", o->composition,
         "Mol% of each component, e.g. \"B2O3:66.7,Li2O:33.3\" or \"SiO2:10,B2O3:50,Li2O:40\" "
         "(normalised; need not sum to 100)")
      ->required();
  cmd->add_option("--atoms", o->atoms,
                  "Target atom count; the nearest whole number of formula units is used")
      ->required();
  cmd->add_option("--density", o->density,
                  "Density in g/cm3, or \"experimental\" for the seed paper's Table II value")
      ->capture_default_str();
  cmd->add_option("--seed", o->seed, "Random seed (same seed, same structure)")
      ->capture_default_str();
  cmd->add_option("--min-dist", o->min_dist,
                  "Minimum pair distances in Å overriding the defaults, e.g. \"B-O:1.3,O-O:2.1\"");
  cmd->add_option("-o,--output", o->output,
                  "Output structure file (.extxyz/.xyz, .data/.lmp, .dump/.lammpstrj)")
      ->required();
  cmd->add_flag("--force", o->force, "Overwrite the output file if it exists");
  cmd->callback([o]() { run_build(*o); });
}

}  // namespace vitra::cli
