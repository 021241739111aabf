#include "host/workflow/workflow_config.hpp"

#include <fmt/format.h>

#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string_view>
#include <utility>

#include "host/elements.hpp"
#include "host/error.hpp"
#include "host/forcefield/builtin_sets.hpp"
#include "host/forcefield/shik_set.hpp"
#include "host/glass/composition.hpp"
#include "host/glass/experimental_densities.hpp"
#include "host/workflow/quantity.hpp"

namespace vitra::workflow {

const char* pair_form_name(PairForm f) {
  return f == PairForm::LennardJones ? "lj" : "buckingham";
}

const char* stage_kind_name(StageKind k) {
  switch (k) {
    case StageKind::Nve: return "nve";
    case StageKind::Nvt: return "nvt";
    case StageKind::Npt: return "npt";
    case StageKind::NptAse: return "npt-ase";
    case StageKind::Quench: return "quench";
    case StageKind::Minimize: return "minimize";
    case StageKind::Deform: return "deform";
  }
  return "?";
}

const char* couple_name(Couple c) {
  switch (c) {
    case Couple::Iso: return "iso";
    case Couple::Aniso: return "aniso";
    case Couple::Tri: return "tri";
  }
  return "?";
}

const char* deform_mode_name(DeformMode m) {
  switch (m) {
    case DeformMode::Uniaxial: return "uniaxial";
    case DeformMode::Triaxial: return "triaxial";
    case DeformMode::Shear: return "shear";
  }
  return "?";
}

const char* lateral_name(Lateral l) { return l == Lateral::Barostat ? "barostat" : "fixed"; }

const char* observer_kind_name(ObserverKind k) {
  switch (k) {
    case ObserverKind::Thermo: return "thermo";
    case ObserverKind::Dump: return "dump";
    case ObserverKind::Checkpoint: return "checkpoint";
    case ObserverKind::ModelDevi: return "model_devi";
  }
  return "?";
}

namespace {

// ------------------------------------------------------------------ schema

const std::vector<std::string> kRootKeys{"run", "system", "potential", "stage"};
const std::vector<std::string> kRunKeys{"output", "overwrite", "seed", "timestep", "device"};
const std::vector<std::string> kSystemKeys{"structure", "format",  "composition",
                                           "atoms",     "density", "temperature"};
const std::vector<std::string> kPotentialKeys{"kind", "skin", "pair", "coulomb", "set", "model", "models", "truncate_sel"};
const std::vector<std::string> kCoulombKeys{"method", "cutoff", "alpha", "accuracy", "charges"};
const std::vector<std::string> kPairKeys{"elements", "form", "epsilon", "sigma", "A",
                                         "rho",      "C",    "cutoff",  "shift"};
const std::vector<std::string> kStageKeys{
    "name",    "kind",    "duration",  "temperature", "t_start", "t_stop",  "rate",
    "ensemble", "tdamp",  "chain",     "pressure",    "pdamp",   "drag",    "couple",  "mask",
    "ttime",   "pfactor", "ftol",      "etol",        "max_steps", "cell",  "mode",
    "axis",    "erate",   "strain",    "lateral",     "reset_thermostat",   "observe"};
const std::vector<std::string> kObserverKeys{"kind", "every", "format", "file"};

const std::vector<std::string> kStageKinds{"nve",    "nvt",      "npt",   "npt-ase",
                                           "quench", "minimize", "deform"};
const std::vector<std::string> kObserverKinds{"thermo", "dump", "checkpoint", "model_devi"};
const std::vector<std::string> kUniaxialAxes{"x", "y", "z"};
const std::vector<std::string> kShearAxes{"xy", "xz", "yz"};

bool contains(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// Optimal string alignment distance (Levenshtein plus adjacent swaps, so that
// "tdmap" is one edit from "tdamp").
std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= n; ++i)
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[n][m];
}

// The closest candidate when it is close enough to be a likely typo.
std::optional<std::string> closest(std::string_view word, const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  std::size_t best_d = 0;
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (!best || d < best_d) best = c, best_d = d;
  }
  const std::size_t limit = word.size() <= 3 ? 1 : (word.size() <= 6 ? 2 : 3);
  if (best && best_d <= limit && best_d < word.size()) return best;
  return std::nullopt;
}

std::string quoted_list(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "\"" : ", \"") + x + "\"";
  return s;
}

// A value as the user wrote it, for "found ..." in messages.
std::string describe(const toml::node& n) {
  if (n.is_array_of_tables()) return "an array of tables";
  if (n.is_table()) return "a table";
  std::ostringstream os;
  n.visit([&](const auto& x) { os << x; });
  return os.str();
}

const char* type_name(const toml::node& n) {
  if (n.is_string()) return "a string";
  if (n.is_integer()) return "an integer";
  if (n.is_floating_point()) return "a float";
  if (n.is_boolean()) return "a boolean";
  if (n.is_array_of_tables()) return "an array of tables";
  if (n.is_array()) return "an array";
  if (n.is_table()) return "a table";
  return "a date/time";
}

long line_of(const toml::node& n) { return static_cast<long>(n.source().begin.line); }

struct Context {
  std::string file;
  std::filesystem::path base_dir;
};

// One TOML table being read: knows its key path for messages and checks the
// types of its values.
class View {
 public:
  View(const Context& ctx, const toml::table& t, std::string path, long line)
      : ctx_(ctx), t_(t), path_(std::move(path)), line_(line) {}

  const std::string& path() const { return path_; }
  long line() const { return line_; }
  std::string key_path(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  }
  const toml::node* get(std::string_view key) const { return t_.get(key); }
  bool has(std::string_view key) const { return get(key) != nullptr; }
  long line_of_key(std::string_view key) const {
    const toml::node* n = get(key);
    return n ? line_of(*n) : line_;
  }

  [[noreturn]] void fail(std::string_view key, const std::string& msg) const {
    throw InputError(ctx_.file, line_of_key(key), key_path(key) + ": " + msg);
  }
  // "expected <what>, found <value as written>".
  [[noreturn]] void fail_expected(std::string_view key, const std::string& expected) const {
    fail(key, fmt::format("expected {}, found {}", expected, describe(*get(key))));
  }
  [[noreturn]] void fail_missing(std::string_view key, const std::string& expected) const {
    throw InputError(ctx_.file, line_,
                     fmt::format("{}: missing: expected {}", key_path(key), expected));
  }
  [[noreturn]] void fail_here(const std::string& msg) const {
    throw InputError(ctx_.file, line_, (path_.empty() ? std::string() : path_ + ": ") + msg);
  }

  // Every key must be in `known`; a known key must also pass `used` (else the
  // message from `why_unused`).
  void check_keys(const std::vector<std::string>& known, const std::string& where,
                  const std::function<bool(const std::string&)>& used = {},
                  const std::function<std::string(const std::string&)>& why_unused = {}) const {
    for (auto&& [k, v] : t_) {
      const std::string key(k.str());
      const long line = k.source().begin.line > 0 ? static_cast<long>(k.source().begin.line)
                                                   : line_of(v);
      if (!contains(known, key)) {
        std::string msg = fmt::format("unknown key '{}' in {}", key, where);
        if (auto s = closest(key, known))
          msg += fmt::format(" (did you mean '{}'?)", *s);
        else
          msg += fmt::format(" (known keys: {})", quoted_list(known));
        throw InputError(ctx_.file, line, key_path(key) + ": " + msg);
      }
      if (used && !used(key))
        throw InputError(ctx_.file, line, key_path(key) + ": " + why_unused(key));
    }
  }

  std::optional<std::string> string(std::string_view key) const {
    const toml::node* n = get(key);
    if (!n) return std::nullopt;
    if (!n->is_string()) fail(key, fmt::format("expected a string, found {} {}", type_name(*n), describe(*n)));
    return n->value<std::string>();
  }
  std::optional<double> number(std::string_view key) const {
    const toml::node* n = get(key);
    if (!n) return std::nullopt;
    if (n->is_integer()) return static_cast<double>(*n->value<std::int64_t>());
    if (n->is_floating_point()) {
      const double v = *n->value<double>();
      if (!std::isfinite(v)) fail_expected(key, "a finite number");
      return v;
    }
    fail(key, fmt::format("expected a number, found {} {}", type_name(*n), describe(*n)));
  }
  std::optional<long long> integer(std::string_view key) const {
    const toml::node* n = get(key);
    if (!n) return std::nullopt;
    if (!n->is_integer())
      fail(key, fmt::format("expected an integer, found {} {}", type_name(*n), describe(*n)));
    return static_cast<long long>(*n->value<std::int64_t>());
  }
  std::optional<bool> boolean(std::string_view key) const {
    const toml::node* n = get(key);
    if (!n) return std::nullopt;
    if (!n->is_boolean())
      fail(key, fmt::format("expected true or false, found {} {}", type_name(*n), describe(*n)));
    return *n->value<bool>();
  }
  // A number or a string with a unit, converted by `parse` (whose InputError
  // gets the file, line and key path put in front).
  template <class Parse>
  auto quantity(std::string_view key, Parse parse, const char* what) const
      -> std::optional<decltype(parse(QuantityInput{}))> {
    const toml::node* n = get(key);
    if (!n) return std::nullopt;
    QuantityInput q;
    if (n->is_integer())
      q = static_cast<double>(*n->value<std::int64_t>());
    else if (n->is_floating_point())
      q = *n->value<double>();
    else if (n->is_string())
      q = *n->value<std::string>();
    else
      fail(key, fmt::format("expected {} (a number or a string \"<number> <unit>\"), found {} {}",
                            what, type_name(*n), describe(*n)));
    try {
      return parse(q);
    } catch (const InputError& e) {
      fail(key, e.what());
    }
  }
  // One of `choices` (a string); returns its index.
  std::optional<std::size_t> choice(std::string_view key,
                                    const std::vector<std::string>& choices) const {
    const auto s = string(key);
    if (!s) return std::nullopt;
    for (std::size_t i = 0; i < choices.size(); ++i)
      if (*s == choices[i]) return i;
    std::string msg = fmt::format("expected one of {}, found \"{}\"", quoted_list(choices), *s);
    if (auto c = closest(*s, choices)) msg += fmt::format(" (did you mean \"{}\"?)", *c);
    fail(key, msg);
  }
  // A sub-table (also an inline table).
  std::optional<View> table(std::string_view key) const {
    const toml::node* n = get(key);
    if (!n) return std::nullopt;
    if (!n->is_table())
      fail(key, fmt::format("expected a table [{}], found {} {}", key_path(key), type_name(*n),
                            describe(*n)));
    return View(ctx_, *n->as_table(), key_path(key), line_of(*n));
  }
  // An array of tables ([[key]]): one View per entry, path "key[i]".
  std::vector<View> tables(std::string_view key) const {
    std::vector<View> out;
    const toml::node* n = get(key);
    if (!n) return out;
    const toml::array* a = n->as_array();
    if (!a || (!a->empty() && !a->is_array_of_tables()))
      fail(key, fmt::format("expected an array of tables [[{}]], found {} {}", key_path(key),
                            type_name(*n), describe(*n)));
    for (std::size_t i = 0; i < a->size(); ++i) {
      const toml::table& t = *(*a)[i].as_table();
      out.emplace_back(ctx_, t, fmt::format("{}[{}]", key_path(key), i), line_of(t));
    }
    return out;
  }

  const Context& ctx() const { return ctx_; }
  const toml::table& raw() const { return t_; }

 private:
  const Context& ctx_;
  const toml::table& t_;
  std::string path_;
  long line_;
};

// ------------------------------------------------------------------ [run]

RunConfig read_run(const View& v) {
  v.check_keys(kRunKeys, "[run]");
  RunConfig r;
  const auto output = v.string("output");
  if (!output) v.fail_missing("output", "the run folder, e.g. output = \"runs/example\"");
  if (output->empty()) v.fail_expected("output", "a non-empty folder name");
  r.output = *output;
  r.overwrite = v.boolean("overwrite").value_or(false);
  if (auto seed = v.integer("seed")) {
    if (*seed < 0) v.fail_expected("seed", "an integer >= 0");
    r.seed = static_cast<std::uint64_t>(*seed);
  }
  if (auto dt = v.quantity("timestep", parse_time, "a time")) {
    if (!(*dt > 0)) v.fail_expected("timestep", "a time step > 0");
    r.timestep = *dt;
  }
  if (auto d = v.choice("device", {"auto", "cuda", "cpu"}))
    r.device = std::vector<std::string>{"auto", "cuda", "cpu"}[*d];
  return r;
}

// ------------------------------------------------------------------ [system]

SystemConfig read_system(const View& v, glass::Composition* comp_out) {
  v.check_keys(kSystemKeys, "[system]");
  SystemConfig s;
  const bool has_structure = v.has("structure"), has_composition = v.has("composition");
  if (has_structure && has_composition) {
    const char* later =
        v.line_of_key("structure") > v.line_of_key("composition") ? "structure" : "composition";
    v.fail(later, fmt::format("give either system.structure or system.composition, not both "
                              "(structure at line {}, composition at line {})",
                              v.line_of_key("structure"), v.line_of_key("composition")));
  }
  if (!has_structure && !has_composition)
    v.fail_here(
        "expected system.structure (a structure file) or system.composition (a glass to build), "
        "found neither");

  if (has_structure) {
    for (const char* k : {"atoms", "density"})
      if (v.has(k))
        v.fail(k, "key only used with system.composition (the system comes from system.structure)");
    const std::string path = *v.string("structure");
    if (path.empty()) v.fail_expected("structure", "a file name");
    std::filesystem::path p(path);
    if (p.is_relative()) p = v.ctx().base_dir / p;
    p = std::filesystem::absolute(p).lexically_normal();
    s.structure = p.string();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(p, ec))
      v.fail("structure", fmt::format("file not found: {} (relative paths are relative to the "
                                      "workflow file's folder)",
                                      s.structure));
    const std::vector<std::string> formats{"auto", "extxyz", "lammps-data"};
    const std::size_t f = v.choice("format", formats).value_or(0);
    if (f == 0) {
      try {
        s.format = format_from_path(s.structure);
      } catch (const InputError&) {
        v.fail("structure", fmt::format("cannot tell the format of \"{}\" from its extension "
                                        "(.extxyz/.xyz or .data/.lmp); set system.format to "
                                        "\"extxyz\" or \"lammps-data\"",
                                        path));
      }
      if (s.format != StructureFormat::ExtXYZ && s.format != StructureFormat::LammpsData)
        v.fail("structure",
               fmt::format("expected an extended XYZ or LAMMPS data file, found \"{}\" (a LAMMPS "
                           "dump? convert it with `vitra convert`)",
                           path));
    } else {
      s.format = f == 1 ? StructureFormat::ExtXYZ : StructureFormat::LammpsData;
    }
  } else {
    if (v.has("format"))
      v.fail("format", "key only used with system.structure (a built glass has no file format)");
    s.composition = *v.string("composition");
    glass::Composition comp;
    try {
      comp = glass::parse_composition(s.composition);
      glass::check_charge_neutrality(comp);
    } catch (const InputError& e) {
      v.fail("composition", e.what());
    }
    const auto atoms = v.integer("atoms");
    if (!atoms) v.fail_missing("atoms", "the number of atoms to build (an integer), needed with system.composition");
    if (*atoms < 1) v.fail_expected("atoms", "a number of atoms >= 1");
    s.atoms = static_cast<long>(*atoms);
    try {
      (void)glass::formula_units(comp, s.atoms);
    } catch (const InputError& e) {
      v.fail("atoms", e.what());
    }
    const toml::node* d = v.get("density");
    if (!d)
      v.fail_missing("density",
                     "the density in g/cm3 or \"experimental\", needed with system.composition");
    if (d->is_string()) {
      if (*d->value<std::string>() != "experimental")
        v.fail_expected("density", "a number (g/cm3) or \"experimental\"");
      try {
        s.density = glass::experimental_glass(comp).density;
      } catch (const InputError& e) {
        v.fail("density", e.what());
      }
    } else {
      s.density = *v.number("density");
      if (!(s.density > 0)) v.fail_expected("density", "a density > 0 g/cm3");
    }
    if (comp_out) *comp_out = comp;
  }
  if (auto t = v.quantity("temperature", parse_temperature, "a temperature")) {
    if (!(*t > 0))
      v.fail_expected("temperature",
                      "a temperature > 0 K (leave it out to keep the velocities of the file)");
    s.temperature = *t;
  }
  return s;
}

// ------------------------------------------------------------------ [potential]

PairConfig read_pair(const View& v) {
  PairConfig p;
  const std::vector<std::string> forms{"lj", "buckingham"};
  p.form = v.choice("form", forms).value_or(0) == 0 ? PairForm::LennardJones : PairForm::Buckingham;
  const std::vector<std::string> lj_keys{"epsilon", "sigma"}, buck_keys{"A", "rho", "C"};
  v.check_keys(
      kPairKeys, "[[potential.pair]]",
      [&](const std::string& k) {
        return p.form == PairForm::LennardJones ? !contains(buck_keys, k) : !contains(lj_keys, k);
      },
      [&](const std::string&) {
        return fmt::format("key not used by form \"{}\" (it takes {})", pair_form_name(p.form),
                           quoted_list(p.form == PairForm::LennardJones ? lj_keys : buck_keys));
      });

  const toml::node* e = v.get("elements");
  if (!e) v.fail_missing("elements", "the pair's two element symbols, e.g. elements = [\"Ar\", \"Ar\"]");
  const toml::array* a = e->as_array();
  if (!a || a->size() != 2 || !(*a)[0].is_string() || !(*a)[1].is_string())
    v.fail_expected("elements", "two element symbols, e.g. [\"B\", \"O\"]");
  for (std::size_t i = 0; i < 2; ++i) {
    p.elements[i] = *(*a)[i].value<std::string>();
    try {
      (void)element(p.elements[i]);
    } catch (const InputError& ex) {
      v.fail("elements", ex.what());
    }
  }

  auto required = [&](const char* key, const char* expected, bool strictly_positive) {
    const auto x = v.number(key);
    if (!x) v.fail_missing(key, fmt::format("{} (form \"{}\")", expected, pair_form_name(p.form)));
    if (strictly_positive ? !(*x > 0) : !(*x >= 0))
      v.fail_expected(key, fmt::format("{} {}", expected, strictly_positive ? "> 0" : ">= 0"));
    return *x;
  };
  if (p.form == PairForm::LennardJones) {
    p.epsilon = required("epsilon", "the well depth epsilon in eV", false);
    p.sigma = required("sigma", "the length sigma in A", true);
  } else {
    p.A = required("A", "the prefactor A in eV", false);
    p.rho = required("rho", "the length rho in A", true);
    p.C = v.number("C").value_or(0.0);
    if (!(p.C >= 0)) v.fail_expected("C", "C in eV*A^6 >= 0");
  }
  p.cutoff = required("cutoff", "the cutoff in A", true);
  p.shift = v.boolean("shift").value_or(false);
  return p;
}

CoulombConfig read_coulomb(const View& v, const glass::Composition* comp) {
  v.check_keys(kCoulombKeys, "[potential.coulomb]");
  CoulombConfig c;
  const auto method = v.choice("method", {"dsf", "ewald"});
  if (!method)
    v.fail_missing("method", "the Coulomb method, \"dsf\" (damped shifted force) or \"ewald\" (Ewald summation)");
  c.method = *method == 0 ? "dsf" : "ewald";
  const auto cutoff = v.number("cutoff");
  if (!cutoff) v.fail_missing("cutoff", "the Coulomb cutoff in A, e.g. cutoff = 10");
  if (!(*cutoff > 0)) v.fail_expected("cutoff", "a Coulomb cutoff > 0 A");
  c.cutoff = *cutoff;
  if (c.method == "ewald") {
    c.alpha = 0.0;  // from the accuracy unless given
    if (auto a = v.number("alpha")) {
      if (!(*a > 0))
        v.fail_expected("alpha", "an Ewald splitting parameter > 0 (1/A), or no alpha (from the accuracy)");
      c.alpha = *a;
    }
    if (auto acc = v.number("accuracy")) {
      if (!(*acc > 0 && *acc < 1)) v.fail_expected("accuracy", "a relative accuracy between 0 and 1, e.g. 1e-6");
      c.accuracy = *acc;
    }
  } else {
    if (auto a = v.number("alpha")) {
      if (!(*a >= 0)) v.fail_expected("alpha", "a damping parameter >= 0 (1/A)");
      c.alpha = *a;
    }
    if (v.has("accuracy")) v.fail("accuracy", "accuracy applies to method = \"ewald\" only");
  }
  const auto charges = v.table("charges");
  if (!charges) v.fail_missing("charges", "the charge of each element, e.g. charges = { O = -1.2, Si = 2.4 }");
  for (const auto& [k, node] : charges->raw()) {
    const std::string element(k.str());
    const auto q = charges->number(element);
    if (!std::isfinite(*q)) charges->fail_expected(element, "a finite charge (e)");
    c.charges.emplace_back(element, *q);
  }
  if (comp)
    for (const auto& e : comp->elements())
      if (std::none_of(c.charges.begin(), c.charges.end(), [&](const auto& q) { return q.first == e; }))
        charges->fail_here(fmt::format("no charge for element {} of the system", e));
  return c;
}

PotentialConfig read_potential(const View& v, const glass::Composition* comp) {
  v.check_keys(kPotentialKeys, "[potential]");
  PotentialConfig p;
  const auto kind = v.string("kind");
  if (!kind) v.fail_missing("kind", "the potential kind, \"pair\", \"classical\", \"deepmd\" or \"ensemble\"");
  if (*kind != "deepmd")
    if (v.has("model"))
      v.fail("model", fmt::format("key not used by potential kind \"{}\" (only \"deepmd\" takes it{})", *kind,
                                  *kind == "ensemble" ? "; an ensemble lists its files in models = [...]" : ""));
  if (*kind != "ensemble")
    if (v.has("models"))
      v.fail("models", fmt::format("key not used by potential kind \"{}\" (only \"ensemble\" takes it{})", *kind,
                                   *kind == "deepmd" ? "; a single model is model = \"...\"" : ""));
  if (*kind != "deepmd" && *kind != "ensemble")
    if (v.has("truncate_sel"))
      v.fail("truncate_sel",
             fmt::format("key not used by potential kind \"{}\" (only \"deepmd\" and \"ensemble\" take it)", *kind));
  if (*kind == "ensemble") {
    for (const char* k : {"pair", "coulomb", "set"})
      if (v.has(k)) v.fail(k, "key not used by potential kind \"ensemble\" (the model files hold the potential)");
    p.kind = *kind;
    const toml::node* models = v.get("models");
    const char* expected = "models = [\"graph.000.yaml\", \"graph.001.yaml\", ...], two or more model files "
                           "(DeePMD-kit .yaml or .dp, or vitra .vdp)";
    if (!models) v.fail_missing("models", expected);
    const toml::array* a = models->as_array();
    if (!a) v.fail("models", fmt::format("expected {}, found {} {}", expected, type_name(*models), describe(*models)));
    if (a->size() < 2)
      v.fail("models", fmt::format("expected two or more model files (an ensemble compares models), found {}",
                                   a->size()));
    for (std::size_t i = 0; i < a->size(); ++i) {
      const toml::node& e = (*a)[i];
      const std::string key = fmt::format("{}[{}]", v.key_path("models"), i);
      const long line = line_of(e) > 0 ? line_of(e) : v.line_of_key("models");
      if (!e.is_string() || e.value<std::string>()->empty())
        throw InputError(v.ctx().file, line,
                         fmt::format("{}: expected a model file name (a string), found {} {}", key, type_name(e),
                                     describe(e)));
      std::filesystem::path path(*e.value<std::string>());
      if (path.is_relative()) path = v.ctx().base_dir / path;
      path = std::filesystem::absolute(path).lexically_normal();
      std::error_code ec;
      if (!std::filesystem::is_regular_file(path, ec))
        throw InputError(v.ctx().file, line,
                         fmt::format("{}: file not found: {} (relative paths are relative to the workflow "
                                     "file's folder)",
                                     key, path.string()));
      p.models.push_back(path.string());
    }
    p.truncate_sel = v.boolean("truncate_sel").value_or(false);
    if (auto skin = v.number("skin")) {
      if (!(*skin >= 0)) v.fail_expected("skin", "a neighbor-list skin >= 0 A");
      p.skin = *skin;
    }
    return p;
  }
  if (*kind == "deepmd") {
    for (const char* k : {"pair", "coulomb", "set"})
      if (v.has(k)) v.fail(k, "key not used by potential kind \"deepmd\" (the model file holds the potential)");
    p.kind = *kind;
    const auto model = v.string("model");
    if (!model || model->empty())
      v.fail_missing("model", "the model file, model = \"graph.yaml\" (DeePMD-kit .yaml or .dp, or vitra .vdp)");
    std::filesystem::path path(*model);
    if (path.is_relative()) path = v.ctx().base_dir / path;
    path = std::filesystem::absolute(path).lexically_normal();
    p.model = path.string();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
      v.fail("model", fmt::format("file not found: {} (relative paths are relative to the workflow file's folder)",
                                  p.model));
    p.truncate_sel = v.boolean("truncate_sel").value_or(false);
    if (auto skin = v.number("skin")) {
      if (!(*skin >= 0)) v.fail_expected("skin", "a neighbor-list skin >= 0 A");
      p.skin = *skin;
    }
    return p;
  }
  if (*kind == "classical") {
    for (const char* k : {"pair", "coulomb"})
      if (v.has(k)) v.fail(k, fmt::format("key not used by potential kind \"classical\" (its set holds every term)"));
    if (!v.has("set")) v.fail_missing("set", "the parameter set, set = \"shik\"");
    v.choice("set", {"shik"});
    p.kind = *kind;
    p.set = *v.string("set");
    if (auto skin = v.number("skin")) {
      if (!(*skin >= 0)) v.fail_expected("skin", "a neighbor-list skin >= 0 A");
      p.skin = *skin;
    }
    if (comp) {
      const BuiltinSet b = builtin_forcefield(p.set);
      const ShikSet set = parse_shik_set(b.text, b.source);
      for (const auto& e : comp->elements())
        if (!set.has_element(e))
          v.fail("set", fmt::format("the set \"{}\" ({}) has no element {}", p.set, b.source, e));
    }
    return p;
  }
  if (v.has("set")) v.fail("set", "key not used by potential kind \"pair\" (only \"classical\" takes a set)");
  if (*kind != "pair") {
    std::vector<std::string> all{"pair", "classical", "deepmd", "ensemble"};
    std::string msg = fmt::format("expected \"pair\", found \"{}\"", *kind);
    if (auto c = closest(*kind, all)) msg += fmt::format(" (did you mean \"{}\"?)", *c);
    v.fail("kind", msg);
  }
  p.kind = *kind;
  if (auto skin = v.number("skin")) {
    if (!(*skin >= 0)) v.fail_expected("skin", "a neighbor-list skin >= 0 A");
    p.skin = *skin;
  }
  const auto pairs = v.tables("pair");
  if (pairs.empty())
    v.fail_here("expected at least one [[potential.pair]] entry for kind \"pair\", found none");
  for (const View& pv : pairs) {
    PairConfig pc = read_pair(pv);
    for (const PairConfig& q : p.pairs) {
      const bool same = (q.elements[0] == pc.elements[0] && q.elements[1] == pc.elements[1]) ||
                        (q.elements[0] == pc.elements[1] && q.elements[1] == pc.elements[0]);
      if (same)
        pv.fail("elements", fmt::format("the pair {}-{} is given twice", pc.elements[0],
                                        pc.elements[1]));
    }
    if (comp) {
      const auto elements = comp->elements();
      for (const auto& e : pc.elements)
        if (!contains(elements, e)) {
          std::string list;
          for (const auto& x : elements) list += (list.empty() ? "" : ", ") + x;
          pv.fail("elements", fmt::format("element {} is not in the system (its elements: {})", e,
                                          list));
        }
    }
    p.pairs.push_back(std::move(pc));
  }
  if (auto cv = v.table("coulomb")) p.coulomb = read_coulomb(*cv, comp);
  if (comp) {
    const auto elements = comp->elements();
    for (std::size_t i = 0; i < elements.size(); ++i)
      for (std::size_t j = i; j < elements.size(); ++j) {
        const bool found = std::any_of(p.pairs.begin(), p.pairs.end(), [&](const PairConfig& q) {
          return (q.elements[0] == elements[i] && q.elements[1] == elements[j]) ||
                 (q.elements[0] == elements[j] && q.elements[1] == elements[i]);
        });
        if (!found)
          v.fail_here(fmt::format("no [[potential.pair]] entry for the element pair {}-{} of the "
                                  "system (every pair of its elements needs one)",
                                  elements[i], elements[j]));
      }
  }
  return p;
}

// ------------------------------------------------------------------ [[stage]]

// Keys each stage kind takes, before the sub-options (ensemble, mode,
// lateral) narrow them; see the table in workflow_config.hpp.
const std::vector<std::string>& kind_keys(StageKind k) {
  static const std::vector<std::string> nve{"duration"};
  static const std::vector<std::string> nvt{"duration", "temperature", "tdamp", "chain",
                                            "reset_thermostat"};
  static const std::vector<std::string> npt{"duration", "temperature", "tdamp",  "chain",
                                            "pressure", "pdamp",       "drag",   "couple",
                                            "mask",     "reset_thermostat"};
  static const std::vector<std::string> npt_ase{"duration", "temperature", "pressure", "mask",
                                                "ttime",    "pfactor",     "reset_thermostat"};
  static const std::vector<std::string> quench{
      "duration", "t_start",  "t_stop", "rate",   "ensemble",        "tdamp",
      "chain",    "pressure", "pdamp",  "drag",   "couple", "mask", "reset_thermostat"};
  static const std::vector<std::string> minimize{"ftol", "etol", "max_steps", "cell", "pressure"};
  static const std::vector<std::string> deform{
      "duration", "temperature", "tdamp", "chain",    "mode",     "axis", "erate",
      "strain",   "lateral",     "pressure", "pdamp", "drag", "reset_thermostat"};
  switch (k) {
    case StageKind::Nve: return nve;
    case StageKind::Nvt: return nvt;
    case StageKind::Npt: return npt;
    case StageKind::NptAse: return npt_ase;
    case StageKind::Quench: return quench;
    case StageKind::Minimize: return minimize;
    case StageKind::Deform: return deform;
  }
  return nve;
}

const std::vector<std::string> kBarostatKeys{"pressure", "pdamp", "drag", "couple", "mask"};

// Why a known key is not used by this stage ("key not used by stage kind nve").
std::string why_unused(const StageConfig& s, const std::string& key) {
  std::string by = fmt::format("stage kind {}", stage_kind_name(s.kind));
  if (contains(kind_keys(s.kind), key)) {
    if (s.kind == StageKind::Quench)
      by += " with ensemble = \"nvt\" (set ensemble = \"npt\" for a barostat)";
    else if (s.kind == StageKind::Deform && s.mode != DeformMode::Uniaxial)
      by += fmt::format(" with mode = \"{}\"", deform_mode_name(s.mode));
    else if (s.kind == StageKind::Deform)
      by += " with lateral = \"fixed\"";
  }
  return fmt::format("key not used by {}", by);
}

double consistency_gap(double a, double b) {
  return std::abs(a - b) / std::max(std::abs(a), std::abs(b));
}

ObserverConfig read_observer(const View& v, const std::string& stage_name, const std::string& potential_kind) {
  ObserverConfig o;
  const auto kind = v.get("kind");
  if (!kind) v.fail_missing("kind", fmt::format("the observer kind, one of {}", quoted_list(kObserverKinds)));
  o.kind = static_cast<ObserverKind>(*v.choice("kind", kObserverKinds));
  if (o.kind == ObserverKind::ModelDevi && potential_kind != "ensemble")
    v.fail("kind", fmt::format("observer kind model_devi needs potential.kind = \"ensemble\" (two or more "
                               "models whose deviation it writes), found potential kind \"{}\"",
                               potential_kind));
  v.check_keys(
      kObserverKeys, "[[stage.observe]]",
      [&](const std::string& k) {
        return k == "kind" || k == "every" || o.kind == ObserverKind::Dump;
      },
      [&](const std::string&) {
        return fmt::format("key not used by observer kind {}", observer_kind_name(o.kind));
      });
  const auto every = v.integer("every");
  if (!every) v.fail_missing("every", "the interval in steps (an integer > 0)");
  if (*every <= 0) v.fail_expected("every", "an interval > 0 steps");
  o.every = *every;
  if (o.kind == ObserverKind::Dump) {
    const std::vector<std::string> formats{"extxyz", "lammps-dump"};
    if (auto f = v.choice("format", formats))
      o.format = *f == 0 ? StructureFormat::ExtXYZ : StructureFormat::LammpsDump;
    if (auto file = v.string("file")) {
      if (file->empty()) v.fail_expected("file", "a file name");
      o.file = *file;
      if (o.format == StructureFormat::Auto) {
        StructureFormat f = StructureFormat::Auto;
        try {
          f = format_from_path(o.file);
        } catch (const InputError&) {
        }
        if (f != StructureFormat::ExtXYZ && f != StructureFormat::LammpsDump)
          v.fail("file", fmt::format("cannot tell the dump format of \"{}\" from its extension "
                                     "(.extxyz/.xyz or .dump/.lammpstrj); set format to "
                                     "\"extxyz\" or \"lammps-dump\"",
                                     o.file));
        o.format = f;
      }
    }
    if (o.format == StructureFormat::Auto) o.format = StructureFormat::ExtXYZ;
    if (o.file.empty())
      o.file = stage_name + (o.format == StructureFormat::ExtXYZ ? ".extxyz" : ".lammpstrj");
  }
  return o;
}

bool valid_stage_name(const std::string& n) {
  return !n.empty() && std::all_of(n.begin(), n.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
}

// `dump_files`: the dump files of the stages before, with the line of their
// observer, so that no two observers write the same file.
StageConfig read_stage(const View& v, std::size_t index, double dt, const std::string& potential_kind,
                       std::vector<std::pair<std::string, long>>& dump_files) {
  StageConfig s;
  const auto kind = v.get("kind");
  if (!kind) v.fail_missing("kind", fmt::format("the stage kind, one of {}", quoted_list(kStageKinds)));
  s.kind = static_cast<StageKind>(*v.choice("kind", kStageKinds));

  // Sub-options that decide which other keys the stage takes, read first;
  // each is itself only accepted by its kind.
  const auto reject_if_unused = [&](const char* key) {
    if (v.has(key) && !contains(kind_keys(s.kind), key)) v.fail(key, why_unused(s, key));
  };
  for (const char* k : {"ensemble", "mode", "lateral"}) reject_if_unused(k);
  if (s.kind == StageKind::Quench)
    s.barostat = v.choice("ensemble", {"nvt", "npt"}).value_or(0) == 1;
  if (s.kind == StageKind::Deform) {
    s.mode = static_cast<DeformMode>(v.choice("mode", {"uniaxial", "triaxial", "shear"}).value_or(0));
    if (s.mode == DeformMode::Uniaxial) {
      s.lateral = static_cast<Lateral>(v.choice("lateral", {"barostat", "fixed"}).value_or(0));
      s.barostat = s.lateral == Lateral::Barostat;
    } else if (v.has("lateral")) {
      v.fail("lateral", why_unused(s, "lateral"));
    }
  }
  if (s.kind == StageKind::Npt || s.kind == StageKind::NptAse) s.barostat = true;
  v.check_keys(
      kStageKeys, "[[stage]]", [&](const std::string& k) { return s.uses(k); },
      [&](const std::string& k) { return why_unused(s, k); });

  s.name = v.string("name").value_or(fmt::format("stage{}", index));
  if (!valid_stage_name(s.name))
    v.fail_expected("name", "a name of letters, digits, '-', '_' and '.' (it names output files)");

  const char* kn = stage_kind_name(s.kind);
  // Temperature targets.
  const auto temperature = [&](const char* key) {
    const auto t = v.quantity(key, parse_temperature, "a temperature");
    if (!t) v.fail_missing(key, fmt::format("a temperature in K, required by stage kind {}", kn));
    if (!(*t > 0)) v.fail_expected(key, "a temperature > 0 K");
    return *t;
  };
  if (s.uses("temperature")) s.t_start = s.t_stop = temperature("temperature");
  if (s.kind == StageKind::Quench) {
    s.t_start = temperature("t_start");
    s.t_stop = temperature("t_stop");
  }
  const auto positive_time = [&](const char* key, double fallback, const char* what) {
    const auto t = v.quantity(key, parse_time, "a time");
    if (t && !(*t > 0)) v.fail_expected(key, fmt::format("{} > 0", what));
    return t.value_or(fallback);
  };
  if (s.uses("tdamp")) {
    s.tdamp = positive_time("tdamp", 100 * dt, "a thermostat damping time");
    if (auto c = v.integer("chain")) {
      if (*c < 1 || *c > 100) v.fail_expected("chain", "a chain length >= 1 (and at most 100)");
      s.chain = static_cast<int>(*c);
    }
  }
  if (s.uses("pressure")) s.pressure = v.quantity("pressure", parse_pressure, "a pressure").value_or(0.0);
  if (s.uses("pdamp")) s.pdamp = positive_time("pdamp", 1000 * dt, "a barostat damping time");
  if (s.uses("drag"))
    if (auto d = v.number("drag")) {
      if (!(*d >= 0)) v.fail_expected("drag", "a drag factor >= 0 (0 = none; 0.2 to 2 damps the cell)");
      s.drag = *d;
    }
  if (s.uses("couple"))
    s.couple = static_cast<Couple>(v.choice("couple", {"iso", "aniso", "tri"}).value_or(0));
  if (s.uses("mask") && v.has("mask")) {
    const toml::array* a = v.get("mask")->as_array();
    if (!a || a->size() != 3 || !std::all_of(a->begin(), a->end(), [](const toml::node& n) {
          return n.is_boolean();
        }))
      v.fail_expected("mask", "three booleans for the x, y, z axes, e.g. [true, true, false]");
    for (std::size_t i = 0; i < 3; ++i) s.mask[i] = *(*a)[i].value<bool>();
    if (!s.mask[0] && !s.mask[1] && !s.mask[2])
      v.fail_expected("mask", "at least one barostatted axis (use nvt for none)");
    if (s.uses("couple") && s.couple == Couple::Iso && !(s.mask[0] && s.mask[1] && s.mask[2]))
      v.fail("mask", "couple = \"iso\" scales all three axes together: a partial mask needs "
                     "couple = \"aniso\" or \"tri\"");
  }
  if (s.kind == StageKind::NptAse) {
    s.ttime = positive_time("ttime", 25 * dt, "a thermostat time");
    const auto pf = v.quantity("pfactor", parse_pfactor, "a pfactor");
    if (!pf)
      v.fail_missing("pfactor", "ASE's barostat constant pfactor = tau_P^2 * B, in GPa*fs^2 by "
                                "default (e.g. (75 fs)^2 * 100 GPa = 562500)");
    if (!(*pf > 0)) v.fail_expected("pfactor", "a pfactor > 0");
    s.pfactor = *pf;
  }
  if (s.kind == StageKind::Minimize) {
    if (auto f = v.number("ftol")) {
      if (!(*f > 0)) v.fail_expected("ftol", "a force tolerance > 0 eV/A");
      s.ftol = *f;
    }
    if (auto e = v.number("etol")) {
      if (!(*e >= 0)) v.fail_expected("etol", "an energy tolerance >= 0 (0 = off)");
      s.etol = *e;
    }
    if (auto m = v.integer("max_steps")) {
      if (*m < 1) v.fail_expected("max_steps", "a step limit >= 1");
      s.max_steps = *m;
    }
    s.cell = v.boolean("cell").value_or(false);
  }
  if (s.uses("reset_thermostat")) s.reset_thermostat = v.boolean("reset_thermostat").value_or(true);

  // Length.
  std::optional<long long> steps;
  if (auto d = v.quantity("duration", parse_duration, "a duration")) {
    try {
      steps = d->steps(dt);
    } catch (const InputError& e) {
      v.fail("duration", e.what());
    }
    if (*steps < 1) v.fail_expected("duration", "a duration of at least one step");
  }
  const auto whole_steps = [&](double t_ps) {
    return std::max(1LL, static_cast<long long>(std::llround(t_ps / dt)));
  };
  if (s.kind == StageKind::Quench) {
    const double dT = std::abs(s.t_stop - s.t_start);
    std::optional<double> rate = v.quantity("rate", parse_temperature_rate, "a temperature rate");
    if (rate && !(*rate > 0))
      v.fail_expected("rate", "a rate > 0 K/ps (a magnitude: the direction is t_start -> t_stop)");
    if (rate && dT == 0)
      v.fail("rate", "t_start equals t_stop, so a rate cannot set the duration: give duration "
                     "instead");
    if (steps && rate) {
      const double from_rate = dT / *rate, from_duration = *steps * dt;
      if (consistency_gap(from_rate, from_duration) > 1e-6)
        v.fail("rate", fmt::format("rate and duration disagree: |t_stop - t_start| / rate = {} "
                                   "ps but duration = {} ps (give one of them, or both consistent)",
                                   format_number(from_rate), format_number(from_duration)));
    } else if (rate) {
      steps = whole_steps(dT / *rate);
    } else if (!steps) {
      v.fail_here("stage kind quench needs rate (e.g. rate = \"1 K/ps\") or duration, found neither");
    }
    s.rate = dT == 0 ? 0.0 : dT / (*steps * dt);
  } else if (s.kind == StageKind::Deform) {
    const std::vector<std::string>& axes = s.mode == DeformMode::Shear ? kShearAxes : kUniaxialAxes;
    if (s.mode == DeformMode::Triaxial) {
      if (v.has("axis")) v.fail("axis", why_unused(s, "axis"));
    } else {
      s.axis = static_cast<int>(v.choice("axis", axes).value_or(0));
    }
    const auto erate = v.quantity("erate", parse_strain_rate, "a strain rate");
    const auto strain = v.number("strain");
    if (erate && *erate == 0) v.fail_expected("erate", "a non-zero strain rate");
    if (strain && *strain == 0) v.fail_expected("strain", "a non-zero final strain");
    if (strain && s.mode != DeformMode::Shear && !(*strain > -1)) v.fail_expected("strain", "a strain > -1 (the box would vanish)");
    const int given = (erate ? 1 : 0) + (strain ? 1 : 0) + (steps ? 1 : 0);
    if (given < 2)
      v.fail_here("stage kind deform needs two of erate, strain and duration (e.g. erate = "
                  "\"1e-3 /ps\" and strain = 0.3)");
    if (steps) {
      const double T = *steps * dt;
      if (erate && strain && consistency_gap(*erate * T, *strain) > 1e-6)
        v.fail("strain", fmt::format("erate, strain and duration disagree: erate * duration = {} "
                                     "but strain = {} (give two of them, or all three consistent)",
                                     format_number(*erate * T), format_number(*strain)));
      s.erate = erate ? *erate : *strain / T;
    } else {
      const double T = *strain / *erate;
      if (!(T > 0))
        v.fail("strain", fmt::format("strain {} and erate {} /ps have opposite signs",
                                     format_number(*strain), format_number(*erate)));
      steps = whole_steps(T);
      s.erate = *erate;
    }
    s.strain = s.erate * (*steps * dt);
    if (s.barostat) {
      // The two lateral axes, each barostatted on its own.
      s.couple = Couple::Aniso;
      s.mask = {true, true, true};
      s.mask[static_cast<std::size_t>(s.axis)] = false;
    }
  } else if (s.kind != StageKind::Minimize) {
    if (!steps)
      v.fail_missing("duration",
                     fmt::format("the stage length (\"N steps\" or a time such as \"10 ps\"), "
                                 "required by stage kind {}",
                                 kn));
  }
  s.steps = steps.value_or(0);

  // Observers.
  bool thermo = false, checkpoint = false, model_devi = false;
  for (const View& ov : v.tables("observe")) {
    ObserverConfig o = read_observer(ov, s.name, potential_kind);
    bool& seen = o.kind == ObserverKind::Thermo ? thermo : o.kind == ObserverKind::Checkpoint ? checkpoint : model_devi;
    if (o.kind != ObserverKind::Dump) {
      if (seen)
        ov.fail("kind", fmt::format("a second {} observer in this stage (at most one)",
                                    observer_kind_name(o.kind)));
      seen = true;
    } else {
      for (const auto& [file, line] : dump_files)
        if (file == o.file)
          ov.fail(ov.has("file") ? "file" : "kind",
                  fmt::format("dump file \"{}\" is already written by the observer at line {}",
                              o.file, line));
      dump_files.emplace_back(o.file, ov.line());
    }
    s.observers.push_back(std::move(o));
  }
  if (!thermo) s.observers.insert(s.observers.begin(), ObserverConfig{ObserverKind::Thermo, 100, StructureFormat::Auto, {}});
  return s;
}

// ------------------------------------------------------------------ writing

std::string toml_string(const std::string& s) {
  std::string out = "\"";
  for (const char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
          out += fmt::format("\\u{:04X}", static_cast<unsigned>(static_cast<unsigned char>(c)));
        else
          out += c;
    }
  }
  return out + "\"";
}

const char* bool_text(bool b) { return b ? "true" : "false"; }

}  // namespace

bool StageConfig::uses(const std::string& key) const {
  if (key == "name" || key == "kind" || key == "observe") return true;
  if (!contains(kind_keys(kind), key)) return false;
  if (kind == StageKind::Quench && contains(kBarostatKeys, key)) return barostat;
  if (kind == StageKind::Deform) {
    if (key == "axis") return mode != DeformMode::Triaxial;
    if (key == "lateral") return mode == DeformMode::Uniaxial;
    if (key == "pressure" || key == "pdamp" || key == "drag") return mode == DeformMode::Uniaxial && barostat;
  }
  return true;
}

WorkflowConfig parse_workflow(const std::string& text, const std::string& source_name,
                              const std::string& base_dir) {
  toml::table root;
  try {
    root = toml::parse(text, source_name);
  } catch (const toml::parse_error& e) {
    throw InputError(source_name, static_cast<long>(e.source().begin.line),
                     fmt::format("TOML syntax error: {}", e.description()));
  }
  Context ctx{source_name, std::filesystem::path(base_dir.empty() ? "." : base_dir)};
  const View v(ctx, root, "", 0);
  v.check_keys(kRootKeys, "the workflow (top-level tables: [run], [system], [potential], [[stage]])");

  WorkflowConfig c;
  c.source_path = source_name;
  const auto run = v.table("run");
  if (!run) v.fail_here("missing the [run] table (at least output = \"<run folder>\")");
  c.run = read_run(*run);
  const auto system = v.table("system");
  if (!system) v.fail_here("missing the [system] table (structure or composition)");
  glass::Composition comp;
  c.system = read_system(*system, &comp);
  const auto potential = v.table("potential");
  if (!potential) v.fail_here("missing the [potential] table");
  c.potential = read_potential(*potential, c.system.from_structure() ? nullptr : &comp);

  const auto stages = v.tables("stage");
  if (stages.empty()) v.fail_here("expected at least one [[stage]], found none");
  std::vector<std::pair<std::string, long>> dump_files;
  for (std::size_t i = 0; i < stages.size(); ++i) {
    StageConfig s = read_stage(stages[i], i, c.run.timestep, c.potential.kind, dump_files);
    for (std::size_t j = 0; j < c.stages.size(); ++j)
      if (c.stages[j].name == s.name)
        stages[i].fail(stages[i].has("name") ? "name" : "kind",
                       fmt::format("stage name \"{}\" is already used by stage[{}] (names must be "
                                   "unique; the default is \"stage<index>\")",
                                   s.name, j));
    c.stages.push_back(std::move(s));
  }
  return c;
}

WorkflowConfig load_workflow(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, 0, "cannot open the workflow file");
  std::ostringstream ss;
  ss << in.rdbuf();
  const std::filesystem::path base = std::filesystem::path(path).parent_path();
  return parse_workflow(ss.str(), path, base.empty() ? "." : base.string());
}

std::string resolved_toml(const WorkflowConfig& c) {
  std::string o;
  const auto line = [&](const std::string& key, const std::string& value) {
    o += key + " = " + value + "\n";
  };
  o += "# vitra workflow, resolved: every default filled in, quantities in vitra units\n";
  o += "# (ps, K, bar, A, eV), durations in steps, paths absolute.\n";
  o += "\n[run]\n";
  line("output", toml_string(c.run.output));
  line("overwrite", bool_text(c.run.overwrite));
  line("seed", fmt::format("{}", c.run.seed));
  line("timestep", toml_string(format_quantity(c.run.timestep, "ps")));
  line("device", toml_string(c.run.device));

  o += "\n[system]\n";
  const SystemConfig& s = c.system;
  if (s.from_structure()) {
    line("structure", toml_string(s.structure));
    line("format", toml_string(s.format == StructureFormat::LammpsData ? "lammps-data" : "extxyz"));
  } else {
    line("composition", toml_string(s.composition));
    line("atoms", fmt::format("{}", s.atoms));
    line("density", format_number(s.density));
  }
  if (s.temperature) line("temperature", toml_string(format_quantity(*s.temperature, "K")));

  o += "\n[potential]\n";
  line("kind", toml_string(c.potential.kind));
  if (!c.potential.set.empty()) line("set", toml_string(c.potential.set));
  if (!c.potential.model.empty()) {
    line("model", toml_string(c.potential.model));
    line("truncate_sel", bool_text(c.potential.truncate_sel));
  }
  if (!c.potential.models.empty()) {
    std::string list;
    for (const std::string& m : c.potential.models) list += (list.empty() ? "" : ", ") + toml_string(m);
    line("models", "[" + list + "]");
    line("truncate_sel", bool_text(c.potential.truncate_sel));
  }
  line("skin", format_number(c.potential.skin));
  for (const PairConfig& p : c.potential.pairs) {
    o += "\n[[potential.pair]]\n";
    line("elements", fmt::format("[{}, {}]", toml_string(p.elements[0]), toml_string(p.elements[1])));
    line("form", toml_string(pair_form_name(p.form)));
    if (p.form == PairForm::LennardJones) {
      line("epsilon", format_number(p.epsilon));
      line("sigma", format_number(p.sigma));
    } else {
      line("A", format_number(p.A));
      line("rho", format_number(p.rho));
      line("C", format_number(p.C));
    }
    line("cutoff", format_number(p.cutoff));
    line("shift", bool_text(p.shift));
  }
  if (c.potential.coulomb.method != "none") {
    const CoulombConfig& q = c.potential.coulomb;
    o += "\n[potential.coulomb]\n";
    line("method", toml_string(q.method));
    line("cutoff", format_number(q.cutoff));
    if (q.method != "ewald" || q.alpha > 0) line("alpha", format_number(q.alpha));
    if (q.method == "ewald") line("accuracy", format_number(q.accuracy));
    std::string list;
    for (const auto& [e, v] : q.charges) list += (list.empty() ? "" : ", ") + e + " = " + format_number(v);
    line("charges", "{ " + list + " }");
  }

  for (const StageConfig& st : c.stages) {
    o += "\n[[stage]]\n";
    const auto put = [&](const char* key, const std::string& value) {
      if (st.uses(key)) line(key, value);
    };
    put("name", toml_string(st.name));
    put("kind", toml_string(stage_kind_name(st.kind)));
    if (st.kind == StageKind::Quench) {
      put("ensemble", toml_string(st.barostat ? "npt" : "nvt"));
      put("t_start", toml_string(format_quantity(st.t_start, "K")));
      put("t_stop", toml_string(format_quantity(st.t_stop, "K")));
      if (st.t_start != st.t_stop) put("rate", toml_string(format_quantity(st.rate, "K/ps")));
    } else {
      put("temperature", toml_string(format_quantity(st.t_start, "K")));
    }
    if (st.kind == StageKind::Deform) {
      put("mode", toml_string(deform_mode_name(st.mode)));
      put("axis", toml_string(st.mode == DeformMode::Shear ? kShearAxes[st.axis]
                                                            : kUniaxialAxes[st.axis]));
      put("erate", toml_string(format_quantity(st.erate, "/ps")));
      put("strain", format_number(st.strain));
      put("lateral", toml_string(lateral_name(st.lateral)));
    }
    if (st.kind != StageKind::Minimize) put("duration", toml_string(Duration::from_steps(st.steps).to_string()));
    put("tdamp", toml_string(format_quantity(st.tdamp, "ps")));
    put("chain", fmt::format("{}", st.chain));
    put("pressure", toml_string(format_quantity(st.pressure, "bar")));
    put("pdamp", toml_string(format_quantity(st.pdamp, "ps")));
    put("drag", format_number(st.drag));
    put("couple", toml_string(couple_name(st.couple)));
    put("mask", fmt::format("[{}, {}, {}]", bool_text(st.mask[0]), bool_text(st.mask[1]),
                            bool_text(st.mask[2])));
    put("ttime", toml_string(format_quantity(st.ttime, "ps")));
    put("pfactor", toml_string(format_quantity(st.pfactor, "eV*ps^2/A^3")));
    put("ftol", format_number(st.ftol));
    put("etol", format_number(st.etol));
    put("max_steps", fmt::format("{}", st.max_steps));
    put("cell", bool_text(st.cell));
    put("reset_thermostat", bool_text(st.reset_thermostat));
    for (const ObserverConfig& ob : st.observers) {
      o += "\n[[stage.observe]]\n";
      line("kind", toml_string(observer_kind_name(ob.kind)));
      line("every", fmt::format("{}", ob.every));
      if (ob.kind == ObserverKind::Dump) {
        line("format", toml_string(ob.format == StructureFormat::LammpsDump ? "lammps-dump" : "extxyz"));
        line("file", toml_string(ob.file));
      }
    }
  }
  return o;
}

// ------------------------------------------------------------------ equality

bool operator==(const RunConfig& a, const RunConfig& b) {
  return a.output == b.output && a.overwrite == b.overwrite && a.seed == b.seed &&
         a.timestep == b.timestep && a.device == b.device;
}

bool operator==(const SystemConfig& a, const SystemConfig& b) {
  return a.structure == b.structure && a.format == b.format && a.composition == b.composition &&
         a.atoms == b.atoms && a.density == b.density && a.temperature == b.temperature;
}

bool operator==(const PairConfig& a, const PairConfig& b) {
  return a.elements == b.elements && a.form == b.form && a.epsilon == b.epsilon &&
         a.sigma == b.sigma && a.A == b.A && a.rho == b.rho && a.C == b.C &&
         a.cutoff == b.cutoff && a.shift == b.shift;
}

bool operator==(const CoulombConfig& a, const CoulombConfig& b) {
  return a.method == b.method && a.cutoff == b.cutoff && a.alpha == b.alpha && a.accuracy == b.accuracy &&
         a.charges == b.charges;
}

bool operator==(const PotentialConfig& a, const PotentialConfig& b) {
  return a.kind == b.kind && a.set == b.set && a.model == b.model && a.models == b.models &&
         a.truncate_sel == b.truncate_sel && a.skin == b.skin && a.pairs == b.pairs && a.coulomb == b.coulomb;
}

bool operator==(const ObserverConfig& a, const ObserverConfig& b) {
  return a.kind == b.kind && a.every == b.every && a.format == b.format && a.file == b.file;
}

bool operator==(const StageConfig& a, const StageConfig& b) {
  return a.name == b.name && a.kind == b.kind && a.steps == b.steps && a.t_start == b.t_start &&
         a.t_stop == b.t_stop && a.rate == b.rate && a.barostat == b.barostat &&
         a.tdamp == b.tdamp && a.chain == b.chain && a.pressure == b.pressure &&
         a.pdamp == b.pdamp && a.drag == b.drag && a.couple == b.couple && a.mask == b.mask && a.ttime == b.ttime &&
         a.pfactor == b.pfactor && a.ftol == b.ftol && a.etol == b.etol &&
         a.max_steps == b.max_steps && a.cell == b.cell && a.mode == b.mode && a.axis == b.axis &&
         a.erate == b.erate && a.strain == b.strain && a.lateral == b.lateral &&
         a.reset_thermostat == b.reset_thermostat && a.observers == b.observers;
}

bool operator==(const WorkflowConfig& a, const WorkflowConfig& b) {
  return a.run == b.run && a.system == b.system && a.potential == b.potential &&
         a.stages == b.stages;
}

}  // namespace vitra::workflow
