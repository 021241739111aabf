#include "host/workflow/quantity.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <string_view>
#include <utility>
#include <vector>

#include "host/error.hpp"

namespace vitra::workflow {
namespace {

struct Unit {
  const char* name;
  double factor;  // multiply a value in this unit by `factor` to get vitra units
};

struct UnitTable {
  const char* what;      // "time", "pressure", ... for messages
  const char* fallback;  // the unit a bare number is in
  std::vector<Unit> units;
  std::vector<const char*> listed;  // the names shown in "accepted: ..." (aliases left out)
};

const UnitTable& time_units() {
  static const UnitTable t{"time", "ps", {{"fs", 1e-3}, {"ps", 1.0}, {"ns", 1e3}}, {"fs", "ps", "ns"}};
  return t;
}
const UnitTable& temperature_units() {
  static const UnitTable t{"temperature", "K", {{"K", 1.0}}, {"K"}};
  return t;
}
const UnitTable& pressure_units() {
  // 1 bar = 1e5 Pa exactly; 1 atm = 101325 Pa exactly.
  static const UnitTable t{"pressure",
                           "bar",
                           {{"bar", 1.0},
                            {"kbar", 1e3},
                            {"MPa", 10.0},
                            {"GPa", 1e4},
                            {"Pa", 1e-5},
                            {"atm", 1.01325}},
                           {"bar", "kbar", "MPa", "GPa", "Pa", "atm"}};
  return t;
}
const UnitTable& temperature_rate_units() {
  static const UnitTable t{"temperature rate",
                           "K/ps",
                           {{"K/ps", 1.0}, {"K/ns", 1e-3}, {"K/fs", 1e3}},
                           {"K/ps", "K/ns", "K/fs"}};
  return t;
}
const UnitTable& strain_rate_units() {
  static const UnitTable t{"strain rate",
                           "/ps",
                           {{"/ps", 1.0},
                            {"1/ps", 1.0},
                            {"/ns", 1e-3},
                            {"1/ns", 1e-3},
                            {"/fs", 1e3},
                            {"1/fs", 1e3},
                            {"/s", 1e-12},
                            {"1/s", 1e-12}},
                           {"/ps", "1/ps", "/ns", "/fs", "/s"}};
  return t;
}
const UnitTable& pfactor_units() {
  // pfactor = tau^2 * B. In GPa*fs^2: 1 GPa = 1/160.2176634 eV/A^3 and
  // 1 fs^2 = 1e-6 ps^2. In ASE's units eV/A^3 * (A*sqrt(amu/eV))^2 = amu/A,
  // and 1 amu/A = 1 amu*A^2/ps^2 / A^3 * ps^2 = mvv2e eV*ps^2/A^3.
  static const UnitTable t{"pfactor",
                           "GPa*fs^2",
                           {{"GPa*fs^2", kPfactorGPaFs2},
                            {"GPa fs^2", kPfactorGPaFs2},
                            {"amu/A", kPfactorAmuPerA},
                            {"eV*ps^2/A^3", 1.0}},
                           {"GPa*fs^2", "amu/A", "eV*ps^2/A^3"}};
  return t;
}

std::string accepted(const UnitTable& t) {
  std::string s;
  for (const char* n : t.listed) s += (s.empty() ? "" : ", ") + std::string(n);
  return s;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

// A string quantity split into its number and unit.
struct Split {
  std::string_view number_text;
  double number = 0;
  std::string_view unit;  // empty: none given
};

// Splits "<number> <unit>" (the space is optional: "10ps"). The number is
// read with from_chars, which ignores the locale, so "1.5" is 1.5 everywhere.
Split split(const std::string& text, const char* what) {
  const std::string_view s = trim(text);
  std::string_view rest = s;
  if (!rest.empty() && rest.front() == '+') rest.remove_prefix(1);  // from_chars refuses '+'
  double v = 0;
  const auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), v);
  if (ec != std::errc() || end == rest.data() || !std::isfinite(v))
    throw InputError(fmt::format("expected a {} as a number or \"<number> <unit>\", found \"{}\"",
                                 what, text));
  Split out;
  out.number_text = s.substr(0, static_cast<std::size_t>(end - s.data()));
  out.number = v;
  out.unit = trim(std::string_view(end, static_cast<std::size_t>(rest.data() + rest.size() - end)));
  return out;
}

double convert(const QuantityInput& q, const UnitTable& t) {
  if (const double* d = std::get_if<double>(&q)) {
    if (!std::isfinite(*d))
      throw InputError(fmt::format("expected a finite {}, found {}", t.what, *d));
    for (const Unit& u : t.units)
      if (std::string_view(u.name) == t.fallback) return *d * u.factor;
  }
  const std::string& text = std::get<std::string>(q);
  const Split sp = split(text, t.what);
  if (sp.unit.empty()) {
    for (const Unit& u : t.units)
      if (std::string_view(u.name) == t.fallback) return sp.number * u.factor;
  }
  for (const Unit& u : t.units)
    if (sp.unit == u.name) return sp.number * u.factor;
  std::string msg =
      fmt::format("unknown {} unit '{}' in \"{}\" (accepted: {}; a bare number is in {})", t.what,
                  sp.unit, text, accepted(t), t.fallback);
  // Units are case-sensitive (mK vs MK would be different things); a case slip
  // still deserves the right spelling.
  for (const Unit& u : t.units)
    if (iequal(sp.unit, u.name)) {
      msg += fmt::format("; units are case-sensitive: did you mean '{}'?", u.name);
      break;
    }
  throw InputError(msg);
}

}  // namespace

long long Duration::steps(double dt_ps) const {
  if (is_steps) return step_count;
  if (!(dt_ps > 0)) throw InputError(fmt::format("the time step must be > 0, found {} ps", dt_ps));
  const double n = ps / dt_ps;
  const double r = std::round(n);
  if (!(std::abs(n) < 1e18))
    throw InputError(fmt::format("{} ps is too many {} ps time steps", format_number(ps),
                                 format_number(dt_ps)));
  if (std::abs(n - r) > 1e-9 * std::max(1.0, std::abs(n)))
    throw InputError(fmt::format(
        "{} ps is not a whole number of {} ps time steps ({} steps); give the duration as "
        "\"N steps\" or a multiple of the time step",
        format_number(ps), format_number(dt_ps), n));
  return static_cast<long long>(r);
}

std::string Duration::to_string() const {
  return is_steps ? fmt::format("{} steps", step_count) : format_quantity(ps, "ps");
}

double parse_time(const QuantityInput& q) { return convert(q, time_units()); }

Duration parse_duration(const QuantityInput& q) {
  if (const std::string* text = std::get_if<std::string>(&q)) {
    const Split sp = split(*text, "duration");
    if (sp.unit == "steps" || sp.unit == "step") {
      long long n = 0;
      const char* b = sp.number_text.data();
      const char* e = b + sp.number_text.size();
      const auto [end, ec] = std::from_chars(b, e, n);
      if (ec != std::errc() || end != e || n < 0)
        throw InputError(fmt::format(
            "expected a whole, non-negative number of steps, found \"{}\"", *text));
      return Duration::from_steps(n);
    }
    try {
      return Duration::from_ps(convert(q, time_units()));
    } catch (const InputError&) {
      if (sp.unit.empty()) throw;
      // Same message as for a time, with "steps" among the accepted units.
      throw InputError(fmt::format(
          "unknown duration unit '{}' in \"{}\" (accepted: fs, ps, ns, steps; a bare number is "
          "in ps)",
          sp.unit, *text));
    }
  }
  return Duration::from_ps(convert(q, time_units()));
}

double parse_temperature(const QuantityInput& q) { return convert(q, temperature_units()); }
double parse_pressure(const QuantityInput& q) { return convert(q, pressure_units()); }
double parse_temperature_rate(const QuantityInput& q) {
  return convert(q, temperature_rate_units());
}
double parse_strain_rate(const QuantityInput& q) { return convert(q, strain_rate_units()); }
double parse_pfactor(const QuantityInput& q) { return convert(q, pfactor_units()); }

std::string format_number(double v) {
  // fmt's default for double is the shortest representation that reads back
  // to the same bits.
  return fmt::format("{}", v);
}

std::string format_quantity(double v, const std::string& unit) {
  return format_number(v) + " " + unit;
}

}  // namespace vitra::workflow
