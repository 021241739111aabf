#pragma once
// checkpoint.vcp: everything a run needs to continue bit-for-bit.
//
// Layout (all integers and doubles little-endian):
//   offset 0   8 bytes   magic "VITRACP\0"
//   offset 8   u32       format version (kCheckpointVersion)
//   offset 12  u64       H, length of the JSON header
//   offset 20  H bytes   JSON header (UTF-8), see below
//   then the arrays listed in header["arrays"], in that order, back to back,
//   each `count` elements of `type` ("f64" or "i32"); the file ends exactly
//   after the last one.
// Header keys: format_version, stage_index, stage_name, step_in_stage,
// stage_complete, global_step, atoms, type_names, integrator (name of the integrator whose
// state is saved, "" for none), thermo_rows (rows of thermo.csv to keep),
// dump_bytes {file relative to the run folder: size to truncate it to},
// initial_volume (A^3, reference of the collapsed-box check), arrays.
// Arrays: cell (9, rows of h), cell_inverse (9), type_masses (types),
// types (N, i32), positions (3N, blocked x..., y..., z...), velocities (3N,
// blocked), images (3N, i32, blocked), integrator_state (save_state()),
// deform_cell0 (9, the cell at the start of the current deform stage; zeros
// otherwise). Exact doubles throughout: nothing passes through text.
//
// Files are written to "<path>.tmp" and renamed over <path>, so a crash
// while writing leaves the previous checkpoint intact.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "kernels/system.hpp"

namespace vitra::workflow {

constexpr std::uint32_t kCheckpointVersion = 1;

struct Checkpoint {
  int stage_index = 0;
  std::string stage_name;
  long long step_in_stage = 0;  // steps of stage_index done (minimize: 0)
  bool stage_complete = false;  // stage_index is finished; a resume starts the next stage
  long long global_step = 0;
  std::string integrator;              // Integrator::name(), "" when none
  std::vector<double> integrator_state;
  Mat3 deform_cell0;
  std::size_t thermo_rows = 0;
  std::map<std::string, std::uint64_t> dump_bytes;
  double initial_volume = 0;

  // The atoms, as the System holds them (blocked device layout).
  Mat3 cell, cell_inverse;
  TypeMap type_map;
  std::vector<int> types;
  std::vector<double> positions, velocities;
  std::vector<int> images;

  std::size_t atoms() const { return types.size(); }
};

// Copies the System's state into `c` (device -> host).
void capture_system(const System& s, Checkpoint& c);
// A System holding exactly the checkpoint's state (forces zero).
System restore_system(const Checkpoint& c);

void write_checkpoint(const std::string& path, const Checkpoint& c);
// InputError naming the file for a wrong magic, an unknown version, a bad
// header, inconsistent sizes or a truncated (or over-long) file.
Checkpoint read_checkpoint(const std::string& path);

}  // namespace vitra::workflow
