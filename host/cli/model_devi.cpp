// `vitra model-devi --models M1 M2 ... --trajectory T [--output model_devi.csv]`:
// the deviation of an ensemble of se_e2_a models (kernels/deepmd/ensemble.hpp)
// on every frame of an extended XYZ or LAMMPS dump trajectory, as DP-GEN's
// model_devi.out (DeePMD-kit's `dp model-devi`, deepmd/infer/model_devi.py)
// in CSV:
//   frame,max_devi_v,min_devi_v,avg_devi_v,max_devi_f,min_devi_f,avg_devi_f,devi_e
// frame is the 0-based frame index; devi_v and devi_e are per atom (eV), devi_f
// in eV/A. Numbers are written in their shortest exact form. The models must
// share rcut, sel and type_map; each frame needs a cell periodic in all three
// directions.
#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "host/cli/commands.hpp"
#include "host/error.hpp"
#include "host/io/structure_io.hpp"
#include "host/model/deepmd_model_io.hpp"
#include "host/structure.hpp"
#include "host/workflow/model_devi_log.hpp"
#include "kernels/deepmd/ensemble.hpp"

namespace vitra::cli {

namespace {

struct ModelDeviOptions {
  std::vector<std::string> models;
  std::string trajectory;
  std::string output = "model_devi.csv";
  std::string format = "auto";
  std::vector<std::string> types;
  bool truncate_sel = false;
};

void run_model_devi(const ModelDeviOptions& o, const GlobalOptions& g) {
  if (o.models.size() < 2)
    throw InputError(fmt::format("vitra model-devi: --models needs at least two model files, found {}",
                                 o.models.size()));
  activate_backend(g);
  std::vector<deepmd::SeE2aModel> models;
  for (const std::string& m : o.models) models.push_back(read_model(m));
  DeepPotentialOptions po;
  po.truncate_sel = o.truncate_sel;
  try {
    Ensemble probe(models, po);  // rcut, sel and type_map checked before any frame is read
  } catch (const std::invalid_argument& e) {
    std::string what = e.what();
    // "Ensemble: model k ..." -> name the file.
    for (std::size_t k = 1; k < o.models.size(); ++k)
      if (what.rfind("Ensemble: model " + std::to_string(k) + " ", 0) == 0)
        throw InputError(o.models[k], 0,
                         fmt::format("{} (model 0: {})", what.substr(std::string("Ensemble: ").size()),
                                     o.models[0]));
    throw InputError(what);
  }

  const StructureFormat f = o.format == "auto" ? format_from_path(o.trajectory) : format_from_name(o.format);
  if (f != StructureFormat::ExtXYZ && f != StructureFormat::LammpsDump)
    throw InputError(o.trajectory, 0, "vitra model-devi reads extended XYZ or LAMMPS dump trajectories");
  ReadOptions ro;
  ro.lammps_type_names = o.types;
  const std::vector<Structure> frames = read_frames(o.trajectory, f, ro);
  if (frames.empty()) throw InputError(o.trajectory, 0, "the trajectory holds no frames");

  std::ofstream out(o.output, std::ios::out | std::ios::trunc);
  if (!out) throw InputError(o.output, 0, "cannot open the output file for writing");
  out << "frame," << workflow::deviation_columns() << '\n';

  // One ensemble while the atom types stay the same (the models' per-atom
  // type arrays are cached per System size and element names).
  std::unique_ptr<Ensemble> ens;
  std::vector<int> last_types;
  std::vector<std::string> last_names;
  ComputeRequest req;  // energy and virial: the deviation needs them anyway
  for (std::size_t k = 0; k < frames.size(); ++k) {
    const Structure& st = frames[k];
    const std::string where = fmt::format("{} (frame {})", o.trajectory, k);
    if (st.size() == 0) throw InputError(where, 0, "the frame holds no atoms");
    if (!(st.pbc[0] && st.pbc[1] && st.pbc[2]))
      throw InputError(where, 0, "vitra model-devi needs a cell periodic in all three directions");
    System s;
    try {
      s = to_system(st);
    } catch (const InputError& e) {
      throw InputError(where, 0, e.what());
    }
    const std::vector<int> types = s.host_types();
    if (!ens || types != last_types || s.type_map.names != last_names) {
      ens = std::make_unique<Ensemble>(models, po);
      last_types = types;
      last_names = s.type_map.names;
    }
    try {
      ens->compute(s, req);
    } catch (const ModelError& e) {
      throw InputError(where, 0, e.what());
    }
    out << k << ',' << workflow::format_deviation(ens->last_deviation()) << '\n';
  }
  out.flush();
  if (!out) throw InputError(o.output, 0, "writing the output file failed");
  std::cerr << fmt::format("vitra model-devi: {} frames, {} models -> {}\n", frames.size(), models.size(),
                           o.output);
}

}  // namespace

void add_model_devi_command(CLI::App& app, GlobalOptions& g) {
  auto o = std::make_shared<ModelDeviOptions>();
  auto* cmd = app.add_subcommand(
      "model-devi",
      "Model deviation of an ensemble of se_e2_a models on every frame of a trajectory, as DP-GEN's "
      "model_devi.out (CSV: frame,max_devi_v,min_devi_v,avg_devi_v,max_devi_f,min_devi_f,avg_devi_f,"
      "devi_e)");
  cmd->add_option("--models", o->models,
                  "Two or more models (DeePMD-kit .yaml or .dp, or vitra .vdp) sharing rcut, sel and "
                  "type_map; the first is the reference ensemble member")
      ->required()
      ->expected(1, -1);
  cmd->add_option("--trajectory", o->trajectory, "Trajectory: extended XYZ or LAMMPS dump, every frame")
      ->required();
  cmd->add_option("--output", o->output, "CSV file to write")->capture_default_str();
  cmd->add_option("--format", o->format,
                  "Format of --trajectory: auto (from the extension), extxyz or lammps-dump")
      ->check(CLI::IsMember({"auto", "extxyz", "xyz", "lammps-dump", "dump"}))
      ->capture_default_str();
  cmd->add_option("--types", o->types,
                  "Element names of LAMMPS atom types 1..n, e.g. O,B,Li (for dumps that do not name "
                  "them)")
      ->delimiter(',');
  cmd->add_flag("--truncate-sel", o->truncate_sel,
                "Keep the nearest sel[t] neighbors of each type when there are more (DeePMD-kit's "
                "behaviour) instead of failing");
  cmd->callback([o, &g]() { run_model_devi(*o, g); });
}

}  // namespace vitra::cli
