#include "host/forcefield/shik_set.hpp"

#include <cmath>
#include <fstream>
#include <optional>
#include <sstream>
#include <utility>

#include <toml++/toml.h>

#include "host/error.hpp"

namespace vitra {

namespace {

long line_of(const toml::node& n) { return static_cast<long>(n.source().begin.line); }

// Typed access to the keys of one table; messages name file, line and key path.
class Reader {
 public:
  Reader(const std::string& file, const toml::table& t, std::string path, long line)
      : file_(file), t_(t), path_(std::move(path)), line_(line) {}

  std::string key(std::string_view k) const { return path_.empty() ? std::string(k) : path_ + "." + std::string(k); }

  [[noreturn]] void fail(const toml::node* n, const std::string& what) const {
    throw InputError(file_, n ? line_of(*n) : line_, what);
  }

  const toml::node& need(std::string_view k) const {
    const toml::node* n = t_.get(k);
    if (!n) fail(nullptr, "missing key '" + key(k) + "'");
    return *n;
  }

  double number(std::string_view k) const {
    const toml::node& n = need(k);
    const std::optional<double> v = n.value<double>();
    if (!(n.is_integer() || n.is_floating_point()) || !v || !std::isfinite(*v))
      fail(&n, "'" + key(k) + "' must be a finite number");
    return *v;
  }

  double positive(std::string_view k) const {
    const double v = number(k);
    if (!(v > 0.0)) fail(t_.get(k), "'" + key(k) + "' must be > 0, got " + std::to_string(v));
    return v;
  }

  std::string string(std::string_view k) const {
    const toml::node& n = need(k);
    if (!n.is_string()) fail(&n, "'" + key(k) + "' must be a string");
    return *n.value<std::string>();
  }

  std::string string_or(std::string_view k, const std::string& fallback) const {
    return t_.get(k) ? string(k) : fallback;
  }

  const toml::table& table(std::string_view k) const {
    const toml::node& n = need(k);
    if (!n.is_table()) fail(&n, "'" + key(k) + "' must be a table");
    return *n.as_table();
  }

  Reader sub(std::string_view k) const {
    const toml::table& t = table(k);
    return Reader(file_, t, key(k), line_of(t) > 0 ? line_of(t) : line_);
  }

  const toml::table& raw() const { return t_; }

 private:
  const std::string& file_;
  const toml::table& t_;
  std::string path_;
  long line_;
};

}  // namespace

const ShikSet::Pair* ShikSet::find_pair(const std::string& a, const std::string& b) const {
  for (const Pair& p : pairs)
    if ((p.a == a && p.b == b) || (p.a == b && p.b == a)) return &p;
  return nullptr;
}

ShikSet parse_shik_set(std::string_view text, const std::string& source_name) {
  toml::table root;
  try {
    root = toml::parse(text, source_name);
  } catch (const toml::parse_error& e) {
    throw InputError(source_name, static_cast<long>(e.source().begin.line),
                     std::string("TOML syntax error: ") + std::string(e.description()));
  }
  const Reader top(source_name, root, "", 0);
  ShikSet s;
  s.file = source_name;

  const Reader ff = top.sub("forcefield");
  s.name = ff.string("name");
  const std::string form = ff.string("form");
  if (form != "shik/wolf") ff.fail(ff.raw().get("form"), "'forcefield.form' must be \"shik/wolf\", got \"" + form + "\"");
  if (const toml::node* pubs = ff.raw().get("publications")) {
    const toml::array* a = pubs->as_array();
    if (!a || !a->is_array_of_tables()) ff.fail(pubs, "'forcefield.publications' must be an array of tables");
    for (std::size_t i = 0; i < a->size(); ++i) {
      const toml::table& t = *(*a)[i].as_table();
      const Reader p(source_name, t, "forcefield.publications[" + std::to_string(i) + "]", line_of(t));
      ShikSet::Publication pub;
      pub.citation = p.string("citation");
      pub.doi = p.string_or("doi", "");
      if (const toml::node* v = t.get("doi_verified")) {
        if (!v->is_boolean()) p.fail(v, "'" + p.key("doi_verified") + "' must be true or false");
        pub.doi_verified = *v->value<bool>();
      }
      s.publications.push_back(pub);
    }
  }

  const Reader cut = top.sub("cutoffs");
  s.rc_sr = cut.positive("short_range");
  s.rc_coulomb = cut.positive("coulomb");
  s.gamma_sr = cut.number("gamma_short_range");
  s.gamma_coulomb = cut.number("gamma_coulomb");
  if (s.gamma_sr < 0.0) cut.fail(cut.raw().get("gamma_short_range"), "'cutoffs.gamma_short_range' must be >= 0");
  if (s.gamma_coulomb < 0.0) cut.fail(cut.raw().get("gamma_coulomb"), "'cutoffs.gamma_coulomb' must be >= 0");
  s.coulomb_constant = cut.positive("coulomb_constant");
  if (std::fabs(s.coulomb_constant - shik::kCoulombConstant) > 1e-12 * shik::kCoulombConstant)
    cut.fail(cut.raw().get("coulomb_constant"),
             "'cutoffs.coulomb_constant' is " + std::to_string(s.coulomb_constant) +
                 " but the kernels use k = 14.399645 eV*angstrom");

  const Reader ch = top.sub("charges");
  const Reader fixed = ch.sub("fixed");
  for (const auto& [k, v] : fixed.raw()) {
    const std::string el(k.str());
    s.fixed_charges[el] = fixed.number(el);
  }
  if (s.fixed_charges.empty()) ch.fail(&ch.table("fixed"), "'charges.fixed' lists no element");
  s.neutralizing = ch.string("neutralizing");
  if (s.fixed_charges.count(s.neutralizing))
    ch.fail(ch.raw().get("neutralizing"),
            "'charges.neutralizing' (" + s.neutralizing + ") must not also have a fixed charge");

  const toml::node& pn = top.need("pairs");
  const toml::array* pa = pn.as_array();
  if (!pa || !pa->is_array_of_tables() || pa->empty()) top.fail(&pn, "'pairs' must be a non-empty array of tables ([[pairs]])");
  for (std::size_t i = 0; i < pa->size(); ++i) {
    const toml::table& t = *(*pa)[i].as_table();
    const Reader p(source_name, t, "pairs[" + std::to_string(i) + "]", line_of(t));
    const toml::node& en = p.need("elements");
    const toml::array* ea = en.as_array();
    if (!ea || ea->size() != 2 || !(*ea)[0].is_string() || !(*ea)[1].is_string())
      p.fail(&en, "'" + p.key("elements") + "' must be two element symbols, e.g. [\"Si\", \"O\"]");
    ShikSet::Pair pair;
    pair.a = *(*ea)[0].value<std::string>();
    pair.b = *(*ea)[1].value<std::string>();
    for (const std::string& el : {pair.a, pair.b})
      if (!s.has_element(el)) p.fail(&en, "'" + p.key("elements") + "': element " + el + " has no charge in [charges]");
    if (s.find_pair(pair.a, pair.b)) p.fail(&en, "pair " + pair.a + "-" + pair.b + " is given twice");
    pair.A = p.number("A");
    pair.B = p.positive("B");
    pair.C = p.number("C");
    pair.D = p.number("D");
    pair.status = p.string("status");
    if (pair.status != "V" && pair.status != "U")
      p.fail(t.get("status"), "'" + p.key("status") + "' must be \"V\" or \"U\", got \"" + pair.status + "\"");
    pair.source = p.string_or("source", "");
    s.pairs.push_back(pair);
  }
  return s;
}

ShikSet load_shik_set(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, 0, "cannot open the SHIK parameter file");
  std::ostringstream os;
  os << in.rdbuf();
  return parse_shik_set(os.str(), path);
}

double shik_neutralizing_charge(const ShikSet& set, const std::map<std::string, long long>& counts) {
  double sum = 0.0;
  long long n_neutral = 0;
  for (const auto& [el, n] : counts) {
    if (n < 0) throw InputError(set.file, 0, "negative count of element " + el);
    if (el == set.neutralizing) {
      n_neutral = n;
      continue;
    }
    const auto it = set.fixed_charges.find(el);
    if (it == set.fixed_charges.end())
      throw InputError(set.file, 0, "element " + el + " is not in the SHIK parameter set");
    sum += it->second * static_cast<double>(n);
  }
  if (n_neutral == 0) {
    if (sum != 0.0)
      throw InputError(set.file, 0, "no " + set.neutralizing + " atom to neutralize the cation charge");
    return 0.0;
  }
  return -sum / static_cast<double>(n_neutral);
}

std::vector<long long> count_types(const std::vector<int>& types, int num_types) {
  std::vector<long long> c(static_cast<std::size_t>(num_types > 0 ? num_types : 0), 0);
  for (int t : types)
    if (t >= 0 && t < num_types) ++c[static_cast<std::size_t>(t)];
  return c;
}

std::vector<double> shik_type_charges(const ShikSet& set, const TypeMap& tm, const std::vector<long long>& counts) {
  if (counts.size() != static_cast<std::size_t>(tm.size()))
    throw std::invalid_argument("shik_type_charges: " + std::to_string(counts.size()) + " counts for " +
                                std::to_string(tm.size()) + " types");
  std::map<std::string, long long> by_element;
  for (int t = 0; t < tm.size(); ++t) {
    if (!set.has_element(tm.names[t]))
      throw InputError(set.file, 0, "element " + tm.names[t] + " is not in the SHIK parameter set");
    by_element[tm.names[t]] += counts[t];
  }
  const double q_neutral = shik_neutralizing_charge(set, by_element);
  std::vector<double> q(tm.size());
  for (int t = 0; t < tm.size(); ++t)
    q[t] = tm.names[t] == set.neutralizing ? q_neutral : set.fixed_charges.at(tm.names[t]);
  return q;
}

std::unique_ptr<ShikPotential> make_shik_potential(const ShikSet& set, const TypeMap& tm,
                                                   const std::vector<long long>& counts, double skin) {
  std::vector<double> q = shik_type_charges(set, tm, counts);
  std::vector<ShikPairParams> pairs;
  for (int a = 0; a < tm.size(); ++a)
    for (int b = a; b < tm.size(); ++b)
      if (const ShikSet::Pair* p = set.find_pair(tm.names[a], tm.names[b]))
        pairs.push_back({a, b, p->A, p->B, p->C, p->D});
  ShikSettings st;
  st.rc_sr = set.rc_sr;
  st.rc_coulomb = set.rc_coulomb;
  st.gamma_sr = set.gamma_sr;
  st.gamma_coulomb = set.gamma_coulomb;
  st.skin = skin;
  return std::make_unique<ShikPotential>(std::move(q), pairs, st);
}

}  // namespace vitra
