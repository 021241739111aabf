#include "host/workflow/thermo_log.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <sstream>

#include "host/error.hpp"
#include "kernels/kinetic.hpp"
#include "kernels/units.hpp"

namespace vitra::workflow {

ThermoRow thermo_row(const System& s, const ComputeResult& result, double reservoir_energy) {
  ThermoRow r;
  const Mat3 k = kinetic_tensor(s);  // Σ m v⊗v, eV
  r.kinetic = 0.5 * (k.m[0][0] + k.m[1][1] + k.m[2][2]);
  const double dof = static_cast<double>(degrees_of_freedom(s));
  r.temperature = dof > 0 ? 2.0 * r.kinetic / (dof * units::kBoltzmann) : 0.0;
  r.potential = result.energy;
  r.conserved = r.total() + reservoir_energy;
  r.volume = s.box.volume();
  for (int a = 0; a < 3; ++a)
    for (int b = 0; b < 3; ++b)
      r.pressure.m[a][b] = (k.m[a][b] + result.virial.m[a][b]) / r.volume * units::kEvPerA3ToBar;
  r.density = s.density();
  r.lengths = {s.box.h.m[0][0], s.box.h.m[1][1], s.box.h.m[2][2]};
  return r;
}

std::string thermo_header() {
  return "stage,step,time_ps,temperature_K,potential_eV,kinetic_eV,total_eV,conserved_eV,"
         "pressure_bar,pxx_bar,pyy_bar,pzz_bar,pyz_bar,pxz_bar,pxy_bar,"
         "stress_xx_GPa,stress_yy_GPa,stress_zz_GPa,stress_yz_GPa,stress_xz_GPa,stress_xy_GPa,"
         "volume_A3,density_gcm3,lx_A,ly_A,lz_A,strain";
}

std::string format_thermo_row(const ThermoRow& r) {
  // Voigt order xx, yy, zz, yz, xz, xy.
  static constexpr int kVoigt[6][2] = {{0, 0}, {1, 1}, {2, 2}, {1, 2}, {0, 2}, {0, 1}};
  // bar -> GPa: 1 GPa = 1e4 bar.
  constexpr double kBarToGPa = 1e-4;
  std::string line = fmt::format("{},{},{},{},{},{},{},{},{}", r.stage, r.step, r.time_ps,
                                 r.temperature, r.potential, r.kinetic, r.total(), r.conserved,
                                 r.scalar_pressure());
  for (const auto& ab : kVoigt) line += fmt::format(",{}", r.pressure.m[ab[0]][ab[1]]);
  for (const auto& ab : kVoigt) line += fmt::format(",{}", -r.pressure.m[ab[0]][ab[1]] * kBarToGPa);
  line += fmt::format(",{},{},{},{},{},{}", r.volume, r.density, r.lengths.x, r.lengths.y,
                      r.lengths.z, r.strain);
  return line;
}

ThermoLog::ThermoLog(std::string path, std::size_t rows, std::ios::openmode mode)
    : path_(std::move(path)), out_(path_, mode), rows_(rows) {
  if (!out_) throw InputError(path_, 0, "cannot open the thermo file for writing");
}

ThermoLog ThermoLog::create(const std::string& path) {
  ThermoLog log(path, 0, std::ios::out | std::ios::trunc);
  log.out_ << thermo_header() << '\n';
  log.out_.flush();
  return log;
}

ThermoLog ThermoLog::resume(const std::string& path, std::size_t rows) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, 0, "cannot read the thermo file of the run being resumed");
  std::string header;
  std::getline(in, header);
  if (header != thermo_header())
    throw InputError(path, 1, "the header is not vitra's thermo header; found \"" + header + "\"");
  // Keep the header and the first `rows` rows: their byte length is where the
  // file is cut (rows written after the checkpoint are dropped).
  std::uintmax_t keep = header.size() + 1;
  std::string line;
  for (std::size_t k = 0; k < rows; ++k) {
    if (!std::getline(in, line) || in.eof())
      throw InputError(path, 0,
                       fmt::format("the checkpoint expects {} rows, the file has only {}", rows, k));
    keep += line.size() + 1;
  }
  in.close();
  std::filesystem::resize_file(path, keep);
  return ThermoLog(path, rows, std::ios::out | std::ios::app);
}

void ThermoLog::write(const ThermoRow& r) {
  out_ << format_thermo_row(r) << '\n';
  ++rows_;
}

void ThermoLog::flush() { out_.flush(); }

}  // namespace vitra::workflow
