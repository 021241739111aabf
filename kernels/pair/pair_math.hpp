#pragma once
// Per-pair math of the pair potentials, written once for both backends
// (VITRA_HD). Tests call these functions directly, so the brute-force
// references use the very lines the kernels run.
//
//   Lennard-Jones  E(r) = 4ε [(σ/r)¹² − (σ/r)⁶]
//   Buckingham     E(r) = A exp(−r/ρ) − C/r⁶
// (LAMMPS lj/cut and buck, metal units: Å, eV), and Coulomb between fixed
// charges as damped shifted force (Fennell & Gezelter, J. Chem. Phys. 124,
// 234104 (2006); LAMMPS coul/dsf):
//   E(r) = k q_i q_j [erfc(αr)/r − e_shift − r·f_shift],  r < R_c
//   f_shift = d/dr[erfc(αr)/r] at R_c,  e_shift = erfc(αR_c)/R_c − R_c·f_shift
// so that energy and force both vanish at R_c; plus a self energy
// −k q_i² (e_shift/2 + α/√π) per atom; or as the real-space part of Ewald
// summation (LAMMPS coul/long with kspace_style ewald):
//   E(r) = k q_i q_j erfc(αr)/r,  r < R_c  (no shift)
// with the self energy −k q_i² α/√π per atom and the reciprocal-space sum of
// ewald_reciprocal.hpp.
#include <cmath>

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

// k = e²/(4πε₀) in eV·Å (LAMMPS qqr2e for units metal).
constexpr double kCoulombConstant = 14.399645;
constexpr double kTwoOverSqrtPi = 1.1283791670955126;

// The damped shifted force Coulomb constants for damping α (1/Å) and cutoff R_c.
struct DsfCoulomb {
  double alpha = 0.0;
  double rc2 = 0.0;  // 0: no Coulomb
  double e_shift = 0.0;
  double f_shift = 0.0;
};

inline DsfCoulomb make_dsf(double alpha, double rc) {
  const double erfc_rc = std::erfc(alpha * rc);
  DsfCoulomb d;
  d.alpha = alpha;
  d.rc2 = rc * rc;
  d.f_shift = -(erfc_rc / (rc * rc) + kTwoOverSqrtPi * alpha * std::exp(-alpha * alpha * rc * rc) / rc);
  d.e_shift = erfc_rc / rc - d.f_shift * rc;
  return d;
}

// Which form the Coulomb part of a PairTerm takes.
enum class CoulombForm : int { Dsf = 0, EwaldReal = 1 };

// The Ewald real-space constants: DsfCoulomb with both shifts zero.
inline DsfCoulomb make_ewald_real(double alpha, double rc) {
  DsfCoulomb d;
  d.alpha = alpha;
  d.rc2 = rc * rc;
  return d;
}

// Energy and dE/dr of the Ewald real-space term k q_i q_j erfc(αr)/r.
VITRA_HD PairEval coulomb_ewald_real(double r, double kqq, double alpha) {
  const double erfc_r = erfc(alpha * r);
  const double e = kqq * erfc_r / r;
  return {e, -kqq * (erfc_r / (r * r) + kTwoOverSqrtPi * alpha * exp(-alpha * alpha * r * r) / r)};
}

// Self energy of an atom of charge q under Ewald summation.
inline double ewald_self_energy(double q, double alpha) {
  return -kCoulombConstant * q * q * 0.5 * kTwoOverSqrtPi * alpha;
}

// Energy and dE/dr of the DSF Coulomb term for charges product qq·k (eV·Å).
VITRA_HD PairEval coulomb_dsf(double r, double kqq, const DsfCoulomb& d) {
  const double erfc_r = erfc(d.alpha * r);
  const double e = kqq * (erfc_r / r - d.e_shift - r * d.f_shift);
  // −F(r) = dE/dr = −kqq [erfc(αr)/r² + 2α/√π exp(−α²r²)/r + f_shift]
  const double f = kqq * (erfc_r / (r * r) + kTwoOverSqrtPi * d.alpha * exp(-d.alpha * d.alpha * r * r) / r +
                          d.f_shift);
  return {e, -f};
}

// Self energy of an atom of charge q under DSF Coulomb.
inline double dsf_self_energy(double q, const DsfCoulomb& d) {
  return -kCoulombConstant * q * q * (0.5 * d.e_shift + 0.5 * kTwoOverSqrtPi * d.alpha);
}

// The interaction of one ordered type pair as the kernel sees it: the form,
// up to three parameters (LJ: ε, σ; Buckingham: A, ρ, C), the squared cutoff
// and the energy subtracted inside it (E(rc) with shifting, else 0); the
// Coulomb charge product k·q_i·q_j with its form (DSF or Ewald real space)
// and constants (dsf: α, R_c², shifts; Ewald: α, R_c², shifts unused); and
// the squared reach of the two together (pairs beyond it are skipped).
struct PairTerm {
  PairForm form = PairForm::None;
  double p[3] = {0.0, 0.0, 0.0};
  double rc2 = 0.0;
  double shift = 0.0;
  double kqq = 0.0;
  DsfCoulomb dsf;
  CoulombForm coulomb_form = CoulombForm::Dsf;
  double reach2 = 0.0;
};

// Unshifted energy and dE/dr of a term at distance r (no cutoff test).
VITRA_HD PairEval evaluate(const PairTerm& t, double r) {
  switch (t.form) {
    case PairForm::LennardJones: return lennard_jones(r, t.p[0], t.p[1]);
    case PairForm::Buckingham: return buckingham(r, t.p[0], t.p[1], t.p[2]);
    default: return {};
  }
}

// Energy (shift applied) and dE/dr of a term, short-range part and Coulomb,
// at squared distance r2; each part zero at and beyond its own cutoff. Pairs
// of the Verlet skin land here and drop out.
VITRA_HD PairEval evaluate_within_cutoff(const PairTerm& t, double r2) {
  PairEval e{};
  const double r = sqrt(r2);
  if (r2 < t.rc2) {
    e = evaluate(t, r);
    e.energy -= t.shift;
  }
  if (r2 < t.dsf.rc2 && t.kqq != 0.0) {
    const PairEval c = t.coulomb_form == CoulombForm::EwaldReal ? coulomb_ewald_real(r, t.kqq, t.dsf.alpha)
                                                                : coulomb_dsf(r, t.kqq, t.dsf);
    e.energy += c.energy;
    e.de_dr += c.de_dr;
  }
  return e;
}

}  // namespace vitra::pair
