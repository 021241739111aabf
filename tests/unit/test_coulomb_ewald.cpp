// Ewald summation for Coulomb between fixed charges (real space in the pair
// table, reciprocal space in ewald_reciprocal.cu), CPU backend:
//  - the Madelung energy of rock salt in its conventional cell, a 2×2×2
//    supercell and the rhombohedral primitive cell (rotated, so a general
//    triclinic cell);
//  - the total energy does not depend on the splitting α (neutral and
//    charged systems in random triclinic cells);
//  - forces and virial are derivatives of the energy; per-atom energies and
//    virials sum to the totals;
//  - the force error of damped shifted force Coulomb (α 0.25 Å⁻¹, 10 Å)
//    against Ewald on a glass-like Li–B–O system, printed and bounded.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

#include "kernels/pair/ewald_reciprocal.hpp"
#include "kernels/pair/pair_potential.hpp"
#include "tests/common/random_cells.hpp"
#include "tests/common/seed.hpp"

using namespace vitra;
using test::fresh_seed;

namespace {

constexpr double kK = 14.399645;               // eV·Å, e²/(4πε₀)
constexpr double kMadelungNaCl = 1.747564594633;  // rock salt, per ion pair, nearest-neighbour distance
const std::vector<double> kCharges = {-1.2, 1.8, 0.6};  // O, B, Li

struct Case {
  Mat3 h;
  std::vector<int> types;
  std::vector<Vec3> x;
};

TypeMap type_map(int ntypes) {
  TypeMap tm;
  if (ntypes == 2) {
    tm.names = {"Na", "Cl"};
    tm.masses = {22.99, 35.45};
  } else {
    tm.names = {"O", "B", "Li"};
    tm.masses = {15.999, 10.81, 6.94};
  }
  return tm;
}

System make_system(const Case& c, int ntypes = 3) { return System(Box(c.h), type_map(ntypes), c.types, c.x); }

// Ewald Coulomb alone (no short-range terms) from a target accuracy.
std::unique_ptr<PairPotential> ewald_potential(const std::vector<double>& q, double rc, double accuracy,
                                               double alpha = 0.0) {
  const pair::EwaldParameters e = pair::ewald_parameters(accuracy, rc, alpha);
  auto p = std::make_unique<PairPotential>(static_cast<int>(q.size()), 0.5);
  p->set_coulomb_ewald(q, e.alpha, e.rc, e.kcut);
  return p;
}

// Rock salt: Na (type 0, +1) on an fcc lattice, Cl (type 1, −1) shifted by a/2 x.
Case rock_salt_conventional(double a, int rep) {
  Case c;
  const double fcc[4][3] = {{0, 0, 0}, {0, 0.5, 0.5}, {0.5, 0, 0.5}, {0.5, 0.5, 0}};
  for (int i = 0; i < rep; ++i)
    for (int j = 0; j < rep; ++j)
      for (int k = 0; k < rep; ++k)
        for (const auto& f : fcc)
          for (int t = 0; t < 2; ++t) {
            c.x.push_back(Vec3{(i + f[0] + 0.5 * t) * a, (j + f[1]) * a, (k + f[2]) * a});
            c.types.push_back(t);
          }
  c.h = Mat3::identity();
  for (int k = 0; k < 3; ++k) c.h.m[k][k] = rep * a;
  return c;
}

// Atoms on a jittered grid of ~spacing Å in a random cell, charge neutral:
// whole B2O3 and Li2O units on randomly chosen sites (plus `extra` Li when
// a net charge is wanted).
Case random_neutral_case(std::mt19937_64& rng, double lmin, double lmax, double spacing, double jitter,
                         int extra = 0) {
  Case c;
  c.h = test::randomly_rotated(rng, test::random_cell(rng, lmin, lmax, 0.25));
  std::vector<Vec3> sites = test::jittered_grid(rng, c.h, spacing, jitter);
  std::shuffle(sites.begin(), sites.end(), rng);
  const std::size_t free_sites = sites.size() - extra;
  for (;;) {
    const bool borate = rng() % 2 == 0;
    if (c.types.size() + 5 <= free_sites && borate) {
      c.types.insert(c.types.end(), {1, 1, 0, 0, 0});
    } else if (c.types.size() + 3 <= free_sites) {
      c.types.insert(c.types.end(), {2, 2, 0});
    } else {
      break;
    }
  }
  for (int e = 0; e < extra; ++e) c.types.push_back(2);
  std::shuffle(c.types.begin(), c.types.end(), rng);
  c.x.assign(sites.begin(), sites.begin() + c.types.size());
  return c;
}

// A charge-ordered LiBO2-like structure: a jittered simple-cubic-like grid
// (even number of sites along each cell vector) with O on the sites of even
// parity and B and Li, half each, on the odd ones; neutral, every cation
// surrounded by oxygen as in an oxide glass.
Case random_ordered_case(std::mt19937_64& rng, double lmin, double lmax, double spacing, double jitter) {
  Case c;
  c.h = test::randomly_rotated(rng, test::random_cell(rng, lmin, lmax, 0.15));
  const Vec3 d = Box(c.h).face_distances();
  int m[3];
  for (int k = 0; k < 3; ++k) m[k] = std::max(2, 2 * static_cast<int>(d[k] / (2 * spacing)));
  std::uniform_real_distribution<double> j(-jitter, jitter);
  std::vector<int> cations;
  for (int a = 0; a < m[0]; ++a)
    for (int b = 0; b < m[1]; ++b)
      for (int e = 0; e < m[2]; ++e) {
        c.x.push_back(Vec3{(a + 0.5 + j(rng)) / m[0], (b + 0.5 + j(rng)) / m[1], (e + 0.5 + j(rng)) / m[2]} * c.h);
        c.types.push_back((a + b + e) % 2 == 0 ? 0 : -1);
        if (c.types.back() < 0) cations.push_back(static_cast<int>(cations.size() % 2 == 0 ? 1 : 2));
      }
  std::shuffle(cations.begin(), cations.end(), rng);
  std::size_t next = 0;
  for (int& t : c.types)
    if (t < 0) t = cations[next++];
  return c;
}

double energy_of(System& s, PairPotential& p) { return p.compute(s, ComputeRequest{true, false}).energy; }

}  // namespace

TEST(CoulombEwald, MadelungEnergyOfRockSalt) {
  const double a = 5.64;
  const double expected = -kK * kMadelungNaCl / (a / 2);  // eV per ion pair
  const std::vector<double> q = {1.0, -1.0};
  for (int rep : {1, 2}) {
    const Case c = rock_salt_conventional(a, rep);
    System s = make_system(c, 2);
    auto pot = ewald_potential(q, 8.0, 1e-10);
    const double e = energy_of(s, *pot) / (c.x.size() / 2);
    std::printf("rock salt %dx%dx%d conventional: %.10f eV per ion pair, Madelung constant %.10f\n", rep, rep, rep, e,
                -e * (a / 2) / kK);
    EXPECT_NEAR(e, expected, 1e-7 * std::fabs(expected)) << rep;
    const std::vector<Vec3> f = s.host_forces();
    for (const Vec3& fi : f) EXPECT_LT(norm(fi), 1e-6);  // every ion sits at a centre of symmetry
  }
  // The rhombohedral primitive cell, randomly rotated: a general triclinic cell.
  std::mt19937_64 rng(fresh_seed());
  Case c;
  c.h = test::randomly_rotated(
      rng, Mat3::from_rows(Vec3{0, a / 2, a / 2}, Vec3{a / 2, 0, a / 2}, Vec3{a / 2, a / 2, 0}));
  c.types = {0, 1};
  c.x = {Vec3{0.1, 0.2, 0.3} * c.h, Vec3{0.6, 0.7, 0.8} * c.h};  // Cl at (½,½,½) of the cell from Na
  System s = make_system(c, 2);
  auto pot = ewald_potential(q, 8.0, 1e-10);
  const double e = energy_of(s, *pot);
  std::printf("rock salt primitive (rhombohedral) cell: %.10f eV per ion pair, %zu k-vectors\n", e,
              pot->ewald().num_kvectors());
  EXPECT_NEAR(e, expected, 1e-7 * std::fabs(expected));
}

TEST(CoulombEwald, EnergyDoesNotDependOnAlpha) {
  const auto seed = fresh_seed();
  SCOPED_TRACE(seed);
  std::mt19937_64 rng(seed);
  for (int extra : {0, 3}) {  // neutral, then a net charge +1.8 e with its background
    const Case c = random_neutral_case(rng, 11.0, 14.0, 2.3, 0.15, extra);
    System s = make_system(c);
    auto p1 = ewald_potential(kCharges, 8.0, 1e-10);
    auto p2 = ewald_potential(kCharges, 11.0, 1e-10);
    const double e1 = energy_of(s, *p1), e2 = energy_of(s, *p2);
    std::printf("%zu atoms, net charge %.1f e: E = %.10f (alpha %.4f) vs %.10f (alpha %.4f)\n", c.x.size(),
                0.6 * extra, e1, pair::ewald_parameters(1e-10, 8.0).alpha, e2,
                pair::ewald_parameters(1e-10, 11.0).alpha);
    EXPECT_NEAR(e1, e2, 1e-8 * std::fabs(e1)) << "extra " << extra;
    // Forces agree too.
    p1->compute(s, ComputeRequest{false, false});
    const std::vector<Vec3> f1 = s.host_forces();
    p2->compute(s, ComputeRequest{false, false});
    const std::vector<Vec3> f2 = s.host_forces();
    double scale = 0.0;
    for (const Vec3& f : f1) scale = std::max(scale, norm(f));
    for (std::size_t i = 0; i < f1.size(); ++i) EXPECT_LT(norm(f1[i] - f2[i]), 1e-7 * scale) << i;
  }
}

TEST(CoulombEwald, ForcesAndVirialAreDerivativesOfTheEnergy) {
  const auto seed = fresh_seed();
  SCOPED_TRACE(seed);
  std::mt19937_64 rng(seed);
  for (int extra : {0, 1}) {
    const Case c = random_neutral_case(rng, 9.0, 11.0, 2.3, 0.15, extra);
    System s = make_system(c);
    // With a short-range term, so the merged table is exercised too.
    auto make = [] {
      auto p = ewald_potential(kCharges, 7.0, 1e-12);
      p->set_buckingham(0, 1, 1500.0, 0.25, 5.0, 5.0, false);
      return p;
    };
    auto pot = make();
    const ComputeResult r = pot->compute(s, ComputeRequest{true, true, true, true});
    const std::vector<Vec3> f = s.host_forces();
    double fscale = 0.0, wscale = 0.0;
    for (const Vec3& fi : f) fscale = std::max(fscale, norm(fi));
    for (int a = 0; a < 3; ++a)
      for (int b = 0; b < 3; ++b) wscale = std::max(wscale, std::fabs(r.virial.m[a][b]));
    // Per-atom arrays sum to the totals.
    const std::vector<double> ae = pot->atom_energy().to_host();
    const std::vector<double> aw = pot->atom_virial().to_host();
    double esum = 0.0;
    for (double e : ae) esum += e;
    EXPECT_NEAR(esum, r.energy, 1e-12 * std::fabs(r.energy));
    const std::size_t n = c.x.size();
    for (int k = 0; k < 9; ++k) {
      double w = 0.0;
      for (std::size_t i = 0; i < n; ++i) w += aw[k * n + i];
      EXPECT_NEAR(w, r.virial.m[k / 3][k % 3], 1e-10 * wscale) << k;
    }
    const double h = 1e-5;
    std::vector<Vec3> x = c.x;
    for (std::size_t i = 0; i < n; i += 5)
      for (int k = 0; k < 3; ++k) {
        x[i][k] += h;
        s.set_positions(x);
        const double ep = energy_of(s, *pot);
        x[i][k] -= 2 * h;
        s.set_positions(x);
        const double em = energy_of(s, *pot);
        x[i][k] += h;
        EXPECT_NEAR(f[i][k], -(ep - em) / (2 * h), 1e-6 * fscale) << i << k;
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
          auto p2 = make();
          e[sgn] = energy_of(t, *p2);
        }
        EXPECT_NEAR(-(e[0] - e[1]) / (2 * h), r.virial.m[a][b], 1e-6 * wscale) << a << b << " extra " << extra;
      }
  }
}

// RMS relative force error sqrt(Σ|F_dsf − F_ewald|² / Σ|F_ewald|²) of DSF
// (α 0.25 Å⁻¹, 10 Å) on the case, printed.
double dsf_force_error(const Case& c, const char* what) {
  System s = make_system(c);
  auto ew = ewald_potential(kCharges, 10.0, 1e-8);
  const ComputeResult re = ew->compute(s, ComputeRequest{true, false});
  const std::vector<Vec3> fe = s.host_forces();
  PairPotential dsf(3, 0.5);
  dsf.set_coulomb_dsf(kCharges, 0.25, 10.0);
  const ComputeResult rd = dsf.compute(s, ComputeRequest{true, false});
  const std::vector<Vec3> fd = s.host_forces();
  double num = 0.0, den = 0.0, worst = 0.0, fmax = 0.0;
  for (std::size_t i = 0; i < fe.size(); ++i) {
    num += norm2(fd[i] - fe[i]);
    den += norm2(fe[i]);
    worst = std::max(worst, norm(fd[i] - fe[i]));
    fmax = std::max(fmax, norm(fe[i]));
  }
  const double rms_rel = std::sqrt(num / den);
  std::printf("DSF (alpha 0.25, rc 10) vs Ewald, %s, %zu atoms: RMS relative force error %.3e "
              "(RMS error %.3f of RMS force %.3f eV/A), largest error %.3f eV/A (largest force %.3f eV/A); "
              "energy per atom %.6f vs %.6f eV\n",
              what, fe.size(), rms_rel, std::sqrt(num / fe.size()), std::sqrt(den / fe.size()), worst, fmax,
              rd.energy / fe.size(), re.energy / fe.size());
  return rms_rel;
}

// What DSF does on unrelaxed synthetic structures (measured: RMS relative
// force error 0.3-0.4 on both): Coulomb alone, without the short-range
// repulsion that balances it in a real glass, the forces are what is left of
// large cancellations (a displaced ion in a perfect ionic crystal feels no
// harmonic Coulomb force), and random B/Li placement leaves unscreened
// charge fluctuations, the case DSF's premise excludes. The bound documents
// this; a relaxed glass (not built here) is where DSF's few-per-cent figure
// of Fennell & Gezelter would be measured.
TEST(CoulombEwald, DsfForceErrorOnAGlassLikeSystem) {
  const auto seed = fresh_seed();
  SCOPED_TRACE(seed);
  std::mt19937_64 rng(seed);
  // Charge ordered like an oxide (LiBO2-like, ~2 Å cation–oxygen distance).
  EXPECT_LT(dsf_force_error(random_ordered_case(rng, 19.0, 21.0, 2.0, 0.2), "charge-ordered LiBO2-like"), 0.6);
  // Types placed at random (no screening at all).
  EXPECT_LT(dsf_force_error(random_neutral_case(rng, 19.0, 21.0, 2.1, 0.3), "types at random"), 0.6);
}

TEST(CoulombEwald, Parameters) {
  const pair::EwaldParameters p = pair::ewald_parameters(1e-6, 10.0);
  EXPECT_NEAR(std::erfc(p.alpha * p.rc) * p.alpha * p.rc * std::sqrt(M_PI), 1e-6, 2e-7);  // erfc(x) ~ e^{-x²}/(x√π)
  EXPECT_NEAR(std::exp(-p.kcut * p.kcut / (4 * p.alpha * p.alpha)), 1e-6, 1e-12);
  EXPECT_EQ(pair::ewald_parameters(1e-6, 10.0, 0.3).alpha, 0.3);
  EXPECT_THROW(pair::ewald_parameters(0.0, 10.0), std::invalid_argument);
  EXPECT_THROW(pair::ewald_parameters(1e-6, -1.0), std::invalid_argument);
  PairPotential pot(3, 0.5);
  EXPECT_THROW(pot.set_coulomb_ewald(kCharges, 0.0, 10.0, 3.0), std::invalid_argument);
  EXPECT_THROW(pot.set_coulomb_ewald({1.0}, 0.3, 10.0, 3.0), std::invalid_argument);
  pot.set_coulomb_ewald(kCharges, 0.3, 9.0, 3.0);
  EXPECT_EQ(pot.coulomb_form(), pair::CoulombForm::EwaldReal);
  EXPECT_DOUBLE_EQ(pot.cutoff(), 9.0);
  pot.set_coulomb_dsf(kCharges, 0.25, 10.0);
  EXPECT_EQ(pot.coulomb_form(), pair::CoulombForm::Dsf);
}
