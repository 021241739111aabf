// PairPotential (Lennard-Jones, Buckingham) on the CPU backend against
//  - a brute-force sum over unordered pairs of all atoms and all periodic
//    images (its own image enumeration, cutoff test, shift and accumulation;
//    only the per-pair formulas come from pair_math.hpp),
//  - central finite differences of its own energy: forces against atom
//    displacements, the virial against homogeneous strains of the cell,
//  - closed forms for a dimer (which check pair_math.hpp itself).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "kernels/pair/pair_potential.hpp"
#include "tests/common/seed.hpp"
#include "tests/common/random_cells.hpp"
#include "tests/common/random_system.hpp"

using namespace vitra;
using test::fresh_seed;
using pair::PairForm;

namespace {

constexpr int kTypes = 3;

// One unordered type pair as the test sees it.
struct Spec {
  PairForm form = PairForm::None;
  double p[3] = {0, 0, 0};  // LJ: ε, σ; Buckingham: A, ρ, C
  double rc = 0;
  bool shift = false;
};
using Table = std::vector<Spec>;  // [ti * kTypes + tj], symmetric

Spec& at(Table& t, int a, int b) { return t[a * kTypes + b]; }
const Spec& at(const Table& t, int a, int b) { return t[a * kTypes + b]; }

enum class Forms { LennardJones, Buckingham, Mixed };
enum class Shift { No, Yes, Mixed };

Table random_table(std::mt19937_64& rng, Forms forms, Shift shift) {
  std::uniform_real_distribution<double> U(0.0, 1.0);
  Table t(kTypes * kTypes);
  for (int a = 0; a < kTypes; ++a)
    for (int b = a; b < kTypes; ++b) {
      Spec s;
      const bool lj = forms == Forms::LennardJones || (forms == Forms::Mixed && U(rng) < 0.5);
      if (lj) {
        s.form = PairForm::LennardJones;
        s.p[0] = 0.02 + 0.3 * U(rng);
        s.p[1] = 1.8 + 0.5 * U(rng);
      } else {
        s.form = PairForm::Buckingham;
        s.p[0] = 500.0 + 2500.0 * U(rng);
        s.p[1] = 0.2 + 0.13 * U(rng);
        s.p[2] = 60.0 * U(rng);
      }
      s.rc = 4.0 + 2.0 * U(rng);
      s.shift = shift == Shift::Yes || (shift == Shift::Mixed && U(rng) < 0.5);
      at(t, a, b) = at(t, b, a) = s;
    }
  if (forms == Forms::Mixed) at(t, 0, 2) = at(t, 2, 0) = Spec{};  // one pair that does not interact
  return t;
}

void apply_table(PairPotential& pot, const Table& t) {
  for (int a = 0; a < kTypes; ++a)
    for (int b = a; b < kTypes; ++b) {
      const Spec& s = at(t, a, b);
      if (s.form == PairForm::LennardJones) pot.set_lennard_jones(a, b, s.p[0], s.p[1], s.rc, s.shift);
      if (s.form == PairForm::Buckingham) pot.set_buckingham(a, b, s.p[0], s.p[1], s.p[2], s.rc, s.shift);
    }
}

double max_rc(const Table& t) {
  double rc = 0;
  for (const Spec& s : t) rc = std::max(rc, s.rc);
  return rc;
}

// Energy and dE/dr of a pair at distance r < rc, shift applied here.
pair::PairEval pair_eval(const Spec& s, double r) {
  pair::PairTerm term;
  term.form = s.form;
  for (int k = 0; k < 3; ++k) term.p[k] = s.p[k];
  pair::PairEval e = pair::evaluate(term, r);
  if (s.shift) e.energy -= pair::evaluate(term, s.rc).energy;
  return e;
}

struct Config {
  Mat3 h;
  std::vector<int> types;
  std::vector<Vec3> x;
};

// Up to n atoms at least dmin apart (over images) in a random triclinic cell
// with lengths in [lmin, lmax]; positions up to `outside` cell fractions
// beyond the cell (the potential wraps them). Cells whose own lattice has a
// vector shorter than dmin are redrawn.
Config random_config(std::mt19937_64& rng, std::size_t n, double lmin, double lmax, double dmin,
                     double outside = 0.05) {
  Config c;
  for (;;) {
    c.h = test::randomly_rotated(rng, test::random_cell(rng, lmin, lmax, 0.3));
    double shortest = 1e300;
    for (int a = -2; a <= 2; ++a)
      for (int b = -2; b <= 2; ++b)
        for (int d = -2; d <= 2; ++d)
          if (a || b || d) shortest = std::min(shortest, norm(Vec3{double(a), double(b), double(d)} * c.h));
    if (shortest > dmin) break;
  }
  const Box box(c.h);
  std::uniform_real_distribution<double> U(-outside, 1.0 + outside);
  for (int attempt = 0; attempt < 200000 && c.x.size() < n; ++attempt) {
    const Vec3 r = Vec3{U(rng), U(rng), U(rng)} * c.h;
    bool ok = true;
    for (const Vec3& q : c.x) ok = ok && norm(box.minimum_image(r - q)) > dmin;
    if (ok) c.x.push_back(r);
  }
  for (std::size_t i = 0; i < c.x.size(); ++i) c.types.push_back(static_cast<int>(rng() % kTypes));
  return c;
}

struct Result {
  double energy = 0;
  Mat3 virial;
  std::vector<Vec3> forces;
  std::vector<double> atom_energy;  // N
  std::vector<double> atom_virial;  // 9N blocked
  // Magnitudes the rounding errors scale with (brute force only): sums of
  // |pair term| rather than the sums themselves, which may cancel to ~0
  // (a lone atom among its own images feels no force).
  double e_mag = 0, w_mag = 0;    // Σ |E_pair|, Σ |r_ij| |dE/dr|
  double f_mag = 0;               // max over atoms of Σ |dE/dr|
  double ae_mag = 0, aw_mag = 0;  // max over atoms of its halves
};

// Image shifts that can bring two atoms of c within `reach`: per axis
// |S_k| ≤ reach/D_k + span_k (D_k the face distance, span_k the fractional
// extent of the positions), plus one for margin.
void image_bounds(const Config& c, double reach, int bound[3]) {
  const Box box(c.h);
  const Vec3 D = box.face_distances();
  double smin[3] = {1e300, 1e300, 1e300}, smax[3] = {-1e300, -1e300, -1e300};
  for (const Vec3& p : c.x)
    for (int k = 0; k < 3; ++k) {
      smin[k] = std::min(smin[k], box.to_fractional(p)[k]);
      smax[k] = std::max(smax[k], box.to_fractional(p)[k]);
    }
  for (int k = 0; k < 3; ++k) bound[k] = static_cast<int>(std::floor(reach / D[k] + smax[k] - smin[k])) + 1;
}

// Every unordered pair {(i, 0), (j, S)} once: j > i with any S, and j == i
// with S > 0 lexicographically (S and -S give the same image pair).
Result brute_force(const Config& c, const Table& t) {
  const std::size_t n = c.x.size();
  const Box box(c.h);
  int bound[3];
  image_bounds(c, max_rc(t), bound);
  Result r;
  r.forces.assign(n, Vec3{});
  r.atom_energy.assign(n, 0.0);
  r.atom_virial.assign(9 * n, 0.0);
  std::vector<double> f_sum(n, 0.0), ae_sum(n, 0.0), aw_sum(n, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i; j < n; ++j)
      for (int sa = -bound[0]; sa <= bound[0]; ++sa)
        for (int sb = -bound[1]; sb <= bound[1]; ++sb)
          for (int sc = -bound[2]; sc <= bound[2]; ++sc) {
            if (i == j && !(sa > 0 || (sa == 0 && (sb > 0 || (sb == 0 && sc > 0))))) continue;
            const Spec& s = at(t, c.types[i], c.types[j]);
            if (s.form == PairForm::None) continue;
            const Vec3 rij = c.x[j] - c.x[i] + box.shift(sa, sb, sc);
            const double d = norm(rij);
            if (!(d < s.rc)) continue;
            const pair::PairEval e = pair_eval(s, d);
            const Vec3 g = (e.de_dr / d) * rij;  // dE/dr_ij
            r.energy += e.energy;
            r.e_mag += std::fabs(e.energy);
            r.w_mag += d * std::fabs(e.de_dr);
            f_sum[i] += std::fabs(e.de_dr);
            f_sum[j] += std::fabs(e.de_dr);
            ae_sum[i] += 0.5 * std::fabs(e.energy);
            ae_sum[j] += 0.5 * std::fabs(e.energy);
            aw_sum[i] += 0.5 * d * std::fabs(e.de_dr);
            aw_sum[j] += 0.5 * d * std::fabs(e.de_dr);
            r.atom_energy[i] += 0.5 * e.energy;
            r.atom_energy[j] += 0.5 * e.energy;
            r.forces[i] += g;  // F_i = -dE/dx_i = +dE/dr_ij
            r.forces[j] -= g;
            for (int a = 0; a < 3; ++a)
              for (int b = 0; b < 3; ++b) {
                const double w = -rij[a] * g[b];
                r.virial.m[a][b] += w;
                r.atom_virial[(3 * a + b) * n + i] += 0.5 * w;
                r.atom_virial[(3 * a + b) * n + j] += 0.5 * w;
              }
          }
  for (std::size_t i = 0; i < n; ++i) {
    r.f_mag = std::max(r.f_mag, f_sum[i]);
    r.ae_mag = std::max(r.ae_mag, ae_sum[i]);
    r.aw_mag = std::max(r.aw_mag, aw_sum[i]);
  }
  return r;
}

Result evaluate(PairPotential& pot, System& s) {
  ComputeRequest req;
  req.atom_energy = req.atom_virial = true;
  const ComputeResult cr = pot.compute(s, req);
  Result r;
  r.energy = cr.energy;
  r.virial = cr.virial;
  r.forces = s.host_forces();
  r.atom_energy = pot.atom_energy().to_host();
  r.atom_virial = pot.atom_virial().to_host();
  return r;
}

// Each quantity within rel × (its magnitude in the brute force) of it.
void expect_same(const Result& got, const Result& ref, double rel) {
  const std::size_t n = ref.forces.size();
  ASSERT_EQ(got.forces.size(), n);
  ASSERT_EQ(got.atom_energy.size(), n);
  ASSERT_EQ(got.atom_virial.size(), 9 * n);
  constexpr double tiny = 1e-300;  // both exactly 0 when nothing interacts
  EXPECT_NEAR(got.energy, ref.energy, rel * ref.e_mag + tiny);
  for (int a = 0; a < 3; ++a)
    for (int b = 0; b < 3; ++b) EXPECT_NEAR(got.virial.m[a][b], ref.virial.m[a][b], rel * ref.w_mag + tiny) << a << b;
  for (std::size_t i = 0; i < n; ++i)
    for (int k = 0; k < 3; ++k)
      ASSERT_NEAR(got.forces[i][k], ref.forces[i][k], rel * ref.f_mag + tiny) << "atom " << i;
  for (std::size_t i = 0; i < n; ++i)
    ASSERT_NEAR(got.atom_energy[i], ref.atom_energy[i], rel * ref.ae_mag + tiny) << "atom " << i;
  for (std::size_t k = 0; k < 9 * n; ++k)
    ASSERT_NEAR(got.atom_virial[k], ref.atom_virial[k], rel * ref.aw_mag + tiny) << "entry " << k;
}

System make_system(const Config& c) { return System(Box(c.h), test::lbo_type_map(), c.types, c.x); }

// Three kinds of cells: narrower than the cutoff (images of an atom itself
// interact), between 1 and 2 cutoffs, and a few cutoffs wide.
Config config_of_kind(std::mt19937_64& rng, int kind, double rc) {
  if (kind == 0) return random_config(rng, 1 + rng() % 6, 0.55 * rc, 0.95 * rc, 2.2);
  if (kind == 1) return random_config(rng, 60, 1.0 * rc, 2.0 * rc, 2.2);
  return random_config(rng, 150, 2.0 * rc, 2.6 * rc, 2.2);
}

void check_against_brute_force(Forms forms, Shift shift) {
  const auto seed = fresh_seed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  for (int rep = 0; rep < 6; ++rep) {
    SCOPED_TRACE("case " + std::to_string(rep));
    const Table t = random_table(rng, forms, shift);
    const Config c = config_of_kind(rng, rep % 3, max_rc(t));
    System s = make_system(c);
    PairPotential pot(kTypes);
    apply_table(pot, t);
    EXPECT_DOUBLE_EQ(pot.cutoff(), max_rc(t));
    expect_same(evaluate(pot, s), brute_force(c, t), 1e-10);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

// Moves every cutoff of the table off the pair distances of c by more than
// `gap`, so that a finite-difference step never carries a pair across rc
// (where the unshifted energy jumps and the force is discontinuous).
void keep_cutoffs_off_pairs(Table& t, const Config& c, double gap) {
  // Distances of every image pair within the largest cutoff (+ margin).
  const double reach = max_rc(t) + 0.5;
  const Box box(c.h);
  int bound[3];
  image_bounds(c, reach, bound);
  std::vector<double> dist;
  for (std::size_t i = 0; i < c.x.size(); ++i)
    for (std::size_t j = 0; j < c.x.size(); ++j)
      for (int sa = -bound[0]; sa <= bound[0]; ++sa)
        for (int sb = -bound[1]; sb <= bound[1]; ++sb)
          for (int sd = -bound[2]; sd <= bound[2]; ++sd) {
            const double d = norm(c.x[j] - c.x[i] + box.shift(sa, sb, sd));
            if (d > 0 && d < reach) dist.push_back(d);
          }
  std::sort(dist.begin(), dist.end());
  for (Spec& s : t) {
    if (s.form == PairForm::None) continue;
    for (;;) {
      const auto it = std::lower_bound(dist.begin(), dist.end(), s.rc - gap);
      if (it == dist.end() || *it > s.rc + gap) break;
      s.rc += 2.0 * gap;
    }
  }
}

double energy_at(PairPotential& pot, System& s, const Mat3& h, const std::vector<Vec3>& x) {
  s.box = Box(h);
  s.set_positions(x);
  ComputeRequest req;
  req.virial = false;
  return pot.compute(s, req).energy;
}

// Two cases per table, a cell narrower than the cutoff and one of 1-2
// cutoffs, kept small: 2 energies per coordinate and per strain component.
void check_finite_differences(Forms forms, Shift shift) {
  const auto seed = fresh_seed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  for (int rep = 0; rep < 2; ++rep) {
    SCOPED_TRACE("case " + std::to_string(rep));
    Table t = random_table(rng, forms, shift);
    const Config c0 = config_of_kind(rng, rep, max_rc(t));
    System s = make_system(c0);
    // Positions as the potential leaves them (wrapped), so that the energies
    // below reuse its list instead of rebuilding it.
    {
      PairPotential warm(kTypes);
      apply_table(warm, t);
      warm.compute(s);
    }
    Config c = c0;
    c.x = s.host_positions();
    keep_cutoffs_off_pairs(t, c, 3e-4);
    PairPotential pot(kTypes);
    apply_table(pot, t);
    const Result ref = evaluate(pot, s);
    const Result bf = brute_force(c, t);
    expect_same(ref, bf, 1e-10);

    // Tolerances: 1e-6 of the force (virial) magnitudes, plus the rounding
    // of the energy difference, ~1e-16·Σ|E_pair| / step.
    const double step = 1e-5;
    const double f_tol = 1e-6 * bf.f_mag + 1e-9 * std::max(bf.e_mag, 1.0);
    const double w_tol = 1e-6 * bf.w_mag + 1e-9 * std::max(bf.e_mag, 1.0);
    for (std::size_t i = 0; i < c.x.size(); ++i)
      for (int k = 0; k < 3; ++k) {
        std::vector<Vec3> xp = c.x, xm = c.x;
        xp[i][k] += step;
        xm[i][k] -= step;
        const double fd = -(energy_at(pot, s, c.h, xp) - energy_at(pot, s, c.h, xm)) / (2 * step);
        ASSERT_NEAR(ref.forces[i][k], fd, f_tol) << "atom " << i << " component " << k;
      }

    // h' = h (I + ε), r' = r (I + ε): dE/dε_ab = Σ_pairs (r_ij)_a (dE/dr_ij)_b = -W_ab.
    for (int a = 0; a < 3; ++a)
      for (int b = 0; b < 3; ++b) {
        double de[2];
        for (int sign = 0; sign < 2; ++sign) {
          Mat3 strain = Mat3::identity();
          strain.m[a][b] += sign == 0 ? step : -step;
          std::vector<Vec3> x = c.x;
          for (Vec3& r : x) r = r * strain;
          de[sign] = energy_at(pot, s, c.h * strain, x);
        }
        const double dE_deps = (de[0] - de[1]) / (2 * step);
        EXPECT_NEAR(ref.virial.m[a][b], -dE_deps, w_tol) << "component " << a << b;
      }
    EXPECT_EQ(pot.neighbor_list().stats().builds, 1);  // all those energies on one list
    if (::testing::Test::HasFatalFailure()) return;
  }
}

}  // namespace

TEST(PairPotential, LennardJonesMatchesBruteForce) { check_against_brute_force(Forms::LennardJones, Shift::No); }
TEST(PairPotential, ShiftedLennardJonesMatchesBruteForce) {
  check_against_brute_force(Forms::LennardJones, Shift::Yes);
}
TEST(PairPotential, BuckinghamMatchesBruteForce) { check_against_brute_force(Forms::Buckingham, Shift::No); }
TEST(PairPotential, ShiftedBuckinghamMatchesBruteForce) { check_against_brute_force(Forms::Buckingham, Shift::Yes); }
TEST(PairPotential, MixedFormsAndShiftsMatchBruteForce) { check_against_brute_force(Forms::Mixed, Shift::Mixed); }

TEST(PairPotential, LennardJonesForcesAndVirialMatchFiniteDifferences) {
  check_finite_differences(Forms::LennardJones, Shift::No);
}
TEST(PairPotential, ShiftedLennardJonesForcesAndVirialMatchFiniteDifferences) {
  check_finite_differences(Forms::LennardJones, Shift::Yes);
}
TEST(PairPotential, BuckinghamForcesAndVirialMatchFiniteDifferences) {
  check_finite_differences(Forms::Buckingham, Shift::No);
}
TEST(PairPotential, ShiftedBuckinghamForcesAndVirialMatchFiniteDifferences) {
  check_finite_differences(Forms::Buckingham, Shift::Yes);
}
TEST(PairPotential, MixedForcesAndVirialMatchFiniteDifferences) {
  check_finite_differences(Forms::Mixed, Shift::Mixed);
}

// Small moves reuse the list (no rebuild), large ones rebuild it; both stay
// equal to the brute force.
TEST(PairPotential, RepeatedComputeWithAndWithoutRebuildMatchesBruteForce) {
  const auto seed = fresh_seed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  const Table t = random_table(rng, Forms::Mixed, Shift::Mixed);
  Config c = random_config(rng, 80, 1.2 * max_rc(t), 2.0 * max_rc(t), 2.2);
  System s = make_system(c);
  PairPotential pot(kTypes, 1.0);
  apply_table(pot, t);
  expect_same(evaluate(pot, s), brute_force(c, t), 1e-10);
  EXPECT_EQ(pot.neighbor_list().stats().builds, 1);

  // Every atom moves by 0.2 Å (2·0.2 < skin): the list stays.
  std::normal_distribution<double> g(0.0, 1.0);
  c.x = s.host_positions();
  for (Vec3& r : c.x) {
    const Vec3 u{g(rng), g(rng), g(rng)};
    r += (0.2 / norm(u)) * u;
  }
  s.set_positions(c.x);
  expect_same(evaluate(pot, s), brute_force(c, t), 1e-10);
  EXPECT_EQ(pot.neighbor_list().stats().builds, 1);

  // New positions everywhere in the cell: the list is rebuilt.
  std::uniform_real_distribution<double> U(0.0, 1.0);
  const Box box(c.h);
  std::vector<Vec3> x;
  while (x.size() < c.types.size()) {
    const Vec3 r = Vec3{U(rng), U(rng), U(rng)} * c.h;
    bool ok = true;
    for (const Vec3& q : x) ok = ok && norm(box.minimum_image(r - q)) > 2.0;
    if (ok) x.push_back(r);
  }
  c.x = x;
  s.set_positions(c.x);
  expect_same(evaluate(pot, s), brute_force(c, t), 1e-10);
  EXPECT_EQ(pot.neighbor_list().stats().builds, 2);
}

// Closed forms for a dimer in a cell far larger than the cutoff.
TEST(PairPotential, DimerClosedForms) {
  const Box box = Box::orthorhombic(40, 40, 40);
  TypeMap tm;
  tm.names = {"A", "B"};
  tm.masses = {1.0, 1.0};
  const double eps = 0.15, sigma = 2.1, rc = 7.0;
  {
    PairPotential pot(2);
    pot.set_lennard_jones(0, 1, eps, sigma, rc);
    const double rmin = std::pow(2.0, 1.0 / 6.0) * sigma;
    System s(box, tm, {0, 1}, {Vec3{5, 5, 5}, Vec3{5 + rmin, 5, 5}});
    const ComputeResult r = pot.compute(s);
    EXPECT_NEAR(r.energy, -eps, 1e-14);
    for (const Vec3& f : s.host_forces()) EXPECT_NEAR(norm(f), 0.0, 1e-13);
  }
  for (bool shift : {false, true}) {
    const double A = 1388.77, rho = 0.3623, C = 175.0, d = 2.7;
    PairPotential pot(2);
    pot.set_buckingham(1, 0, A, rho, C, rc, shift);
    EXPECT_EQ(pot.term(0, 1).form, PairForm::Buckingham);
    EXPECT_EQ(pot.term(1, 1).form, PairForm::None);
    const Vec3 dir = (1.0 / std::sqrt(3.0)) * Vec3{1, 1, 1};
    System s(box, tm, {0, 1}, {Vec3{10, 10, 10}, Vec3{10, 10, 10} + d * dir});
    const ComputeResult r = pot.compute(s);
    const double e_shift = shift ? A * std::exp(-rc / rho) - C / std::pow(rc, 6) : 0.0;
    const double e = A * std::exp(-d / rho) - C / std::pow(d, 6);
    const double de_dr = -A / rho * std::exp(-d / rho) + 6 * C / std::pow(d, 7);
    EXPECT_NEAR(r.energy, e - e_shift, 1e-12);
    const auto f = s.host_forces();
    for (int k = 0; k < 3; ++k) {
      EXPECT_NEAR(f[0][k], de_dr * dir[k], 1e-12);  // attracted towards / pushed from atom 1
      EXPECT_NEAR(f[1][k], -de_dr * dir[k], 1e-12);
    }
    // W = -r ⊗ dE/dr = -de_dr · d · dir ⊗ dir
    for (int a = 0; a < 3; ++a)
      for (int b = 0; b < 3; ++b) EXPECT_NEAR(r.virial.m[a][b], -de_dr * d * dir[a] * dir[b], 1e-12);
  }
}

// The energy of a shifted pair goes to zero at rc; the forces do not change.
TEST(PairPotential, ShiftMakesTheEnergyVanishAtTheCutoff) {
  const Box box = Box::orthorhombic(30, 30, 30);
  TypeMap tm;
  tm.names = {"A"};
  tm.masses = {1.0};
  const double rc = 5.0;
  PairPotential plain(1), shifted(1);
  plain.set_lennard_jones(0, 0, 0.2, 2.0, rc, false);
  shifted.set_lennard_jones(0, 0, 0.2, 2.0, rc, true);
  // |dE/dr| ≈ 4e-3 eV/Å at rc: 1e-12 Å inside, the shifted energy is ~4e-15 eV.
  System s(box, tm, {0, 0}, {Vec3{1, 1, 1}, Vec3{1 + rc - 1e-12, 1, 1}});
  EXPECT_NEAR(shifted.compute(s).energy, 0.0, 1e-13);
  const auto fs = s.host_forces();
  EXPECT_LT(plain.compute(s).energy, -1e-4);
  const auto fp = s.host_forces();
  for (int i = 0; i < 2; ++i)
    for (int k = 0; k < 3; ++k) EXPECT_EQ(fs[i][k], fp[i][k]);
  // Beyond rc: nothing.
  s.set_positions({Vec3{1, 1, 1}, Vec3{1 + rc + 1e-9, 1, 1}});
  EXPECT_EQ(shifted.compute(s).energy, 0.0);
  for (const Vec3& f : s.host_forces()) EXPECT_EQ(norm(f), 0.0);
}

// Forces alone need no reduction: the same forces, no energy; per-atom
// arrays sum to the totals.
TEST(PairPotential, RequestsSelectWhatIsComputed) {
  const auto seed = fresh_seed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  const Table t = random_table(rng, Forms::Mixed, Shift::No);
  const Config c = random_config(rng, 60, 1.2 * max_rc(t), 1.8 * max_rc(t), 2.2);
  System s = make_system(c);
  PairPotential pot(kTypes);
  apply_table(pot, t);
  const Result full = evaluate(pot, s);
  ComputeRequest forces_only;
  forces_only.energy = forces_only.virial = false;
  const ComputeResult r = pot.compute(s, forces_only);
  EXPECT_EQ(r.energy, 0.0);
  const auto f = s.host_forces();
  for (std::size_t i = 0; i < f.size(); ++i)
    for (int k = 0; k < 3; ++k) EXPECT_EQ(f[i][k], full.forces[i][k]);
  double e = 0, w[9] = {};
  const std::size_t n = full.atom_energy.size();
  for (std::size_t i = 0; i < n; ++i) {
    e += full.atom_energy[i];
    for (int q = 0; q < 9; ++q) w[q] += full.atom_virial[q * n + i];
  }
  EXPECT_NEAR(e, full.energy, 1e-10 * std::max(1.0, std::fabs(full.energy)));
  for (int q = 0; q < 9; ++q) EXPECT_NEAR(w[q], full.virial.m[q / 3][q % 3], 1e-10 * std::max(1.0, std::fabs(w[q])));
}

TEST(PairPotential, SystemWithMoreTypesThanTheTableThrows) {
  std::mt19937_64 rng(fresh_seed());
  System s = test::random_system(rng, 50);  // three types: O, B, Li
  PairPotential pot(2);
  pot.set_lennard_jones(0, 1, 0.1, 2.0, 5.0);
  try {
    pot.compute(s);
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("3 atom types"), std::string::npos) << e.what();
  }
}

TEST(PairPotential, BadParametersThrow) {
  EXPECT_THROW(PairPotential(0), std::invalid_argument);
  EXPECT_THROW(PairPotential(2, -1.0), std::invalid_argument);
  PairPotential pot(2);
  EXPECT_THROW(pot.set_lennard_jones(0, 2, 0.1, 2.0, 5.0), std::invalid_argument);
  EXPECT_THROW(pot.set_lennard_jones(-1, 0, 0.1, 2.0, 5.0), std::invalid_argument);
  EXPECT_THROW(pot.set_lennard_jones(0, 1, 0.1, 0.0, 5.0), std::invalid_argument);
  EXPECT_THROW(pot.set_lennard_jones(0, 1, 0.1, 2.0, -5.0), std::invalid_argument);
  EXPECT_THROW(pot.set_buckingham(0, 1, 1000, 0.0, 10, 5.0), std::invalid_argument);
  EXPECT_THROW(pot.set_buckingham(0, 1, NAN, 0.3, 10, 5.0), std::invalid_argument);
  EXPECT_THROW(pot.neighbor_list(), std::logic_error);
  std::mt19937_64 rng(fresh_seed());
  System s = test::random_system(rng, 10);
  PairPotential none(3);
  EXPECT_THROW(none.compute(s), std::invalid_argument);  // no pair set
  EXPECT_EQ(none.cutoff(), 0.0);
  none.set_lennard_jones(0, 0, 0.1, 2.0, 4.0);
  none.set_buckingham(1, 2, 1000, 0.3, 10, 5.5);
  EXPECT_EQ(none.cutoff(), 5.5);
  none.clear_pair(2, 1);
  EXPECT_EQ(none.cutoff(), 4.0);
}
