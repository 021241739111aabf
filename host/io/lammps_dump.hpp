#pragma once
// LAMMPS text dump files (dump custom, units metal), one or many frames.
//
// Writing: ITEM: TIMESTEP (from info["timestep"] when it holds an integer),
// ITEM: NUMBER OF ATOMS, ITEM: BOX BOUNDS [xy xz yz] pp pp pp with LAMMPS's
// bounding-box convention for triclinic boxes (xlo_bound = xlo +
// min(0,xy,xz,xy+xz), xhi_bound = xhi + max(0,xy,xz,xy+xz), ylo_bound = ylo +
// min(0,yz), yhi_bound = yhi + max(0,yz)), ITEM: ATOMS id type element x y z
// [vx vy vz] [fx fy fz]. The cell is put in LAMMPS's restricted triclinic form
// as for data files (lammps_cell), vectors rotated with it.
//
// Reading: columns by their header names. Positions from xu yu zu (unwrapped)
// when present, else x y z (plus ix iy iz image flags when present), else
// scaled xsu/xs; taken relative to the box origin. Species from `type_names`
// (the user's --types) when given and the file has a type column, else the
// element column, else a mass column (the only element within 0.01 amu),
// else an InputError asking for --types. Atoms sorted by id when there is an
// id column. info["timestep"] (and "time" with ITEM: TIME) are kept.
#include <memory>
#include <string>
#include <vector>

#include "host/structure.hpp"

namespace vitra {

// Frame `frame` (0 first, -1 last); out of range is an InputError naming how
// many frames the file has.
Structure read_lammps_dump(const std::string& path, long frame = 0,
                           const std::vector<std::string>& type_names = {});
std::vector<Structure> read_lammps_dump_frames(const std::string& path,
                                               const std::vector<std::string>& type_names = {});

// One frame, replacing the file / added at its end. Types follow type_names
// when given, else the order of first appearance.
void write_lammps_dump(const std::string& path, const Structure& s,
                       const std::vector<std::string>& type_names = {});
void append_lammps_dump(const std::string& path, const Structure& s,
                        const std::vector<std::string>& type_names = {});

// A trajectory file kept open. The type numbering is fixed by the first frame
// (or by type_names), so it stays the same in every frame.
class LammpsDumpWriter {
 public:
  explicit LammpsDumpWriter(const std::string& path, bool append = false,
                            std::vector<std::string> type_names = {});
  ~LammpsDumpWriter();
  LammpsDumpWriter(const LammpsDumpWriter&) = delete;
  LammpsDumpWriter& operator=(const LammpsDumpWriter&) = delete;

  // Timestep from info["timestep"], else the number of frames written before.
  void write(const Structure& s);
  void write(const Structure& s, long timestep);
  void flush();
  void close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vitra
