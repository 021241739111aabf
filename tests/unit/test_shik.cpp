// The SHIK force field (kernels/classical/shik_potential.hpp) on the CPU
// backend, and its parameter file (data/forcefields/shik.toml) with the
// loader (host/forcefield/shik_set.hpp):
//  - against a brute-force sum over all pairs and periodic images written
//    here from the formula of forcefield-sources.md §1.2 (random Li–B–Si–O
//    configurations in random triclinic cells, narrower than 2×10 Å),
//  - forces and virial against central finite differences of the energy,
//  - energy and force go smoothly to zero at both cutoffs,
//  - the shipped file: q_O of Li2B4O7, neutrality, the authors' B–O numbers,
//    errors naming a missing element, file and key,
//  - no Buckingham catastrophe: no maximum between 0.5 Å and the well.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "host/error.hpp"
#include "host/forcefield/shik_set.hpp"
#include "kernels/classical/shik_potential.hpp"
#include "tests/common/random_cells.hpp"
#include "tests/common/seed.hpp"
#include "tests/common/shik_cases.hpp"

using namespace vitra;
using test::fresh_seed;

namespace {

constexpr double kK = 14.399645;  // eV·Å
const std::string kShikFile = std::string(VITRA_SOURCE_DIR) + "/data/forcefields/shik.toml";

using Case = test::ShikCase;
using test::lbso_type_map;
using test::random_shik_case;
std::vector<ShikPairParams> spec_pairs() { return test::shik_spec_pairs(); }

System make_system(const Case& c) { return System(Box(c.h), lbso_type_map(), c.types, c.x); }

std::unique_ptr<ShikPotential> make_potential(const Case& c, double skin = 0.7) {
  ShikSettings st;
  st.skin = skin;
  return std::make_unique<ShikPotential>(c.q, spec_pairs(), st);
}

// The formula of forcefield-sources.md §1.2, written out here: energy and
// dE/dr of one pair at r (each part zero at and beyond its cutoff).
void shik_pair(double r, const ShikPairParams* p, double kqq, double& e, double& de) {
  const double rs = 8.0, rw = 10.0, g2 = 0.04;
  e = de = 0.0;
  if (p && r < rs) {
    auto V = [&](double x) { return p->A * std::exp(-p->B * x) - p->C / std::pow(x, 6) + p->D / std::pow(x, 24); };
    const double dV = -p->A * p->B * std::exp(-p->B * r) + 6 * p->C / std::pow(r, 7) - 24 * p->D / std::pow(r, 25);
    const double G = std::exp(-g2 / ((r - rs) * (r - rs)));
    const double dG = G * 2 * g2 / std::pow(r - rs, 3);
    e += (V(r) - V(rs)) * G;
    de += dV * G + (V(r) - V(rs)) * dG;
  }
  if (kqq != 0.0 && r < rw) {
    const double w = 1 / r - 1 / rw + (r - rw) / (rw * rw);
    const double dw = -1 / (r * r) + 1 / (rw * rw);
    const double G = std::exp(-g2 / ((r - rw) * (r - rw)));
    const double dG = G * 2 * g2 / std::pow(r - rw, 3);
    e += kqq * w * G;
    de += kqq * (dw * G + w * dG);
  }
}

struct Reference {
  double energy = 0.0;
  std::vector<Vec3> forces;
  Mat3 virial;
  std::vector<double> atom_energy;
};

Reference brute_force(const Case& c) {
  const std::size_t n = c.x.size();
  const std::vector<ShikPairParams> pairs = spec_pairs();
  const ShikPairParams* table[4][4] = {};
  for (const ShikPairParams& p : pairs) table[p.ti][p.tj] = table[p.tj][p.ti] = &p;
  Reference ref;
  ref.forces.assign(n, Vec3{});
  ref.atom_energy.assign(n, 0.0);
  const Box box(c.h);
  const Vec3 fd = box.face_distances();
  int nmax[3];
  for (int k = 0; k < 3; ++k) nmax[k] = static_cast<int>(std::ceil(10.0 / fd[k])) + 1;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i; j < n; ++j)
      for (int a = -nmax[0]; a <= nmax[0]; ++a)
        for (int b = -nmax[1]; b <= nmax[1]; ++b)
          for (int e = -nmax[2]; e <= nmax[2]; ++e) {
            if (i == j && (a < 0 || (a == 0 && (b < 0 || (b == 0 && e <= 0))))) continue;  // each self-image once
            const Vec3 r = c.x[j] - c.x[i] + box.shift(a, b, e);
            const double d = norm(r);
            if (d >= 10.0) continue;
            double en, de;
            shik_pair(d, table[c.types[i]][c.types[j]], kK * c.q[c.types[i]] * c.q[c.types[j]], en, de);
            ref.energy += en;
            ref.atom_energy[i] += 0.5 * en;
            ref.atom_energy[j] += 0.5 * en;
            const Vec3 g = (de / d) * r;  // dE/dr_ij
            ref.forces[i] += g;
            ref.forces[j] -= g;
            for (int p = 0; p < 3; ++p)
              for (int q = 0; q < 3; ++q) ref.virial.m[p][q] -= r[p] * g[q];
          }
  return ref;
}

double energy_of(System& s, Potential& p) { return p.compute(s, ComputeRequest{true, false}).energy; }

// Energy and force on atom 1 (along x) of a dimer of types (ta, tb) at distance d.
std::pair<double, double> dimer(ShikPotential& pot, int ta, int tb, double d) {
  System s(Box::orthorhombic(40, 40, 40), lbso_type_map(), {ta, tb}, {{1, 1, 1}, {1 + d, 1, 1}});
  const ComputeResult r = pot.compute(s, ComputeRequest{true, false});
  return {r.energy, s.host_forces()[1].x};
}

}  // namespace

TEST(Shik, MatchesBruteForceOverImages) {
  const auto seed = fresh_seed();
  SCOPED_TRACE(seed);
  std::mt19937_64 rng(seed);
  for (int trial = 0; trial < 4; ++trial) {
    const bool narrow = trial % 2 == 0;  // narrower than one Coulomb cutoff; else than two
    const Case c = random_shik_case(rng, narrow ? 6.0 : 12.0, narrow ? 9.0 : 16.0);
    System s = make_system(c);
    auto pot = make_potential(c);
    const ComputeResult r = pot->compute(s, ComputeRequest{true, true, true, false});
    const Reference ref = brute_force(c);
    double fscale = 0.0, escale = 0.0;
    for (const Vec3& f : ref.forces) fscale = std::max(fscale, norm(f));
    for (double e : ref.atom_energy) escale += std::fabs(e);
    EXPECT_NEAR(r.energy, ref.energy, 1e-10 * escale) << "trial " << trial;
    const std::vector<Vec3> f = s.host_forces();
    for (std::size_t i = 0; i < f.size(); ++i) EXPECT_LT(norm(f[i] - ref.forces[i]), 1e-10 * fscale) << i;
    for (int a = 0; a < 3; ++a)
      for (int b = 0; b < 3; ++b) EXPECT_NEAR(r.virial.m[a][b], ref.virial.m[a][b], 1e-10 * escale) << a << b;
    const std::vector<double> ae = pot->atom_energy().to_host();
    for (std::size_t i = 0; i < ae.size(); ++i) EXPECT_NEAR(ae[i], ref.atom_energy[i], 1e-10 * escale) << i;
  }
}

TEST(Shik, ForcesAndVirialAreDerivativesOfTheEnergy) {
  const auto seed = fresh_seed();
  SCOPED_TRACE(seed);
  std::mt19937_64 rng(seed);
  const Case c = random_shik_case(rng, 9.0, 11.0);
  System s = make_system(c);
  auto pot = make_potential(c);
  const ComputeResult r = pot->compute(s, ComputeRequest{true, true});
  const std::vector<Vec3> f = s.host_forces();
  const double h = 1e-5;
  std::vector<Vec3> x = c.x;
  for (std::size_t i = 0; i < x.size(); i += 5)
    for (int k = 0; k < 3; ++k) {
      x[i][k] += h;
      s.set_positions(x);
      const double ep = energy_of(s, *pot);
      x[i][k] -= 2 * h;
      s.set_positions(x);
      const double em = energy_of(s, *pot);
      x[i][k] += h;
      EXPECT_NEAR(f[i][k], -(ep - em) / (2 * h), 1e-6 * std::max(1.0, std::fabs(f[i][k]))) << i << k;
    }
  // dE/dε_ab = −W_ab under h' = h (I + ε), x' = x (I + ε).
  for (int a = 0; a < 3; ++a)
    for (int b = 0; b < 3; ++b) {
      double e[2];
      for (int sgn = 0; sgn < 2; ++sgn) {
        Mat3 d = Mat3::identity();
        d.m[a][b] += sgn == 0 ? h : -h;
        std::vector<Vec3> xs = c.x;
        for (Vec3& v : xs) v = v * d;
        System t(Box(c.h * d), s.type_map, c.types, xs);
        auto p2 = make_potential(c);
        e[sgn] = energy_of(t, *p2);
      }
      EXPECT_NEAR(-(e[0] - e[1]) / (2 * h), r.virial.m[a][b], 1e-5 * std::max(1.0, std::fabs(r.virial.m[a][b])))
          << a << b;
    }
}

// The radial derivative of a dimer near the smoothing region: the G′ term of
// the product rule matters there (dropping it breaks this by orders of magnitude).
TEST(Shik, DimerForceIsTheDerivativeInTheSmoothingRegion) {
  ShikPotential pot({-1.0, 1.6126, 1.7755, 0.5727}, spec_pairs());
  const double h = 1e-6;
  for (const double d : {7.5, 7.7, 7.85, 9.5, 9.7, 9.85}) {
    for (const auto& [ta, tb] : {std::pair{0, 0}, std::pair{2, 0}, std::pair{3, 1}}) {
      const double f = dimer(pot, ta, tb, d).second;
      const double fd = -(dimer(pot, ta, tb, d + h).first - dimer(pot, ta, tb, d - h).first) / (2 * h);
      EXPECT_NEAR(f, fd, 1e-7 + 1e-6 * std::fabs(f)) << d << " " << ta << tb;
    }
  }
}

TEST(Shik, EnergyAndForceGoSmoothlyToZeroAtBothCutoffs) {
  // Short range alone (no charges): O–O at 8 Å; Coulomb alone (no pairs): Si–O at 10 Å.
  ShikPotential sr({0.0, 0.0, 0.0, 0.0}, spec_pairs());
  ShikPotential coul({-0.88775, 1.6126, 1.7755, 0.5727}, {});
  EXPECT_DOUBLE_EQ(sr.cutoff(), 8.0);
  EXPECT_DOUBLE_EQ(coul.cutoff(), 10.0);
  struct Probe {
    ShikPotential* pot;
    int ta, tb;
    double rc;
  };
  for (const Probe& p : {Probe{&sr, 0, 0, 8.0}, Probe{&sr, 2, 0, 8.0}, Probe{&coul, 2, 0, 10.0}, Probe{&coul, 0, 0, 10.0}}) {
    SCOPED_TRACE("rc " + std::to_string(p.rc) + " types " + std::to_string(p.ta) + std::to_string(p.tb));
    // Closed form well inside.
    double e_ref, de_ref;
    const std::vector<ShikPairParams> pairs = spec_pairs();
    const ShikPairParams* prm = nullptr;
    for (const ShikPairParams& q : pairs)
      if ((q.ti == p.ta && q.tj == p.tb) || (q.ti == p.tb && q.tj == p.ta)) prm = &q;
    const double kqq = kK * p.pot->charges()[p.ta] * p.pot->charges()[p.tb];
    shik_pair(3.0, p.pot == &sr ? prm : nullptr, kqq, e_ref, de_ref);
    const auto [e3, f3] = dimer(*p.pot, p.ta, p.tb, 3.0);
    EXPECT_NEAR(e3, e_ref, 1e-12 * std::max(1.0, std::fabs(e_ref)));
    EXPECT_NEAR(f3, -de_ref, 1e-12 * std::max(1.0, std::fabs(de_ref)));
    // Just inside (G(rc − 0.05) = e⁻¹⁶): value, force and the force's slope
    // all tiny, and shrinking towards the cutoff.
    double last_e = 1e300, last_f = 1e300;
    for (const double delta : {0.05, 0.02, 0.01, 1e-3, 1e-6}) {
      const auto [e, f] = dimer(*p.pot, p.ta, p.tb, p.rc - delta);
      const double h = std::min(1e-4, delta / 10);
      const double slope = (dimer(*p.pot, p.ta, p.tb, p.rc - delta + h).second -
                            dimer(*p.pot, p.ta, p.tb, p.rc - delta - h).second) / (2 * h);
      EXPECT_LT(std::fabs(e), 1e-9) << delta;
      EXPECT_LT(std::fabs(f), 1e-8) << delta;
      EXPECT_LT(std::fabs(slope), 1e-5) << delta;
      EXPECT_LE(std::fabs(e), last_e);
      EXPECT_LE(std::fabs(f), last_f);
      last_e = std::fabs(e);
      last_f = std::fabs(f);
    }
    // At and beyond the cutoff: exactly zero.
    for (const double d : {p.rc, p.rc + 0.3}) {
      const auto [e, f] = dimer(*p.pot, p.ta, p.tb, d);
      EXPECT_EQ(e, 0.0) << d;
      EXPECT_EQ(f, 0.0) << d;
    }
  }
}

TEST(Shik, RejectsBadParameters) {
  EXPECT_THROW(ShikPotential({}, {}), std::invalid_argument);
  EXPECT_THROW(ShikPotential({1.0, -1.0}, {{0, 2, 1, 1, 1, 1}}), std::invalid_argument);
  EXPECT_THROW(ShikPotential({1.0, -1.0}, {{0, 1, 1, 1, 1, 1}, {1, 0, 1, 1, 1, 1}}), std::invalid_argument);
  EXPECT_THROW(ShikPotential({1.0, -1.0}, {{0, 1, 1, 0.0, 1, 1}}), std::invalid_argument);
  ShikSettings st;
  st.gamma_sr = -0.1;
  EXPECT_THROW(ShikPotential({1.0, -1.0}, {}, st), std::invalid_argument);
  ShikPotential none({0.0, 0.0}, {});
  EXPECT_EQ(none.cutoff(), 0.0);
  TypeMap tm;
  tm.names = {"O", "B"};
  tm.masses = {16, 10.8};
  System s(Box::orthorhombic(20, 20, 20), tm, {0, 1}, {{1, 1, 1}, {3, 1, 1}});
  EXPECT_THROW(none.compute(s), std::invalid_argument);
  EXPECT_EQ(none.name(), "shik");
}

TEST(ShikSet, ShippedFileLoadsWithTheSpecValues) {
  const ShikSet set = load_shik_set(kShikFile);
  EXPECT_EQ(set.name, "SHIK");
  EXPECT_EQ(set.rc_sr, 8.0);
  EXPECT_EQ(set.rc_coulomb, 10.0);
  EXPECT_EQ(set.gamma_sr, 0.2);
  EXPECT_EQ(set.gamma_coulomb, 0.2);
  EXPECT_EQ(set.coulomb_constant, 14.399645);
  EXPECT_EQ(set.neutralizing, "O");
  EXPECT_EQ(set.fixed_charges.at("Li"), 0.5727);
  EXPECT_EQ(set.fixed_charges.at("B"), 1.6126);
  EXPECT_EQ(set.fixed_charges.at("Si"), 1.7755);
  EXPECT_EQ(set.pairs.size(), 10u);
  EXPECT_EQ(set.publications.size(), 3u);
  // Every unordered pair of {O, B, Si, Li} once.
  const char* el[] = {"O", "B", "Si", "Li"};
  for (int a = 0; a < 4; ++a)
    for (int b = a; b < 4; ++b) EXPECT_NE(set.find_pair(el[a], el[b]), nullptr) << el[a] << "-" << el[b];
  // The authors' precise B–O numbers (S1), either order.
  const ShikSet::Pair* bo = set.find_pair("O", "B");
  ASSERT_NE(bo, nullptr);
  EXPECT_EQ(bo->A, 16182.14122);
  EXPECT_EQ(bo->B, 5.6068912);
  EXPECT_EQ(bo->C, 59.20266682);
  EXPECT_EQ(bo->D, 32.0);
  EXPECT_EQ(bo->status, "V");
  // All ten rows equal the spec's table (with the precise values where it has them).
  const std::vector<ShikPairParams> spec = spec_pairs();
  for (const ShikPairParams& p : spec) {
    const ShikSet::Pair* q = set.find_pair(lbso_type_map().names[p.ti], lbso_type_map().names[p.tj]);
    ASSERT_NE(q, nullptr);
    EXPECT_EQ(q->A, p.A);
    EXPECT_EQ(q->B, p.B);
    EXPECT_EQ(q->C, p.C);
    EXPECT_EQ(q->D, p.D);
  }
  EXPECT_EQ(set.find_pair("Li", "O")->status, "U");  // third-party only
  EXPECT_EQ(set.find_pair("B", "Si")->status, "U");
}

TEST(ShikSet, OxygenChargeOfLi2B4O7AndNeutrality) {
  const ShikSet set = load_shik_set(kShikFile);
  for (long long k : {1LL, 3LL, 37LL, 1000LL}) {
    const std::map<std::string, long long> counts = {{"Li", 2 * k}, {"B", 4 * k}, {"O", 7 * k}};
    const double q_o = shik_neutralizing_charge(set, counts);
    EXPECT_NEAR(q_o, -1.08511, 1e-5) << k;
    const double total = 2 * k * 0.5727 + 4 * k * 1.6126 + 7 * k * q_o;
    EXPECT_NEAR(total, 0.0, 1e-12 * 15 * k) << k;
  }
  // The spec's other systems: SiO2, B2O3, LBS 10/50/40 = (SiO2)10(B2O3)50(Li2O)40.
  EXPECT_NEAR(shik_neutralizing_charge(set, {{"Si", 1}, {"O", 2}}), -0.88775, 1e-5);
  EXPECT_NEAR(shik_neutralizing_charge(set, {{"B", 2}, {"O", 3}}), -1.07507, 1e-5);
  EXPECT_NEAR(shik_neutralizing_charge(set, {{"Si", 25}, {"B", 250}, {"Li", 200}, {"O", 525}}), -1.07062,
              1e-5);
  // Through a TypeMap and per-type counts; the potential built from it.
  TypeMap tm = lbso_type_map();
  const std::vector<long long> counts = {7 * 50, 4 * 50, 0, 2 * 50};
  const std::vector<double> q = shik_type_charges(set, tm, counts);
  double total = 0.0;
  for (int t = 0; t < 4; ++t) total += q[t] * counts[t];
  EXPECT_NEAR(total, 0.0, 1e-11);
  EXPECT_NEAR(q[0], -1.08511, 1e-5);
  auto pot = make_shik_potential(set, tm, counts, 0.5);
  EXPECT_EQ(pot->num_types(), 4);
  EXPECT_DOUBLE_EQ(pot->cutoff(), 10.0);
  EXPECT_EQ(pot->settings().skin, 0.5);
  EXPECT_EQ(pot->term(1, 0).A, 16182.14122);
  EXPECT_EQ(pot->term(0, 1).D, 32.0);
  EXPECT_DOUBLE_EQ(pot->term(0, 3).kqq, kK * q[0] * q[3]);
  EXPECT_EQ(count_types({0, 0, 3, 1, 0}, 4), (std::vector<long long>{3, 1, 0, 1}));
}

TEST(ShikSet, ErrorsNameTheElementFileAndKey) {
  const ShikSet set = load_shik_set(kShikFile);
  TypeMap tm;
  tm.names = {"O", "Na", "Si"};
  tm.masses = {15.999, 22.99, 28.085};
  try {
    make_shik_potential(set, tm, {2, 2, 1});
    FAIL() << "no error for Na";
  } catch (const InputError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("Na"), std::string::npos) << m;
    EXPECT_NE(m.find("shik.toml"), std::string::npos) << m;
  }
  EXPECT_THROW(shik_neutralizing_charge(set, {{"Ca", 1}, {"O", 1}}), InputError);
  EXPECT_THROW(shik_neutralizing_charge(set, {{"Si", 1}}), InputError);  // nothing to neutralize it
  EXPECT_THROW(load_shik_set("/nonexistent/shik.toml"), InputError);

  auto message_of = [](const std::string& text) {
    try {
      parse_shik_set(text, "bad.toml");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const std::string head =
      "[forcefield]\nname = \"x\"\nform = \"shik/wolf\"\n"
      "[cutoffs]\nshort_range = 8.0\ncoulomb = 10.0\ngamma_short_range = 0.2\ngamma_coulomb = 0.2\n"
      "coulomb_constant = 14.399645\n"
      "[charges]\nfixed = { Si = 1.7755 }\nneutralizing = \"O\"\n";
  const std::string row = "[[pairs]]\nelements = [\"Si\", \"O\"]\nA = 1.0\nB = 2.0\nC = 3.0\nD = 4\nstatus = \"V\"\n";
  EXPECT_NO_THROW(parse_shik_set(head + row, "ok.toml"));
  std::string m = message_of(head + "[[pairs]]\nelements = [\"Si\", \"O\"]\nA = 1.0\nC = 3.0\nD = 4\nstatus = \"V\"\n");
  EXPECT_NE(m.find("bad.toml"), std::string::npos) << m;
  EXPECT_NE(m.find("pairs[0].B"), std::string::npos) << m;
  m = message_of(head + row + row);
  EXPECT_NE(m.find("twice"), std::string::npos) << m;
  m = message_of(head + "[[pairs]]\nelements = [\"Li\", \"O\"]\nA = 1.0\nB = 2.0\nC = 3.0\nD = 4\nstatus = \"V\"\n");
  EXPECT_NE(m.find("Li"), std::string::npos) << m;
  m = message_of(head + row + "[[pairs]]\nelements = [\"O\", \"O\"]\nA = \"big\"\nB = 2.0\nC = 3.0\nD = 4\nstatus = \"V\"\n");
  EXPECT_NE(m.find("pairs[1].A"), std::string::npos) << m;
  std::string bad_k = head;
  bad_k.replace(bad_k.find("14.399645"), 9, "14.4");
  m = message_of(bad_k + row);
  EXPECT_NE(m.find("cutoffs.coulomb_constant"), std::string::npos) << m;
  m = message_of("[forcefield\n");
  EXPECT_NE(m.find("bad.toml:1"), std::string::npos) << m;
}

// With LB67 charges, each pair's total energy (short range + Wolf Coulomb)
// falls monotonically from 0.5 Å to its lowest point in [0.5, 4.5] Å: no
// spurious maximum in front of the well. The cation–O wells of the spec.
TEST(ShikSet, NoBuckinghamCatastropheWithLb67Charges) {
  const ShikSet set = load_shik_set(kShikFile);
  const TypeMap tm = lbso_type_map();
  const std::vector<long long> counts = {7, 4, 0, 2};  // Li2B4O7
  auto pot = make_shik_potential(set, tm, counts);
  for (int a = 0; a < 4; ++a)
    for (int b = a; b < 4; ++b) {
      SCOPED_TRACE(tm.names[a] + "-" + tm.names[b]);
      const shik::ShikTerm& t = pot->term(a, b);
      std::vector<double> e;
      for (int k = 0; k <= 4000; ++k) {
        const double r = 0.5 + 1e-3 * k;
        e.push_back(shik::evaluate(t, r * r).energy);
      }
      const std::size_t kmin = std::min_element(e.begin(), e.end()) - e.begin();
      for (std::size_t k = 1; k <= kmin; ++k) ASSERT_LT(e[k], e[k - 1]) << "at r = " << 0.5 + 1e-3 * k;
      const double rmin = 0.5 + 1e-3 * kmin;
      if (tm.names[a] == "O" || tm.names[b] == "O") {
        const std::string other = tm.names[a] == "O" ? tm.names[b] : tm.names[a];
        if (other == "B") {
          EXPECT_NEAR(rmin, 1.20, 0.006);
          EXPECT_NEAR(e[kmin], -16.3, 0.05);
        } else if (other == "Si") {
          EXPECT_NEAR(rmin, 1.41, 0.006);
          EXPECT_NEAR(e[kmin], -14.8, 0.05);
        } else if (other == "Li") {
          EXPECT_NEAR(rmin, 1.61, 0.006);
          EXPECT_NEAR(e[kmin], -3.8, 0.05);
        }
      }
    }
  // The r⁻²⁴ wall: the spec's short-range O–O energy, 13.3 eV at 1.5 Å and
  // 16836 eV at 1.0 Å, is V_SR(r) itself; E_SR = [V_SR(r) − V_SR(8)]·G(r; 8)
  // is smaller by the factor G(1.0; 8) = exp(−0.04/49) (16822.2 eV).
  const shik::ShikTerm& oo = pot->term(0, 0);
  EXPECT_NEAR(shik::short_range_raw(1.5, oo.A, oo.B, oo.C, oo.D).energy, 13.3, 0.05);
  EXPECT_NEAR(shik::short_range_raw(1.0, oo.A, oo.B, oo.C, oo.D).energy, 16836, 0.5);
  EXPECT_NEAR(shik::short_range(1.5, oo.A, oo.B, oo.C, oo.D, oo.v_rc, 8.0, 0.04).energy, 13.3, 0.05);
  EXPECT_NEAR(shik::short_range(1.0, oo.A, oo.B, oo.C, oo.D, oo.v_rc, 8.0, 0.04).energy,
              (16836.0 - oo.v_rc) * std::exp(-0.04 / 49.0), 0.5);
}
