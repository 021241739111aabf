#include "host/io/structure_io.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "host/error.hpp"
#include "host/io/extxyz.hpp"
#include "host/io/lammps_data.hpp"
#include "host/io/lammps_dump.hpp"

namespace vitra {

namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

StructureFormat resolve(const std::string& path, StructureFormat f) {
  return f == StructureFormat::Auto ? format_from_path(path) : f;
}

}  // namespace

StructureFormat format_from_name(const std::string& name) {
  const std::string n = lower(name);
  if (n == "extxyz" || n == "xyz") return StructureFormat::ExtXYZ;
  if (n == "lammps-data" || n == "data" || n == "lmp") return StructureFormat::LammpsData;
  if (n == "lammps-dump" || n == "dump" || n == "lammps-dump-text" || n == "lammpstrj")
    return StructureFormat::LammpsDump;
  throw InputError(fmt::format(
      "expected a structure format extxyz (xyz), lammps-data (data, lmp) or lammps-dump (dump), "
      "found '{}'",
      name));
}

StructureFormat format_from_path(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  const std::string base = lower(slash == std::string::npos ? path : path.substr(slash + 1));
  const std::size_t dot = base.find_last_of('.');
  const std::string ext = dot == std::string::npos ? std::string() : base.substr(dot + 1);
  if (ext == "xyz" || ext == "extxyz") return StructureFormat::ExtXYZ;
  if (ext == "data" || ext == "lmp") return StructureFormat::LammpsData;
  if (ext == "dump" || ext == "lammpstrj") return StructureFormat::LammpsDump;
  // LAMMPS habit: data.NAME and dump.NAME.
  if (base.rfind("data.", 0) == 0) return StructureFormat::LammpsData;
  if (base.rfind("dump.", 0) == 0) return StructureFormat::LammpsDump;
  throw InputError(path, 0,
                   fmt::format("cannot tell the format from the name: expected the extension .xyz "
                               "or .extxyz, .data or .lmp, .dump or .lammpstrj, found '{}' (name "
                               "the format explicitly, e.g. --from/--to extxyz)",
                               ext.empty() ? std::string("no extension") : "." + ext));
}

Structure read_structure(const std::string& path, StructureFormat format,
                         const ReadOptions& options) {
  switch (resolve(path, format)) {
    case StructureFormat::ExtXYZ:
      return read_extxyz(path, options.frame);
    case StructureFormat::LammpsDump:
      return read_lammps_dump(path, options.frame, options.lammps_type_names);
    case StructureFormat::LammpsData:
    default:
      if (options.frame != 0 && options.frame != -1)
        throw InputError(path, 0,
                         fmt::format("expected frame 0 or -1, found frame {}: a LAMMPS data file "
                                     "holds 1 frame",
                                     options.frame));
      return read_lammps_data(path, options.lammps_type_names);
  }
}

std::vector<Structure> read_frames(const std::string& path, StructureFormat format,
                                   const ReadOptions& options) {
  switch (resolve(path, format)) {
    case StructureFormat::ExtXYZ:
      return read_extxyz_frames(path);
    case StructureFormat::LammpsDump:
      return read_lammps_dump_frames(path, options.lammps_type_names);
    case StructureFormat::LammpsData:
    default: {
      std::vector<Structure> v;
      v.push_back(read_lammps_data(path, options.lammps_type_names));
      return v;
    }
  }
}

void write_structure(const std::string& path, const Structure& s, StructureFormat format) {
  switch (resolve(path, format)) {
    case StructureFormat::ExtXYZ:
      return write_extxyz(path, s);
    case StructureFormat::LammpsDump:
      return write_lammps_dump(path, s);
    case StructureFormat::LammpsData:
    default:
      return write_lammps_data(path, s);
  }
}

}  // namespace vitra
