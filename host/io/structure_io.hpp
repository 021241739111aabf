#pragma once
// Reading and writing structure files: extended XYZ (ASE conventions),
// LAMMPS data files (atomic style, triclinic) and LAMMPS dump files.
// Errors are InputError naming the file, the line and what was expected.
#include <string>
#include <vector>

#include "host/structure.hpp"

namespace vitra {

enum class StructureFormat { Auto, ExtXYZ, LammpsData, LammpsDump };

// "extxyz"/"xyz", "lammps-data"/"data"/"lmp", "lammps-dump"/"dump"; else InputError.
StructureFormat format_from_name(const std::string& name);
// From the file extension (.xyz/.extxyz, .data/.lmp, .dump/.lammpstrj); else InputError.
StructureFormat format_from_path(const std::string& path);

struct ReadOptions {
  // Frame to read from a multi-frame file: 0 = first, -1 = last.
  long frame = 0;
  // Element names of LAMMPS atom types 1..n, for data and dump files whose
  // types cannot be inferred (no element comments or column, ambiguous masses).
  std::vector<std::string> lammps_type_names;
};

Structure read_structure(const std::string& path, StructureFormat format = StructureFormat::Auto,
                         const ReadOptions& options = {});
// Every frame of a trajectory file (extended XYZ or LAMMPS dump).
std::vector<Structure> read_frames(const std::string& path,
                                   StructureFormat format = StructureFormat::Auto,
                                   const ReadOptions& options = {});
void write_structure(const std::string& path, const Structure& s,
                     StructureFormat format = StructureFormat::Auto);

}  // namespace vitra
