#pragma once
// model_devi.csv: the ensemble deviation (kernels/deepmd/ensemble.hpp) as
// DP-GEN's model_devi.out columns, in CSV.
//
// `vitra run` (a model_devi observer): one file per run folder, columns
//   step,time_ps,max_devi_v,min_devi_v,avg_devi_v,max_devi_f,min_devi_f,avg_devi_f,devi_e
// step is the global MD step and time_ps = step · timestep.
// `vitra model-devi`: the first column is `frame` (0-based frame index of
// the trajectory) and there is no time.
// Units: devi_v and devi_e in eV per atom, devi_f in eV/A. Numbers are
// written in their shortest exact form (a resumed run writes byte-identical
// rows).
#include <cstddef>
#include <fstream>
#include <string>

#include "kernels/deepmd/ensemble.hpp"

namespace vitra::workflow {

// "max_devi_v,min_devi_v,avg_devi_v,max_devi_f,min_devi_f,avg_devi_f,devi_e"
std::string deviation_columns();
// The seven numbers in that order, comma separated (no leading comma).
std::string format_deviation(const ModelDeviation& d);

class ModelDeviLog {
 public:
  // A new file with its header (replacing any file there).
  static ModelDeviLog create(const std::string& path);
  // Continues the file of a resumed run (which the runner has cut back to
  // its size at the checkpoint, as the dump files): rows are appended.
  // InputError naming the file when it is missing or has another header.
  static ModelDeviLog append(const std::string& path);

  static std::string header();  // "step,time_ps," + deviation_columns()

  void write(long long step, double time_ps, const ModelDeviation& d);
  void flush();
  const std::string& path() const { return path_; }

 private:
  ModelDeviLog(std::string path, std::ios::openmode mode);

  std::string path_;
  std::ofstream out_;
};

}  // namespace vitra::workflow
