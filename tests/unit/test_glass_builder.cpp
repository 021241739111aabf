// Random glass builder: reproducibility, the minimum-distance guarantee (brute
// force over all periodic pairs), box size from density, grouping, failures.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <map>
#include <random>
#include <sstream>
#include <string>

#include "host/elements.hpp"
#include "host/error.hpp"
#include "host/glass/builder.hpp"
#include "host/glass/composition.hpp"
#include "host/progress.hpp"
#include "kernels/units.hpp"

using namespace vitra;
using namespace vitra::glass;

namespace {

using Counts = std::vector<std::pair<std::string, long>>;

Counts counts_for(const std::string& composition, long atoms) {
  return formula_units(parse_composition(composition), atoms).atoms;
}

double mass_of(const Structure& s) {
  double m = 0;
  for (const auto& e : s.species) m += element(e).mass;
  return m;
}

// Smallest distance / minimum ratio over all pairs, minimum image in a cubic box.
struct Closest {
  double ratio = 1e300;  // min over pairs of d / dmin
  std::size_t i = 0, j = 0;
  double d = 0;
};
Closest closest_pair(const Structure& s, const MinDistances& md) {
  const double L = s.cell.m[0][0];
  Closest c;
  for (std::size_t i = 0; i < s.size(); ++i)
    for (std::size_t j = i + 1; j < s.size(); ++j) {
      Vec3 d = s.positions[i] - s.positions[j];
      for (int k = 0; k < 3; ++k) d[k] -= L * std::round(d[k] / L);
      const double r = norm(d);
      const double ratio = r / md(s.species[i], s.species[j]);
      if (ratio < c.ratio) c = {ratio, i, j, r};
    }
  return c;
}

unsigned fresh_seed() { return std::random_device{}(); }

}  // namespace

TEST(GlassBuilder, DefaultMinDistances) {
  const MinDistances md;
  EXPECT_DOUBLE_EQ(md("B", "O"), 1.20);
  EXPECT_DOUBLE_EQ(md("O", "B"), 1.20);
  EXPECT_DOUBLE_EQ(md("Si", "O"), 1.40);
  EXPECT_DOUBLE_EQ(md("Li", "O"), 1.60);
  EXPECT_DOUBLE_EQ(md("O", "O"), 2.00);
  EXPECT_DOUBLE_EQ(md("B", "B"), 2.20);
  EXPECT_DOUBLE_EQ(md("Li", "Li"), 2.00);
  EXPECT_DOUBLE_EQ(md("B", "Li"), 2.00);
  EXPECT_DOUBLE_EQ(md("Si", "Si"), 2.50);
  EXPECT_DOUBLE_EQ(md("Si", "B"), 2.50);
  EXPECT_DOUBLE_EQ(md("Na", "O"), 1.80);
  EXPECT_DOUBLE_EQ(md("Xe", "O"), 1.60);  // any other cation
}

TEST(GlassBuilder, ParsesMinDistanceOverrides) {
  const MinDistances md = parse_min_distances("B-O:1.3, O-O:2.1,Li-B:1.9");
  EXPECT_DOUBLE_EQ(md("B", "O"), 1.3);
  EXPECT_DOUBLE_EQ(md("O", "B"), 1.3);
  EXPECT_DOUBLE_EQ(md("O", "O"), 2.1);
  EXPECT_DOUBLE_EQ(md("B", "Li"), 1.9);
  EXPECT_DOUBLE_EQ(md("Li", "O"), 1.6);  // default kept
  EXPECT_TRUE(md.is_set("O", "B"));
  EXPECT_FALSE(md.is_set("Li", "O"));
  EXPECT_NE(md.describe({"B", "O"}).find("B-O 1.30*"), std::string::npos)
      << md.describe({"B", "O"});
  EXPECT_DOUBLE_EQ(parse_min_distances("")("B", "O"), 1.2);

  auto fails = [](const std::string& text, std::initializer_list<std::string> parts) {
    try {
      parse_min_distances(text);
      ADD_FAILURE() << "no error for " << text;
    } catch (const InputError& e) {
      for (const auto& p : parts)
        EXPECT_NE(std::string(e.what()).find(p), std::string::npos)
            << "missing " << p << " in " << e.what();
    }
  };
  fails("B-O:1.3,Xx-O:2", {"part 2", "\"Xx-O:2\"", "column 9", "'Xx'"});
  fails("B-O:-1", {"part 1", "positive"});
  fails("B-O:0", {"positive"});
  fails("B-O:abc", {"\"abc\""});
  fails("BO:1.3", {"A-B:DISTANCE"});
  fails("B-O:1.3,,O-O:2", {"part 2", "empty"});
  fails("B-LI:1.3", {"'Li'"});
}

TEST(GlassBuilder, SameSeedSameStructureOtherSeedOther) {
  const Counts c = counts_for("B2O3:66.7,Li2O:33.3", 1000);
  BuildOptions o;
  o.density = 2.2;
  o.seed = 12345;
  const Structure a = build_random_glass(c, o);
  const Structure b = build_random_glass(c, o);
  ASSERT_EQ(a.size(), 1001u);
  ASSERT_EQ(b.size(), a.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a.species[i], b.species[i]);
    EXPECT_EQ(a.positions[i].x, b.positions[i].x);  // bit-identical
    EXPECT_EQ(a.positions[i].y, b.positions[i].y);
    EXPECT_EQ(a.positions[i].z, b.positions[i].z);
  }
  o.seed = 12346;
  const Structure d = build_random_glass(c, o);
  ASSERT_EQ(d.size(), a.size());
  std::size_t same = 0;
  for (std::size_t i = 0; i < a.size(); ++i) same += (norm(a.positions[i] - d.positions[i]) < 1e-9);
  EXPECT_EQ(same, 0u);
}

TEST(GlassBuilder, GoldenPositionsForSeedOne) {
  // The random stream is specified to the bit (std::mt19937_64 and
  // (x >> 11) * 2^-53), so these values hold on every platform. A change
  // here changes every structure users built: bump it deliberately.
  BuildOptions o;
  o.density = 2.0;
  o.seed = 1;
  const Structure s = build_random_glass({{"B", 4}, {"O", 6}}, o);
  const double L = cubic_box_length(4 * 10.81 + 6 * 15.999, 2.0);
  ASSERT_EQ(s.size(), 10u);
  // mt19937_64 with the default seed 5489 is the standard's reference stream;
  // seed 1's first outputs give the first atom placed (an O: O-O excludes most).
  std::mt19937_64 ref(1);
  const double fx = static_cast<double>(ref() >> 11) * 0x1.0p-53;
  const double fy = static_cast<double>(ref() >> 11) * 0x1.0p-53;
  const double fz = static_cast<double>(ref() >> 11) * 0x1.0p-53;
  EXPECT_EQ(s.species[4], "O");
  EXPECT_EQ(s.positions[4].x, fx * L);
  EXPECT_EQ(s.positions[4].y, fy * L);
  EXPECT_EQ(s.positions[4].z, fz * L);
  std::mt19937_64 standard;  // [rand.predef]: the 10000th output of default-seeded mt19937_64
  for (int i = 1; i < 10000; ++i) standard();
  EXPECT_EQ(standard(), 9981545732273789042ULL);
}

TEST(GlassBuilder, MinimumDistancesHoldOverAllPeriodicPairs) {
  const unsigned seed = fresh_seed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  struct Case {
    const char* composition;
    long atoms;
    double density;
    const char* min_dist;
  } cases[] = {
      {"B2O3:66.7,Li2O:33.3", 1000, 2.20, ""},   {"SiO2:20,B2O3:60,Li2O:20", 1000, 2.21, ""},
      {"B2O3:30,Li2O:70", 1000, 2.09, ""},       {"B2O3:100", 300, 1.84, "B-O:1.3,O-O:2.1"},
      {"SiO2:75,Na2O:15,CaO:10", 1500, 2.5, ""},
  };
  for (const auto& k : cases) {
    SCOPED_TRACE(k.composition);
    BuildOptions o;
    o.density = k.density;
    o.seed = seed;
    o.min_distances = parse_min_distances(k.min_dist);
    const Counts c = counts_for(k.composition, k.atoms);
    const Structure s = build_random_glass(c, o);
    const Closest cl = closest_pair(s, o.min_distances);
    EXPECT_GE(cl.ratio, 1.0) << s.species[cl.i] << "-" << s.species[cl.j] << " at " << cl.d;
    // Not trivially sparse either: some pair comes within 10 % of its minimum.
    EXPECT_LT(cl.ratio, 1.1);
  }
}

TEST(GlassBuilder, BoxFromDensityGroupingAndRange) {
  const unsigned seed = fresh_seed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  const Composition comp = parse_composition("SiO2:10,B2O3:50,Li2O:40");
  const UnitCounts u = formula_units(comp, 1000);
  BuildOptions o;
  o.density = 2.30;
  o.seed = seed;
  const Structure s = build_random_glass(u.atoms, o);
  ASSERT_EQ(s.size(), 1000u);
  const double L = s.cell.m[0][0];
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) EXPECT_EQ(s.cell.m[i][j], i == j ? L : 0.0);
  EXPECT_TRUE(s.pbc[0] && s.pbc[1] && s.pbc[2]);
  EXPECT_NEAR(mass_of(s), u.mass, 1e-8);
  const double density = mass_of(s) * units::kAmuPerA3ToGcm3 / (L * L * L);
  EXPECT_NEAR(density / 2.30 - 1.0, 0.0, 1e-12);
  // Grouped in composition element order, oxygen last.
  const std::vector<std::string> order = species_in_order(s);
  EXPECT_EQ(order, (std::vector<std::string>{"Si", "B", "Li", "O"}));
  std::map<std::string, long> n;
  for (std::size_t i = 0; i < s.size(); ++i) {
    ++n[s.species[i]];
    if (i > 0 && s.species[i] != s.species[i - 1]) {
      EXPECT_EQ(n[s.species[i]], 1) << "element " << s.species[i] << " appears in two groups";
    }
    for (int k = 0; k < 3; ++k) {
      EXPECT_GE(s.positions[i][k], 0.0);
      EXPECT_LT(s.positions[i][k], L);
    }
  }
  EXPECT_EQ(n, (std::map<std::string, long>{{"Si", 25}, {"B", 250}, {"Li", 200}, {"O", 525}}));
  EXPECT_TRUE(s.velocities.empty());
}

TEST(GlassBuilder, ImpossibleDensityFailsWithAdvice) {
  BuildOptions o;
  o.density = 4.0;
  o.seed = fresh_seed();
  o.max_trials = 20000;
  try {
    build_random_glass(counts_for("B2O3:30,Li2O:70", 1000), o);
    FAIL() << "4 g/cm3 should be impossible with the default minimum distances";
  } catch (const InputError& e) {
    const std::string msg = e.what();
    for (const char* part : {"could not place atom", "20000", "--density", "--min-dist",
                             "packing fraction", "O-O 2.00"})
      EXPECT_NE(msg.find(part), std::string::npos) << "missing " << part << " in " << msg;
  }
}

TEST(GlassBuilder, OtherInputErrors) {
  BuildOptions o;
  o.density = 2.2;
  EXPECT_THROW(build_random_glass({}, o), InputError);
  EXPECT_THROW(build_random_glass({{"B", 0}}, o), InputError);
  EXPECT_THROW(build_random_glass({{"Xx", 3}}, o), InputError);
  EXPECT_THROW(build_random_glass({{"B", 2}, {"B", 2}}, o), InputError);
  o.density = 0;
  EXPECT_THROW(build_random_glass({{"B", 2}, {"O", 3}}, o), InputError);
  // A box smaller than twice the largest minimum distance.
  o.density = 2.0;
  try {
    build_random_glass({{"B", 2}, {"O", 3}}, o);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("smaller than twice"), std::string::npos) << e.what();
  }
}

TEST(GlassBuilder, ReportsProgress) {
  double t = 0;
  std::ostringstream out;
  ProgressOptions po;
  po.delay_s = 0;
  po.unit = "atoms";
  Progress p(out, 299, po, false, [&] { return t += 0.001; });
  BuildOptions o;
  o.density = 2.2;
  o.seed = 7;
  o.progress = &p;
  build_random_glass(counts_for("B2O3:66.7,Li2O:33.3", 300), o);
  EXPECT_EQ(p.done(), 299);
}

TEST(GlassBuilder, ThreeThousandAtomsAtExperimentalDensities) {
  // The paper's largest size at the densest and the most Li-rich Table II glasses.
  const unsigned seed = fresh_seed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  for (auto [comp, rho] : {std::pair<const char*, double>{"SiO2:40,B2O3:20,Li2O:40", 2.34},
                           {"B2O3:30,Li2O:70", 2.09},
                           {"SiO2:10,B2O3:20,Li2O:70", 2.10}}) {
    BuildOptions o;
    o.density = rho * 1.1;  // with a 10 % margin
    o.seed = seed;
    const Structure s = build_random_glass(counts_for(comp, 3000), o);
    EXPECT_NEAR(double(s.size()), 3000.0, 5.0) << comp;
  }
}
