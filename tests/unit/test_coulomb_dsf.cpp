// Damped shifted force Coulomb (Fennell & Gezelter 2006, LAMMPS coul/dsf)
// in PairPotential, CPU backend, on charged Li–B–O-like systems in random
// triclinic cells (cells narrower than the cutoff included):
//  - against a brute-force sum over all pairs and periodic images written
//    here from the formula (std::erfc), with the self energy,
//  - forces and virial against finite differences of the energy,
//  - energy and force vanish at the cutoff; the closed form of a dimer.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "kernels/pair/pair_potential.hpp"
#include "tests/common/random_cells.hpp"
#include "tests/common/seed.hpp"

using namespace vitra;
using test::fresh_seed;

namespace {

constexpr double kK = 14.399645;  // eV·Å, e²/(4πε₀)
const std::vector<double> kCharges = {-1.2, 1.8, 0.6};  // O, B, Li

struct Case {
  Mat3 h;
  std::vector<int> types;
  std::vector<Vec3> x;
};

// Atoms on a jittered grid (no close contacts) of ~2.3 Å spacing in a random cell.
Case random_case(std::mt19937_64& rng, double lmin, double lmax) {
  Case c;
  c.h = test::randomly_rotated(rng, test::random_cell(rng, lmin, lmax, 0.25));
  c.x = test::jittered_grid(rng, c.h, 2.3, 0.1);
  for (std::size_t i = 0; i < c.x.size(); ++i) c.types.push_back(static_cast<int>(rng() % 3));
  return c;
}

System make_system(const Case& c) {
  TypeMap tm;
  tm.names = {"O", "B", "Li"};
  tm.masses = {15.999, 10.81, 6.94};
  return System(Box(c.h), tm, c.types, c.x);
}

std::unique_ptr<PairPotential> make_potential(double alpha, double rc) {
  auto p = std::make_unique<PairPotential>(3, 0.8);
  // A weak short-range repulsion so that Coulomb dominates but the sum is not pure Coulomb.
  p->set_buckingham(0, 1, 1500.0, 0.25, 5.0, 5.0, false);
  p->set_buckingham(0, 0, 800.0, 0.3, 20.0, 5.0, true);
  p->set_coulomb_dsf(kCharges, alpha, rc);
  return p;
}

struct Reference {
  double energy = 0.0;
  std::vector<Vec3> forces;
  Mat3 virial;
  std::vector<double> atom_energy;
};

// Every pair (i, j) and image S with |r| < rc, summed once per unordered pair.
Reference brute_force(const Case& c, double alpha, double rc, const PairPotential& pot) {
  const std::size_t n = c.x.size();
  Reference ref;
  ref.forces.assign(n, Vec3{});
  ref.atom_energy.assign(n, 0.0);
  const double erfc_rc = std::erfc(alpha * rc);
  const double f_shift = -(erfc_rc / (rc * rc) + 2.0 / std::sqrt(M_PI) * alpha * std::exp(-alpha * alpha * rc * rc) / rc);
  const double e_shift = erfc_rc / rc - f_shift * rc;
  const Box box(c.h);
  const Vec3 fd = box.face_distances();
  int nmax[3];
  for (int k = 0; k < 3; ++k) nmax[k] = static_cast<int>(std::ceil(std::max(rc, 5.0) / fd[k])) + 1;
  for (std::size_t i = 0; i < n; ++i) {
    const double qi = kCharges[c.types[i]];
    const double self = -kK * qi * qi * (0.5 * e_shift + alpha / std::sqrt(M_PI));
    ref.energy += self;
    ref.atom_energy[i] += self;
  }
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i; j < n; ++j)
      for (int a = -nmax[0]; a <= nmax[0]; ++a)
        for (int b = -nmax[1]; b <= nmax[1]; ++b)
          for (int e = -nmax[2]; e <= nmax[2]; ++e) {
            if (i == j && (a < 0 || (a == 0 && (b < 0 || (b == 0 && e <= 0))))) continue;  // each self-image once
            const Vec3 r = c.x[j] - c.x[i] + box.shift(a, b, e);
            const double d = norm(r);
            double en = 0.0, de = 0.0;  // energy and dE/dr
            if (d < rc) {
              const double kqq = kK * kCharges[c.types[i]] * kCharges[c.types[j]];
              const double erfc_r = std::erfc(alpha * d);
              en += kqq * (erfc_r / d - e_shift - d * f_shift);
              de -= kqq * (erfc_r / (d * d) + 2.0 / std::sqrt(M_PI) * alpha * std::exp(-alpha * alpha * d * d) / d + f_shift);
            }
            const pair::PairTerm& t = pot.term(c.types[i], c.types[j]);
            if (d * d < t.rc2) {
              const pair::PairEval s = pair::evaluate(t, d);
              en += s.energy - t.shift;
              de += s.de_dr;
            }
            if (en == 0.0 && de == 0.0) continue;
            ref.energy += en;  // a pair of an atom with its own image counts once, like any other
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

double energy_of(System& s, PairPotential& p) { return p.compute(s, ComputeRequest{true, false}).energy; }

}  // namespace

TEST(CoulombDsf, MatchesBruteForceOverImages) {
  const auto seed = fresh_seed();
  SCOPED_TRACE(seed);
  std::mt19937_64 rng(seed);
  for (int trial = 0; trial < 6; ++trial) {
    const bool narrow = trial % 2 == 0;  // cells narrower than the Coulomb cutoff
    const double alpha = trial < 3 ? 0.25 : 0.0, rc = narrow ? 9.0 : 7.0;
    const Case c = random_case(rng, narrow ? 6.0 : 12.0, narrow ? 8.0 : 15.0);
    System s = make_system(c);
    auto pot = make_potential(alpha, rc);
    const ComputeResult r = pot->compute(s, ComputeRequest{true, true, true, false});
    const Reference ref = brute_force(c, alpha, rc, *pot);
    double scale = 0.0;
    for (const Vec3& f : ref.forces) scale = std::max(scale, norm(f));
    EXPECT_NEAR(r.energy, ref.energy, 1e-10 * std::fabs(ref.energy)) << "trial " << trial;
    const std::vector<Vec3> f = s.host_forces();
    for (std::size_t i = 0; i < f.size(); ++i) EXPECT_LT(norm(f[i] - ref.forces[i]), 1e-10 * scale) << i;
    for (int a = 0; a < 3; ++a)
      for (int b = 0; b < 3; ++b)
        EXPECT_NEAR(r.virial.m[a][b], ref.virial.m[a][b], 1e-10 * std::fabs(ref.energy)) << a << b;
    const std::vector<double> ae = pot->atom_energy().to_host();
    for (std::size_t i = 0; i < ae.size(); ++i)
      EXPECT_NEAR(ae[i], ref.atom_energy[i], 1e-10 * std::fabs(ref.energy)) << i;
  }
}

TEST(CoulombDsf, ForcesAndVirialAreDerivativesOfTheEnergy) {
  const auto seed = fresh_seed();
  SCOPED_TRACE(seed);
  std::mt19937_64 rng(seed);
  const Case c = random_case(rng, 8.0, 10.0);
  System s = make_system(c);
  auto pot = make_potential(0.22, 8.0);
  const ComputeResult r = pot->compute(s, ComputeRequest{true, true});
  const std::vector<Vec3> f = s.host_forces();
  const double h = 1e-5;
  std::vector<Vec3> x = c.x;
  for (std::size_t i = 0; i < x.size(); i += 7)
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
        auto p2 = make_potential(0.22, 8.0);
        e[sgn] = energy_of(t, *p2);
      }
      EXPECT_NEAR(-(e[0] - e[1]) / (2 * h), r.virial.m[a][b], 1e-5 * std::max(1.0, std::fabs(r.virial.m[a][b])))
          << a << b;
    }
}

TEST(CoulombDsf, DimerVanishesAtTheCutoffAndHasTheClosedForm) {
  TypeMap tm;
  tm.names = {"O", "B", "Li"};
  tm.masses = {15.999, 10.81, 6.94};
  const double alpha = 0.3, rc = 6.0;
  PairPotential pot(3, 0.5);
  pot.set_coulomb_dsf(kCharges, alpha, rc);
  auto dimer = [&](double d) {
    System s(Box::orthorhombic(40, 40, 40), tm, {0, 2}, {{1, 1, 1}, {1 + d, 1, 1}});
    const ComputeResult r = pot.compute(s, ComputeRequest{true, false});
    return std::pair{r.energy, s.host_forces()[1].x};
  };
  const double erfc_rc = std::erfc(alpha * rc);
  const double fs = -(erfc_rc / (rc * rc) + 2 / std::sqrt(M_PI) * alpha * std::exp(-alpha * alpha * rc * rc) / rc);
  const double es = erfc_rc / rc - fs * rc;
  const double self = -kK * (1.44 + 0.36) * (0.5 * es + alpha / std::sqrt(M_PI));  // q_O² + q_Li²
  const auto [e_near, f_near] = dimer(rc - 1e-7);
  EXPECT_NEAR(e_near, self, 1e-9);
  EXPECT_NEAR(f_near, 0.0, 1e-8);
  const auto [e_far, f_far] = dimer(rc + 0.1);
  EXPECT_NEAR(e_far, self, 1e-12);
  EXPECT_EQ(f_far, 0.0);
  // At 2 Å: O(−1.2)–Li(+0.6) attract; the closed form of the pair energy.
  const double d = 2.0;
  const auto [e2, f2] = dimer(d);
  EXPECT_NEAR(e2 - self, kK * -0.72 * (std::erfc(alpha * d) / d - es - d * fs), 1e-12);
  EXPECT_LT(f2, 0.0);  // pulled back towards the oxygen
  EXPECT_THROW(pot.set_coulomb_dsf({1.0, -1.0}, alpha, rc), std::invalid_argument);
  EXPECT_THROW(pot.set_coulomb_dsf(kCharges, -0.1, rc), std::invalid_argument);
  EXPECT_DOUBLE_EQ(pot.cutoff(), rc);
}
