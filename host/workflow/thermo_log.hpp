#pragma once
// thermo.csv: one file per run, one row per thermo output step of any stage.
//
// Columns (units in the names; pressures are LAMMPS' sign, compression
// positive; stresses are σ = -P, tension positive):
//   stage, step, time_ps, temperature_K, potential_eV, kinetic_eV, total_eV,
//   conserved_eV, pressure_bar, pxx_bar, pyy_bar, pzz_bar, pyz_bar, pxz_bar,
//   pxy_bar, stress_xx_GPa, stress_yy_GPa, stress_zz_GPa, stress_yz_GPa,
//   stress_xz_GPa, stress_xy_GPa, volume_A3, density_gcm3, lx_A, ly_A, lz_A,
//   strain
// step is the global MD step (minimisation does not advance it), time_ps =
// step · timestep, conserved = total + the integrator's reservoir energy,
// temperature uses 3N - 3 degrees of freedom (the momentum is zeroed),
// lx/ly/lz are the diagonal of the cell h (the box lengths for a LAMMPS-
// oriented cell), strain is the deformation stage's engineering strain (0 in
// other stages). Numbers are written in their shortest exact form, so a
// resumed run writes byte-identical rows.
#include <cstddef>
#include <fstream>
#include <string>
#include <vector>

#include "kernels/potential.hpp"
#include "kernels/system.hpp"

namespace vitra::workflow {

struct ThermoRow {
  std::string stage;
  long long step = 0;
  double time_ps = 0;
  double temperature = 0;  // K
  double potential = 0;    // eV
  double kinetic = 0;      // eV
  double conserved = 0;    // eV
  Mat3 pressure;           // bar
  double volume = 0;       // A^3
  double density = 0;      // g/cm^3
  Vec3 lengths;            // A, diagonal of h
  double strain = 0;

  double total() const { return potential + kinetic; }
  double scalar_pressure() const {
    return (pressure.m[0][0] + pressure.m[1][1] + pressure.m[2][2]) / 3.0;
  }
};

// The row for the System's current state, `result` being the compute() of
// this step with energy and virial; reduces the kinetic tensor on the device.
ThermoRow thermo_row(const System& s, const ComputeResult& result, double reservoir_energy);

// The header line (no newline).
std::string thermo_header();
// One row as CSV (no newline).
std::string format_thermo_row(const ThermoRow& r);

class ThermoLog {
 public:
  // A new file with its header (replacing any file there).
  static ThermoLog create(const std::string& path);
  // Continues an existing file after a resume: keeps the header and its first
  // `rows` data rows, drops the rest. InputError naming the file when it is
  // missing, has another header or fewer rows.
  static ThermoLog resume(const std::string& path, std::size_t rows);

  void write(const ThermoRow& r);
  void flush();
  std::size_t rows() const { return rows_; }
  const std::string& path() const { return path_; }

 private:
  ThermoLog(std::string path, std::size_t rows, std::ios::openmode mode);

  std::string path_;
  std::ofstream out_;
  std::size_t rows_ = 0;
};

}  // namespace vitra::workflow
