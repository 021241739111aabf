#pragma once
// Physical quantities in workflow files: a bare number in the quantity's
// default unit, or a string "<number> <unit>" ("10 ps", "-1e-3 /ps",
// "1 GPa"). Every parser returns the value in vitra units (LAMMPS metal: ps, K,
// bar, per ps) so that nothing downstream ever sees a foreign unit.
//
// The parsers throw InputError with a message that names the unit found and
// the units accepted, but not where the value came from: the workflow reader
// knows the file, line and key path and puts them in front.
#include <string>
#include <variant>

namespace vitra::workflow {

// A quantity as written: a TOML number (integer or float, already a double
// here) or a TOML string.
using QuantityInput = std::variant<double, std::string>;

// A stage length: either a step count ("5000 steps") or a time. A time is only
// turned into steps once the time step is known, so that the same text means
// the same thing whatever key order the file uses.
struct Duration {
  bool is_steps = false;
  long long step_count = 0;  // when is_steps
  double ps = 0;             // when !is_steps

  static Duration from_steps(long long n) { return {true, n, 0.0}; }
  static Duration from_ps(double t) { return {false, 0, t}; }

  // The number of steps of length dt_ps. A time must be a whole number of
  // steps to 1e-9 relative (floating-point noise such as 10 ps / 0.001 ps =
  // 10000.000000000002 is rounded away; 10.0005 ps at 1 fs is an InputError).
  long long steps(double dt_ps) const;
  // "5000 steps" or "10 ps"; parses back to an equal Duration.
  std::string to_string() const;

  bool operator==(const Duration& o) const {
    return is_steps == o.is_steps && step_count == o.step_count && ps == o.ps;
  }
  bool operator!=(const Duration& o) const { return !(*this == o); }
};

// Time: fs, ps, ns; default ps. Returns ps.
double parse_time(const QuantityInput& q);
// Duration: a time as parse_time, or "N steps" ("1 step") with N a
// non-negative integer.
Duration parse_duration(const QuantityInput& q);
// Temperature: K only (default K). Returns K.
double parse_temperature(const QuantityInput& q);
// Pressure: bar, kbar, MPa, GPa, Pa, atm; default bar. Returns bar.
double parse_pressure(const QuantityInput& q);
// Temperature rate: K/ps, K/ns, K/fs; default K/ps. Returns K/ps.
double parse_temperature_rate(const QuantityInput& q);
// Strain rate: /ps (or 1/ps), /ns, /fs, /s; default per ps. Returns 1/ps.
double parse_strain_rate(const QuantityInput& q);

// ASE's NPT barostat parameter `pfactor` (= tau_P^2 * B, a barostat time
// squared times a bulk modulus). Units accepted:
//   GPa*fs^2     (default) e.g. (75 fs)^2 * 100 GPa = 562500
//   amu/A        ASE's own internal units (eV/A^3 * (A*sqrt(amu/eV))^2 reduce
//                to amu/A): the number one passes to ase.md.npt.NPT
//   eV*ps^2/A^3  vitra's units
// Returns eV*ps^2/A^3. Factors (derivation in quantity.cpp):
//   1 GPa*fs^2 = 1e-6/160.2176634 eV*ps^2/A^3
//   1 amu/A    = 1.0364269e-4 eV*ps^2/A^3 (LAMMPS metal mvv2e)
double parse_pfactor(const QuantityInput& q);
inline constexpr double kPfactorGPaFs2 = 1e-6 / 160.2176634;  // eV*ps^2/A^3 per GPa*fs^2
inline constexpr double kPfactorAmuPerA = 1.0364269e-4;       // eV*ps^2/A^3 per amu/A

// Shortest decimal text that reads back to exactly `v` ("0.001", "1e-05",
// "3500"), for writing resolved values without losing a bit.
std::string format_number(double v);
// "<number> <unit>" with the number as format_number.
std::string format_quantity(double v, const std::string& unit);

}  // namespace vitra::workflow
