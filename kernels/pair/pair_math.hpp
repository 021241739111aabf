#pragma once
// Per-pair math of the pair potentials, written once for both backends
// (VITRA_HD). Tests call these functions directly, so the brute-force
// references use the very lines the kernels run.
//
//   Lennard-Jones  E(r) = 4ε [(σ/r)¹² − (σ/r)⁶]
//   Buckingham     E(r) = A exp(−r/ρ) − C/r⁶
// (LAMMPS lj/cut and buck, metal units: Å, eV.)
#include "cuda/hd.hpp"

namespace vitra::pair {

enum class PairForm : int { None = 0, LennardJones = 1, Buckingham = 2 };

// Energy and its radial derivative dE/dr of one pair at distance r.
struct PairEval {
  double energy = 0.0;
  double de_dr = 0.0;
};

VITRA_HD PairEval lennard_jones(double r, double epsilon, double sigma) {
  const double sr2 = (sigma * sigma) / (r * r);
  const double sr6 = sr2 * sr2 * sr2;
  const double sr12 = sr6 * sr6;
  // dE/dr = 4ε (−12 σ¹²/r¹³ + 6 σ⁶/r⁷) = −(24ε/r)(2(σ/r)¹² − (σ/r)⁶)
  return {4.0 * epsilon * (sr12 - sr6), -24.0 * epsilon * (2.0 * sr12 - sr6) / r};
}

VITRA_HD PairEval buckingham(double r, double A, double rho, double C) {
  const double rep = A * exp(-r / rho);
  const double r2 = r * r;
  const double c_r6 = C / (r2 * r2 * r2);
  return {rep - c_r6, -rep / rho + 6.0 * c_r6 / r};
}

// The interaction of one ordered type pair as the kernel sees it: the form,
// up to three parameters (LJ: ε, σ; Buckingham: A, ρ, C), the squared cutoff
// and the energy subtracted inside it (E(rc) with shifting, else 0).
struct PairTerm {
  PairForm form = PairForm::None;
  double p[3] = {0.0, 0.0, 0.0};
  double rc2 = 0.0;
  double shift = 0.0;
};

// Unshifted energy and dE/dr of a term at distance r (no cutoff test).
VITRA_HD PairEval evaluate(const PairTerm& t, double r) {
  switch (t.form) {
    case PairForm::LennardJones: return lennard_jones(r, t.p[0], t.p[1]);
    case PairForm::Buckingham: return buckingham(r, t.p[0], t.p[1], t.p[2]);
    default: return {};
  }
}

// Energy (shift applied) and dE/dr of a term at squared distance r2; zero at
// and beyond the cutoff. Pairs of the Verlet skin land here and drop out.
VITRA_HD PairEval evaluate_within_cutoff(const PairTerm& t, double r2) {
  if (!(r2 < t.rc2)) return {};
  PairEval e = evaluate(t, sqrt(r2));
  e.energy -= t.shift;
  return e;
}

}  // namespace vitra::pair
