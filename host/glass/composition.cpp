#include "host/glass/composition.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <map>
#include <numeric>
#include <optional>

#include "host/elements.hpp"
#include "host/error.hpp"

namespace vitra::glass {
namespace {

struct FormulaProblem {
  std::size_t column = 0;  // 1-based, within the formula
  std::string message;
};

bool is_upper(char c) { return std::isupper(static_cast<unsigned char>(c)) != 0; }
bool is_lower(char c) { return std::islower(static_cast<unsigned char>(c)) != 0; }
bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }
bool is_alpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }

// Parses `f`; on failure fills `problem` and returns nothing.
std::optional<FormulaCounts> try_parse_formula(const std::string& f, FormulaProblem& problem) {
  if (f.empty()) {
    problem = {1, "the formula is empty"};
    return std::nullopt;
  }
  FormulaCounts counts;
  std::size_t i = 0;
  while (i < f.size()) {
    const std::size_t start = i;
    if (!is_upper(f[i])) {
      problem = {
          i + 1,
          is_alpha(f[i])
              ? fmt::format("expected an element symbol (capital letter first), found '{}'", f[i])
              : fmt::format("expected an element symbol, found '{}'", f[i])};
      return std::nullopt;
    }
    ++i;
    while (i < f.size() && is_lower(f[i])) ++i;
    const std::string symbol = f.substr(start, i - start);
    if (!is_element(symbol)) {
      problem = {start + 1, fmt::format("unknown element '{}'", symbol)};
      return std::nullopt;
    }
    long count = 1;
    if (i < f.size() && is_digit(f[i])) {
      const std::size_t dstart = i;
      while (i < f.size() && is_digit(f[i])) ++i;
      const std::string digits = f.substr(dstart, i - dstart);
      if (digits.size() > 9) {
        problem = {dstart + 1, fmt::format("count {} is too large", digits)};
        return std::nullopt;
      }
      count = std::stol(digits);
      if (count <= 0) {
        problem = {dstart + 1,
                   fmt::format("the count of {} must be positive, found {}", symbol, digits)};
        return std::nullopt;
      }
    }
    auto it = std::find_if(counts.begin(), counts.end(),
                           [&](const auto& p) { return p.first == symbol; });
    if (it == counts.end())
      counts.emplace_back(symbol, count);
    else
      it->second += count;
  }
  return counts;
}

// The formula with element symbols re-cased ("LI2O" -> "Li2O", "sio2" ->
// "SiO2"), trying two-letter symbols first; empty when that does not give a
// valid, different formula.
std::string recased_formula(const std::string& f) {
  std::string out;
  std::size_t i = 0;
  while (i < f.size()) {
    if (is_digit(f[i])) {
      out += f[i++];
      continue;
    }
    if (!is_alpha(f[i])) return {};
    std::string one(1, static_cast<char>(std::toupper(static_cast<unsigned char>(f[i]))));
    if (i + 1 < f.size() && is_alpha(f[i + 1])) {
      const std::string two =
          one + static_cast<char>(std::tolower(static_cast<unsigned char>(f[i + 1])));
      if (is_element(two)) {
        out += two;
        i += 2;
        continue;
      }
    }
    if (!is_element(one)) return {};
    out += one;
    ++i;
  }
  FormulaProblem ignored;
  if (out == f || !try_parse_formula(out, ignored)) return {};
  return out;
}

std::string describe_problem(const std::string& formula, const FormulaProblem& p) {
  std::string msg = p.message;
  const std::string fix = recased_formula(formula);
  if (!fix.empty())
    msg += fmt::format(" (element symbols are case-sensitive: did you mean '{}'?)", fix);
  return msg;
}

std::string trim(const std::string& s, std::size_t* lead = nullptr) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  if (lead) *lead = b;
  return s.substr(b, e - b);
}

FormulaCounts sorted_counts(FormulaCounts c) {
  std::sort(c.begin(), c.end());
  return c;
}

// Largest-remainder (Hamilton) rounding of x_i * total to integers summing to
// `total`; ties go to the earlier index.
std::vector<long> largest_remainder(const std::vector<double>& x, long total) {
  const std::size_t k = x.size();
  std::vector<long> u(k);
  std::vector<double> rem(k);
  long sum = 0;
  for (std::size_t i = 0; i < k; ++i) {
    const double q = x[i] * static_cast<double>(total);
    u[i] = static_cast<long>(std::floor(q));
    rem[i] = q - static_cast<double>(u[i]);
    sum += u[i];
  }
  std::vector<std::size_t> order(k);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return rem[a] > rem[b]; });
  // The floors sum to at most `total` (the x_i sum to 1): hand out the rest
  // by largest remainder.
  for (std::size_t j = 0; sum < total; j = (j + 1) % k, ++sum) ++u[order[j]];
  return u;
}

// Oxidation states used by the neutrality check.
const std::map<std::string, std::vector<int>>& oxidation_table() {
  static const std::map<std::string, std::vector<int>> t = {
      {"H", {1}},      {"Li", {1}},       {"Be", {2}},    {"B", {3}},     {"C", {4}},
      {"N", {-3}},     {"O", {-2}},       {"F", {-1}},    {"Na", {1}},    {"Mg", {2}},
      {"Al", {3}},     {"Si", {4}},       {"P", {5}},     {"S", {-2, 6}}, {"Cl", {-1}},
      {"K", {1}},      {"Ca", {2}},       {"Sc", {3}},    {"Ti", {4, 3}}, {"V", {5}},
      {"Cr", {3}},     {"Mn", {2, 3, 4}}, {"Fe", {2, 3}}, {"Co", {2}},    {"Ni", {2}},
      {"Cu", {1, 2}},  {"Zn", {2}},       {"Ga", {3}},    {"Ge", {4}},    {"As", {3, 5}},
      {"Se", {-2, 4}}, {"Br", {-1}},      {"Rb", {1}},    {"Sr", {2}},    {"Y", {3}},
      {"Zr", {4}},     {"Nb", {5}},       {"Mo", {6}},    {"Ag", {1}},    {"Cd", {2}},
      {"In", {3}},     {"Sn", {2, 4}},    {"Sb", {3, 5}}, {"Te", {4}},    {"I", {-1}},
      {"Cs", {1}},     {"Ba", {2}},       {"La", {3}},    {"Ce", {3, 4}}, {"Pr", {3}},
      {"Nd", {3}},     {"Sm", {3}},       {"Eu", {2, 3}}, {"Gd", {3}},    {"Tb", {3}},
      {"Dy", {3}},     {"Ho", {3}},       {"Er", {3}},    {"Tm", {3}},    {"Yb", {3}},
      {"Lu", {3}},     {"Hf", {4}},       {"Ta", {5}},    {"W", {6}},     {"Tl", {1}},
      {"Pb", {2}},     {"Bi", {3}},       {"Th", {4}},    {"U", {4, 6}},
  };
  return t;
}

bool can_be_neutral(const FormulaCounts& atoms, std::size_t i, long charge) {
  if (i == atoms.size()) return charge == 0;
  for (int s : oxidation_states(atoms[i].first))
    if (can_be_neutral(atoms, i + 1, charge + s * atoms[i].second)) return true;
  return false;
}

}  // namespace

FormulaCounts parse_formula(const std::string& formula) {
  FormulaProblem p;
  if (auto c = try_parse_formula(formula, p)) return *c;
  throw InputError(
      fmt::format("formula '{}', column {}: {}", formula, p.column, describe_problem(formula, p)));
}

long Component::atoms_per_unit() const {
  long n = 0;
  for (const auto& [sym, count] : atoms) n += count;
  return n;
}

double Component::mass() const {
  double m = 0;
  for (const auto& [sym, count] : atoms) m += static_cast<double>(count) * element(sym).mass;
  return m;
}

std::vector<std::string> Composition::elements() const {
  std::vector<std::string> order;
  bool oxygen = false;
  for (const auto& comp : components)
    for (const auto& [sym, count] : comp.atoms) {
      if (sym == "O")
        oxygen = true;
      else if (std::find(order.begin(), order.end(), sym) == order.end())
        order.push_back(sym);
    }
  if (oxygen) order.push_back("O");
  return order;
}

double Composition::fraction_of(const std::string& formula) const {
  FormulaProblem p;
  const auto want = try_parse_formula(formula, p);
  if (!want) return 0.0;
  const FormulaCounts key = sorted_counts(*want);
  double f = 0;
  for (const auto& comp : components)
    if (sorted_counts(comp.atoms) == key) f += comp.fraction;
  return f;
}

std::string Composition::describe() const {
  std::string s;
  for (const auto& comp : components) {
    if (!s.empty()) s += " + ";
    s += fmt::format("{:.4g}% {}", 100.0 * comp.fraction, comp.formula);
  }
  return s;
}

Composition parse_composition(const std::string& text) {
  Composition c;
  c.text = text;
  auto fail = [&](std::size_t index, const std::string& part, std::size_t column,
                  const std::string& what) {
    throw InputError(fmt::format("composition \"{}\": part {} \"{}\" (column {}): {}", text, index,
                                 part, column, what));
  };
  if (trim(text).empty())
    throw InputError(
        "composition is empty: expected FORMULA:AMOUNT pairs such as \"B2O3:66.7,Li2O:33.3\"");

  // Split on commas, remembering where each part starts.
  std::vector<std::pair<std::string, std::size_t>> parts;  // text, 0-based offset
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i)
    if (i == text.size() || text[i] == ',') {
      parts.emplace_back(text.substr(start, i - start), start);
      start = i + 1;
    }

  double total = 0;
  for (std::size_t p = 0; p < parts.size(); ++p) {
    const std::size_t index = p + 1;
    std::size_t lead = 0;
    const std::string part = trim(parts[p].first, &lead);
    const std::size_t column = parts[p].second + lead + 1;
    if (part.empty())
      fail(index, part, parts[p].second + 1,
           "empty part (expected FORMULA:AMOUNT, e.g. \"SiO2:20\"; check for a doubled or trailing "
           "comma)");

    const std::size_t colon = part.find(':');
    std::size_t flead = 0;
    const std::string formula = trim(part.substr(0, colon), &flead);
    Component comp;
    comp.formula = formula;
    if (formula.empty()) fail(index, part, column, "the formula before ':' is empty");
    FormulaProblem fp;
    auto atoms = try_parse_formula(formula, fp);
    if (!atoms)
      fail(index, part, column + flead + fp.column - 1,
           fmt::format("bad formula '{}': {}", formula, describe_problem(formula, fp)));
    comp.atoms = *atoms;

    if (colon == std::string::npos) {
      if (parts.size() > 1)
        fail(index, part, column + part.size(),
             "missing amount (expected FORMULA:AMOUNT, e.g. \"" + formula + ":20\")");
      comp.amount = 100.0;
    } else {
      std::size_t alead = 0;
      std::string amount = trim(part.substr(colon + 1), &alead);
      const std::size_t acol = column + colon + 1 + alead;
      if (!amount.empty() && amount.back() == '%')
        amount = trim(amount.substr(0, amount.size() - 1));
      if (amount.empty()) fail(index, part, acol, "missing amount after ':'");
      char* end = nullptr;
      const double v = std::strtod(amount.c_str(), &end);
      if (end != amount.c_str() + amount.size() || !std::isfinite(v))
        fail(index, part, acol,
             fmt::format("expected a number as the amount, found \"{}\"", amount));
      if (!(v > 0))
        fail(index, part, acol, fmt::format("the amount must be positive, found {}", amount));
      comp.amount = v;
    }
    for (const auto& other : c.components)
      if (sorted_counts(other.atoms) == sorted_counts(comp.atoms))
        fail(index, part, column,
             fmt::format("{} is given twice (also as \"{}\"); give each component once", formula,
                         other.formula));
    total += comp.amount;
    c.components.push_back(std::move(comp));
  }
  for (auto& comp : c.components) comp.fraction = comp.amount / total;
  return c;
}

std::vector<int> oxidation_states(const std::string& symbol) {
  const auto& t = oxidation_table();
  auto it = t.find(symbol);
  return it == t.end() ? std::vector<int>{} : it->second;
}

void check_charge_neutrality(const Composition& c) {
  for (const auto& comp : c.components) {
    if (comp.is_pure_element()) continue;
    std::string states;
    for (const auto& [sym, count] : comp.atoms) {
      const auto s = oxidation_states(sym);
      if (s.empty())
        throw InputError(
            fmt::format("composition \"{}\": {} contains {}, which has no standard oxidation state "
                        "in vitra's table, so its "
                        "charge neutrality cannot be checked",
                        c.text, comp.formula, sym));
      std::string list;
      for (int v : s) list += (list.empty() ? "" : "/") + fmt::format("{:+d}", v);
      states += (states.empty() ? "" : ", ") + sym + " " + list;
    }
    if (!can_be_neutral(comp.atoms, 0, 0))
      throw InputError(fmt::format(
          "composition \"{}\": {} is not charge-neutral with standard oxidation states ({})",
          c.text, comp.formula, states));
  }
}

UnitCounts formula_units(const Composition& c, long target_atoms) {
  if (c.components.empty()) throw InputError("formula_units: the composition has no components");
  if (target_atoms < 1)
    throw InputError(fmt::format("the atom count must be positive, found {}", target_atoms));
  const std::size_t k = c.components.size();
  std::vector<double> requested(k), x(k);
  std::vector<long> n(k);
  for (std::size_t i = 0; i < k; ++i) {
    requested[i] = x[i] = c.components[i].fraction;
    n[i] = c.components[i].atoms_per_unit();
  }

  UnitCounts r;
  // 1. Snap to a small-integer ratio when the request is one, up to rounding.
  constexpr double kSnapTolerance = 0.0005;  // 0.05 mol%
  for (long t = static_cast<long>(k); t <= 12; ++t) {
    const auto u = largest_remainder(requested, t);
    if (std::any_of(u.begin(), u.end(), [](long v) { return v < 1; })) continue;
    double err = 0;
    for (std::size_t i = 0; i < k; ++i)
      err = std::max(err, std::abs(double(u[i]) / double(t) - requested[i]));
    if (err <= kSnapTolerance + 1e-12) {
      for (std::size_t i = 0; i < k; ++i) x[i] = double(u[i]) / double(t);
      r.snapped = err > 1e-12;
      break;
    }
  }
  r.fractions = x;

  // 2-3. Scan the total number of units.
  double abar = 0;
  for (std::size_t i = 0; i < k; ++i) abar += x[i] * double(n[i]);
  const long umax =
      static_cast<long>(std::ceil(2.0 * double(target_atoms) / abar)) + static_cast<long>(k) + 1;
  double best_cost = 0;
  long best_dist = 0, best_u = 0;
  std::vector<long> best_units;
  for (long U = 1; U <= umax; ++U) {
    const auto u = largest_remainder(x, U);
    if (std::any_of(u.begin(), u.end(), [](long v) { return v < 1; })) continue;
    long atoms = 0;
    double dev = 0;
    for (std::size_t i = 0; i < k; ++i) {
      atoms += u[i] * n[i];
      dev += std::abs(double(u[i]) - x[i] * double(U));
    }
    const long dist = std::labs(atoms - target_atoms);
    const double cost = dev + double(dist) / abar;
    const bool better = best_units.empty() || cost < best_cost - 1e-9 ||
                        (cost <= best_cost + 1e-9 && dist < best_dist);
    if (better) {
      best_cost = cost;
      best_dist = dist;
      best_u = U;
      best_units = u;
    }
  }
  std::size_t minor = 0;
  for (std::size_t i = 1; i < k; ++i)
    if (x[i] < x[minor]) minor = i;
  const double needed = abar / x[minor];
  if (best_units.empty() || 2 * best_dist > target_atoms)
    throw InputError(fmt::format(
        "{} atoms are too few for composition \"{}\": {} at {:.3g} mol% needs at least about "
        "{:.0f} atoms to get "
        "one formula unit",
        target_atoms, c.text, c.components[minor].formula, 100.0 * x[minor], std::ceil(needed)));

  r.units = best_units;
  r.total_units = best_u;
  std::map<std::string, long> per_element;
  for (std::size_t i = 0; i < k; ++i) {
    r.total_atoms += r.units[i] * n[i];
    r.mass += double(r.units[i]) * c.components[i].mass();
    for (const auto& [sym, count] : c.components[i].atoms) per_element[sym] += r.units[i] * count;
    r.max_fraction_error = std::max(r.max_fraction_error,
                                    std::abs(double(r.units[i]) / double(best_u) - requested[i]));
  }
  for (const auto& e : c.elements()) r.atoms.emplace_back(e, per_element[e]);
  return r;
}

}  // namespace vitra::glass
