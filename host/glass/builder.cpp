#include "host/glass/builder.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <random>
#include <set>

#include "host/elements.hpp"
#include "host/error.hpp"
#include "host/progress.hpp"
#include "kernels/units.hpp"

namespace vitra::glass {
namespace {

const std::set<std::string>& anions() {
  static const std::set<std::string> s = {"O", "F", "N", "S", "Cl", "Se", "Br", "I"};
  return s;
}

// Cation-oxygen minimum distances (Å), ~0.75-0.8 of the typical bond length.
double cation_anion_distance(const std::string& cation) {
  static const std::map<std::string, double> t = {
      {"H", 0.80},  {"B", 1.20},  {"P", 1.30},  {"Si", 1.40}, {"Al", 1.45},
      {"Ge", 1.45}, {"Ti", 1.50}, {"Zn", 1.55}, {"Fe", 1.55}, {"Li", 1.60},
      {"Mg", 1.60}, {"Zr", 1.65}, {"Na", 1.80}, {"Ca", 1.80}, {"Sr", 1.95},
      {"K", 2.10},  {"Ba", 2.10}, {"Rb", 2.20}, {"Cs", 2.30},
  };
  auto it = t.find(cation);
  return it == t.end() ? 1.60 : it->second;
}

bool is_large_cation(const std::string& e) {
  static const std::set<std::string> s = {"Si", "Na", "K", "Rb", "Cs", "Ca", "Sr", "Ba"};
  return s.count(e) > 0;
}

std::pair<std::string, std::string> key(const std::string& a, const std::string& b) {
  return a < b ? std::make_pair(a, b) : std::make_pair(b, a);
}

std::string trim(const std::string& s, std::size_t* lead = nullptr) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  if (lead) *lead = b;
  return s.substr(b, e - b);
}

// Platform-independent random numbers: the 64-bit engine is fully specified
// by the standard; the distributions are not, so they are written here.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}
  double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }  // [0, 1)
  // Uniform integer in [0, n), by rejection (no modulo bias).
  std::uint64_t below(std::uint64_t n) {
    const std::uint64_t limit =
        std::numeric_limits<std::uint64_t>::max() - std::numeric_limits<std::uint64_t>::max() % n;
    std::uint64_t x;
    do x = engine_();
    while (x >= limit);
    return x % n;
  }

 private:
  std::mt19937_64 engine_;
};

}  // namespace

double default_min_distance(const std::string& a, const std::string& b) {
  const bool an_a = anions().count(a) > 0, an_b = anions().count(b) > 0;
  if (an_a && an_b) return 2.0;
  if (an_a) return cation_anion_distance(b);
  if (an_b) return cation_anion_distance(a);
  if (a == "Li" || b == "Li" || a == "H" || b == "H") return 2.0;
  return is_large_cation(a) || is_large_cation(b) ? 2.5 : 2.2;
}

double MinDistances::operator()(const std::string& a, const std::string& b) const {
  auto it = set_.find(key(a, b));
  return it == set_.end() ? default_min_distance(a, b) : it->second;
}

void MinDistances::set(const std::string& a, const std::string& b, double distance) {
  set_[key(a, b)] = distance;
}

bool MinDistances::is_set(const std::string& a, const std::string& b) const {
  return set_.count(key(a, b)) > 0;
}

std::string MinDistances::describe(const std::vector<std::string>& elements) const {
  std::string s;
  for (std::size_t i = 0; i < elements.size(); ++i)
    for (std::size_t j = i; j < elements.size(); ++j)
      s += fmt::format("{}{}-{} {:.2f}{}", s.empty() ? "" : ", ", elements[i], elements[j],
                       (*this)(elements[i], elements[j]),
                       is_set(elements[i], elements[j]) ? "*" : "");
  return s;
}

MinDistances parse_min_distances(const std::string& text, MinDistances base) {
  std::size_t start = 0;
  std::size_t index = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && text[i] != ',') continue;
    ++index;
    std::size_t lead = 0;
    const std::string part = trim(text.substr(start, i - start), &lead);
    const std::size_t column = start + lead + 1;
    start = i + 1;
    auto fail = [&](const std::string& what) {
      throw InputError(fmt::format("minimum distances \"{}\": part {} \"{}\" (column {}): {}", text,
                                   index, part, column, what));
    };
    if (part.empty()) {
      if (trim(text).empty()) return base;
      fail("empty part (expected A-B:DISTANCE, e.g. \"B-O:1.3\")");
    }
    const std::size_t colon = part.find(':');
    const std::size_t dash = part.find('-');
    if (colon == std::string::npos || dash == std::string::npos || dash > colon)
      fail(
          "expected A-B:DISTANCE with element symbols A and B and a distance in Å, e.g. "
          "\"B-O:1.3\"");
    const std::string a = trim(part.substr(0, dash));
    const std::string b = trim(part.substr(dash + 1, colon - dash - 1));
    for (const std::string& e : {a, b}) {
      try {
        element(e);
      } catch (const InputError& err) {
        fail(err.what());
      }
    }
    const std::string d = trim(part.substr(colon + 1));
    char* end = nullptr;
    const double v = std::strtod(d.c_str(), &end);
    if (d.empty() || end != d.c_str() + d.size() || !std::isfinite(v))
      fail(fmt::format("expected a distance in Å after ':', found \"{}\"", d));
    if (!(v > 0)) fail(fmt::format("the distance must be positive, found {}", d));
    base.set(a, b, v);
  }
  return base;
}

double cubic_box_length(double mass_amu, double density_g_cm3) {
  if (!(density_g_cm3 > 0) || !std::isfinite(density_g_cm3))
    throw InputError(fmt::format("the density must be positive, found {} g/cm3", density_g_cm3));
  if (!(mass_amu > 0)) throw InputError("cannot size a box for zero mass (no atoms)");
  return std::cbrt(mass_amu * units::kAmuPerA3ToGcm3 / density_g_cm3);
}

Structure build_random_glass(const std::vector<std::pair<std::string, long>>& counts,
                             const BuildOptions& opt) {
  // Species, masses and the box.
  const std::size_t ns = counts.size();
  std::vector<std::string> names(ns);
  long n = 0;
  double mass = 0;
  for (std::size_t s = 0; s < ns; ++s) {
    names[s] = counts[s].first;
    if (counts[s].second < 0)
      throw InputError(fmt::format("negative atom count {} for {}", counts[s].second, names[s]));
    for (std::size_t t = 0; t < s; ++t)
      if (names[t] == names[s])
        throw InputError(fmt::format("element {} is listed twice", names[s]));
    n += counts[s].second;
    mass += double(counts[s].second) * element(names[s]).mass;
  }
  if (n == 0) throw InputError("no atoms to place");
  if (n > 2000000000L)
    throw InputError(fmt::format("{} atoms is more than the builder handles", n));
  const double L = cubic_box_length(mass, opt.density);
  const double volume = L * L * L;

  // Minimum distances and the mean-field packing fraction
  // eta = (pi/6) sum_st N_s N_t d_st^3 / (N V), reported when insertion fails.
  std::vector<double> dmin2(ns * ns);
  double dmax = 0, eta = 0;
  for (std::size_t s = 0; s < ns; ++s)
    for (std::size_t t = 0; t < ns; ++t) {
      const double d = opt.min_distances(names[s], names[t]);
      dmin2[s * ns + t] = d * d;
      if (counts[s].second > 0 && counts[t].second > 0 && (s != t || counts[s].second > 1)) {
        dmax = std::max(dmax, d);
        eta += double(counts[s].second) * double(counts[t].second) * d * d * d;
      }
    }
  eta *= 3.14159265358979323846 / 6.0 / (double(n) * volume);
  if (dmax > 0.5 * L)
    throw InputError(
        fmt::format("the box ({:.3f} Å for {} atoms at {} g/cm3) is smaller than twice the largest "
                    "minimum distance ({:.2f} Å); "
                    "build more atoms or lower the minimum distances",
                    L, n, opt.density, dmax));

  // Insertion order: species sorted by excluded volume sum_t N_t d_st^3, the
  // largest first (they are hardest to fit once the box fills), ties in
  // `counts` order; within a species the atoms are interchangeable, so only the
  // positions are random. Measured at 3000 atoms (LB67, Li-Li/B-Li 2.2 Å),
  // this still placed every atom at 2.8 g/cm3, where a shuffled order of all
  // atoms failed above 2.4 and the reverse order above 2.2.
  std::vector<std::size_t> order(ns);
  std::vector<double> excluded(ns, 0.0);
  for (std::size_t s = 0; s < ns; ++s) {
    order[s] = s;
    for (std::size_t t = 0; t < ns; ++t)
      excluded[s] += double(counts[t].second) * std::pow(std::sqrt(dmin2[s * ns + t]), 3);
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return excluded[a] > excluded[b]; });

  // Cell grid: cells at least dmax wide, so a candidate only meets atoms in
  // its own and the 26 neighbouring cells; no more cells than about 2 per
  // atom (wider cells stay correct). Fewer than 3 cells per edge: one cell
  // (every atom is checked).
  long nc = dmax > 0 ? static_cast<long>(std::floor(L / dmax)) : 1;
  nc = std::min(nc, static_cast<long>(std::cbrt(2.0 * double(n))) + 1);
  if (nc < 3) nc = 1;
  const long ncell = nc * nc * nc;
  std::vector<int> head(static_cast<std::size_t>(ncell), -1), next;
  next.reserve(static_cast<std::size_t>(n));
  std::vector<Vec3> pos;
  pos.reserve(static_cast<std::size_t>(n));
  std::vector<int> species;
  species.reserve(static_cast<std::size_t>(n));

  auto cell_of = [&](double f) { return std::min(nc - 1, static_cast<long>(f * double(nc))); };
  auto fits = [&](const Vec3& r, long cx, long cy, long cz, std::size_t s) {
    const long span = nc >= 3 ? 1 : 0;
    for (long dz = -span; dz <= span; ++dz)
      for (long dy = -span; dy <= span; ++dy)
        for (long dx = -span; dx <= span; ++dx) {
          const long x = (cx + dx + nc) % nc, y = (cy + dy + nc) % nc, z = (cz + dz + nc) % nc;
          for (int j = head[static_cast<std::size_t>((z * nc + y) * nc + x)]; j >= 0; j = next[j]) {
            Vec3 d = r - pos[j];
            d.x -= L * std::round(d.x / L);
            d.y -= L * std::round(d.y / L);
            d.z -= L * std::round(d.z / L);
            if (norm2(d) < dmin2[s * ns + static_cast<std::size_t>(species[j])]) return false;
          }
        }
    return true;
  };

  Rng rng(opt.seed);
  const long max_trials = std::max(1L, opt.max_trials);
  long placed = 0;
  for (std::size_t s : order) {
    for (long a = 0; a < counts[s].second; ++a) {
      bool ok = false;
      for (long trial = 0; trial < max_trials && !ok; ++trial) {
        const double fx = rng.uniform(), fy = rng.uniform(), fz = rng.uniform();
        const Vec3 r{fx * L, fy * L, fz * L};
        const long cx = cell_of(fx), cy = cell_of(fy), cz = cell_of(fz);
        if (!fits(r, cx, cy, cz, s)) continue;
        const std::size_t c = static_cast<std::size_t>((cz * nc + cy) * nc + cx);
        next.push_back(head[c]);
        head[c] = static_cast<int>(pos.size());
        pos.push_back(r);
        species.push_back(static_cast<int>(s));
        ok = true;
      }
      if (!ok)
        throw InputError(fmt::format(
            "could not place atom {} of {} ({}) after {} random trials: the box ({:.3f} Å, {} "
            "g/cm3) is too full "
            "for the minimum distances (packing fraction ~{:.3f}; random insertion jams near "
            "0.38). Lower the "
            "density (--density) or the minimum distances (--min-dist \"A-B:DIST,...\"); now {}",
            placed + 1, n, names[s], max_trials, L, opt.density, eta,
            opt.min_distances.describe(names)));
      ++placed;
      if (opt.progress && (placed % 64 == 0 || placed == n)) opt.progress->update(placed);
    }
  }

  // Output grouped by species in `counts` order, each group in placement order.
  Structure out;
  out.cell = Mat3::identity();
  for (int k = 0; k < 3; ++k) out.cell.m[k][k] = L;
  out.pbc = {true, true, true};
  out.species.reserve(static_cast<std::size_t>(n));
  out.positions.reserve(static_cast<std::size_t>(n));
  for (std::size_t s = 0; s < ns; ++s)
    for (std::size_t i = 0; i < pos.size(); ++i)
      if (species[i] == static_cast<int>(s)) {
        out.species.push_back(names[s]);
        out.positions.push_back(pos[i]);
      }
  return out;
}

}  // namespace vitra::glass
