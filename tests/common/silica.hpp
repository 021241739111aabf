#pragma once
// A Buckingham + Coulomb silica melt for dynamics tests: the repulsions and
// charges of BKS (van Beest, Kramer, van Santen, PRL 64, 1955 (1990); Si +2.4,
// O −1.2) with damped shifted force Coulomb, and without BKS's dispersion
// terms, whose −C/r⁶ wins over the repulsion below ~1.2 Å (the Buckingham
// catastrophe) and would let a hot random start collapse. Not a model of
// silica; a stiff, charged liquid. Types O = 0, Si = 1.
#include <cstdint>
#include <memory>
#include <random>
#include <vector>

#include "kernels/pair/pair_potential.hpp"
#include "kernels/system.hpp"

namespace vitra::test {

inline std::unique_ptr<PairPotential> silica_potential(double rc_short = 5.0, double rc_coulomb = 7.0,
                                                       double alpha = 0.3) {
  auto p = std::make_unique<PairPotential>(2, 1.0);
  p->set_buckingham(0, 0, 1388.7730, 1.0 / 2.76, 0.0, rc_short, true);
  p->set_buckingham(0, 1, 18003.7572, 1.0 / 4.87318, 0.0, rc_short, true);
  p->set_coulomb_dsf({-1.2, 2.4}, alpha, rc_coulomb);
  return p;
}

// `units` SiO2 units in a cubic cell at 2.2 g/cm³, random positions with
// minimum distances Si–O 1.55, O–O 2.3, Si–Si 2.8 Å.
inline System random_silica(int units, std::uint64_t seed) {
  const double mass = units * (28.0855 + 2 * 15.999);
  const double edge = std::cbrt(mass / (2.2 / 1.66053906660));
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0.0, edge);
  const Box box = Box::orthorhombic(edge, edge, edge);
  std::vector<Vec3> x;
  std::vector<int> t;
  const double dmin[2][2] = {{2.3, 1.55}, {1.55, 2.8}};
  for (int k = 0; k < 3 * units; ++k) {
    const int type = k < units ? 1 : 0;
    for (;;) {
      const Vec3 c{u(rng), u(rng), u(rng)};
      bool ok = true;
      for (std::size_t j = 0; j < x.size() && ok; ++j) ok = norm(box.minimum_image(c - x[j])) >= dmin[type][t[j]];
      if (ok) {
        x.push_back(c);
        t.push_back(type);
        break;
      }
    }
  }
  TypeMap tm;
  tm.names = {"O", "Si"};
  tm.masses = {15.999, 28.0855};
  return System(box, tm, t, x);
}

}  // namespace vitra::test
