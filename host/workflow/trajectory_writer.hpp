#pragma once
// A dump observer's file: extended XYZ (positions and velocities, ASE's
// conventions) or LAMMPS dump, kept open and appended to frame by frame.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "host/io/structure_io.hpp"
#include "kernels/system.hpp"

namespace vitra::workflow {

class TrajectoryWriter {
 public:
  // append = false starts the file afresh; true adds to it (a resumed run,
  // after the file was cut back to its size at the checkpoint).
  // type_names numbers LAMMPS types (the System's type map).
  TrajectoryWriter(std::string path, StructureFormat format, bool append,
                   const std::vector<std::string>& type_names);
  ~TrajectoryWriter();

  // One frame of the System (copied to the host), tagged with the stage
  // name, the global step and the time.
  void write(const System& s, const std::string& stage, long long step, double time_ps);
  void flush();
  const std::string& path() const { return path_; }

 private:
  struct Impl;
  std::string path_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vitra::workflow
