// `vitra convert IN OUT`: structure files from one format to another
// (extended XYZ, LAMMPS data, LAMMPS dump).
#include <fmt/format.h>

#include <filesystem>
#include <memory>

#include "host/cli/commands.hpp"
#include "host/error.hpp"
#include "host/io/extxyz.hpp"
#include "host/io/lammps_data.hpp"
#include "host/io/lammps_dump.hpp"
#include "host/io/structure_io.hpp"

namespace vitra::cli {

namespace {

struct ConvertOptions {
  std::string in, out, from, to;
  long frame = 0;
  std::vector<std::string> types;
  bool force = false;
};

const char* format_label(StructureFormat f) {
  switch (f) {
    case StructureFormat::ExtXYZ:
      return "extxyz";
    case StructureFormat::LammpsData:
      return "lammps-data";
    case StructureFormat::LammpsDump:
      return "lammps-dump";
    default:
      return "auto";
  }
}

void run_convert(const ConvertOptions& o, bool frame_given) {
  const StructureFormat fin = o.from.empty() ? format_from_path(o.in) : format_from_name(o.from);
  const StructureFormat fout = o.to.empty() ? format_from_path(o.out) : format_from_name(o.to);
  std::error_code ec;
  if (!o.force && std::filesystem::exists(o.out, ec))
    throw InputError(o.out, 0, "the output file exists already; pass --force to overwrite it");

  ReadOptions ro;
  ro.frame = o.frame;
  ro.lammps_type_names = o.types;
  std::vector<Structure> frames;
  if (frame_given) {
    frames.push_back(read_structure(o.in, fin, ro));
  } else {
    frames = read_frames(o.in, fin, ro);
    if (fout == StructureFormat::LammpsData && frames.size() > 1)
      throw InputError(o.in, 0,
                       fmt::format("the file has {} frames and a LAMMPS data file holds one: pick "
                                   "it with --frame K (0 first, -1 last)",
                                   frames.size()));
  }

  if (fout == StructureFormat::ExtXYZ) {
    ExtxyzWriter w(o.out);
    for (const auto& s : frames) w.write(s);
    w.close();
  } else if (fout == StructureFormat::LammpsDump) {
    LammpsDumpWriter w(o.out, false, o.types);
    for (const auto& s : frames) w.write(s);
    w.close();
  } else {
    write_lammps_data(o.out, frames.front(), o.types);
  }

  const std::size_t natoms = frames.front().size();
  if (frames.size() == 1)
    fmt::print("wrote {} atoms as {} to {}\n", natoms, format_label(fout), o.out);
  else
    fmt::print("wrote {} frames ({} atoms in the first) as {} to {}\n", frames.size(), natoms,
               format_label(fout), o.out);
}

}  // namespace

void add_convert_command(CLI::App& app, GlobalOptions&) {
  auto opts = std::make_shared<ConvertOptions>();
  auto* cmd = app.add_subcommand(
      "convert",
      "Convert a structure file: extended XYZ (.xyz/.extxyz), LAMMPS data (.data/.lmp), "
      "LAMMPS dump (.dump/.lammpstrj)");
  cmd->add_option("IN", opts->in, "Input file")->required();
  cmd->add_option("OUT", opts->out, "Output file")->required();
  cmd->add_option("--from", opts->from,
                  "Input format: extxyz, lammps-data or lammps-dump (default: from the extension)");
  cmd->add_option(
      "--to", opts->to,
      "Output format: extxyz, lammps-data or lammps-dump (default: from the extension)");
  auto* frame = cmd->add_option(
      "--frame", opts->frame,
      "Frame of a trajectory to convert: 0 first, -1 last (default: every frame when OUT holds "
      "trajectories, else the only one)");
  cmd->add_option("--types", opts->types,
                  "Element names of LAMMPS atom types 1..n, e.g. O,B,Li (for reading files that "
                  "do not name them, and for numbering the types written)")
      ->delimiter(',');
  cmd->add_flag("--force", opts->force, "Overwrite OUT if it exists");
  cmd->callback([opts, frame]() { run_convert(*opts, frame->count() > 0); });
}

}  // namespace vitra::cli
