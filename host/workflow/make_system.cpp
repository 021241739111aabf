#include "host/workflow/make_system.hpp"

#include "host/error.hpp"
#include "host/glass/builder.hpp"
#include "host/glass/composition.hpp"
#include "host/io/structure_io.hpp"
#include "host/structure.hpp"
#include "kernels/velocity_init.hpp"

namespace vitra::workflow {

namespace {

Structure starting_structure(const WorkflowConfig& cfg) {
  const SystemConfig& sc = cfg.system;
  if (sc.from_structure()) {
    try {
      return read_structure(sc.structure, sc.format);
    } catch (const InputError& e) {
      throw InputError(cfg.source_path, 0, std::string("system.structure: ") + e.what());
    }
  }
  const glass::Composition comp = glass::parse_composition(sc.composition);
  const glass::UnitCounts units = glass::formula_units(comp, sc.atoms);
  glass::BuildOptions bo;
  bo.density = sc.density;
  bo.seed = cfg.run.seed;
  try {
    return glass::build_random_glass(units.atoms, bo);
  } catch (const InputError& e) {
    throw InputError(cfg.source_path, 0, std::string("system: ") + e.what());
  }
}

}  // namespace

System make_system(const WorkflowConfig& cfg) {
  System s;
  try {
    s = to_system(starting_structure(cfg));
  } catch (const InputError& e) {
    // to_system's messages (singular cell, ...) do not say which file.
    const std::string what = e.what();
    if (what.rfind(cfg.source_path, 0) == 0) throw;
    throw InputError(cfg.source_path, 0, "system: " + what);
  }
  if (cfg.system.temperature) {
    VelocityInit vi;
    vi.temperature = *cfg.system.temperature;
    vi.seed = cfg.run.seed;
    vi.zero_com = true;
    vi.exact_temperature = true;
    maxwell_boltzmann(s, vi);
  }
  return s;
}

}  // namespace vitra::workflow
