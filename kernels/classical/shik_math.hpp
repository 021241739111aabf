#pragma once
// Per-pair math of the SHIK force field (Sundararaman, Huang, Ispas, Kob;
// J. Chem. Phys. 148, 194504 (2018); 150, 154505 (2019); 152, 104501 (2020)),
// in the truncation of the authors' LAMMPS pair style `shik/wolf`
// (shared/spec/forcefield-sources.md §1.2, the S1 form), written once for
// both backends (VITRA_HD):
//
//   r < rc_SR:  E_SR(r) = [V_SR(r) − V_SR(rc_SR)] · G(r; rc_SR, γ_SR)
//               V_SR(r) = A exp(−B r) − C/r⁶ + D/r²⁴
//   r < rc_W:   E_C(r)  = k q_i q_j [1/r − 1/rc_W + (r − rc_W)/rc_W²] · G(r; rc_W, γ_W)
//   G(r; rc, γ) = exp(−γ²/(r − rc)²)
//
// (B is an inverse length, not ρ.) The Coulomb part is the undamped (α = 0)
// force-shifted Wolf form times G; there is no self energy. dE/dr is the
// exact derivative, G′ term included (product rule), so the forces are
// conservative. Units: Å, eV, e; k = 14.399645 eV·Å.
#include <cmath>

#include "cuda/hd.hpp"
#include "kernels/pair/pair_math.hpp"

namespace vitra::shik {

using pair::PairEval;  // energy and dE/dr of one pair
constexpr double kCoulombConstant = pair::kCoulombConstant;  // 14.399645 eV·Å

// G(r; rc) = exp(−γ²/(r − rc)²) and dG/dr = G · 2γ²/(r − rc)³, for r < rc.
// Returned as {G, dG/dr} in a PairEval. γ² = 0 gives G ≡ 1.
VITRA_HD PairEval smoothing(double r, double rc, double gamma2) {
  const double inv = 1.0 / (r - rc);
  const double g = exp(-gamma2 * inv * inv);
  return {g, 2.0 * gamma2 * g * inv * inv * inv};
}

// V_SR(r) = A exp(−B r) − C/r⁶ + D/r²⁴ and dV_SR/dr (no cutoff).
VITRA_HD PairEval short_range_raw(double r, double A, double B, double C, double D) {
  const double rep = A * exp(-B * r);
  const double r2 = r * r;
  const double inv6 = 1.0 / (r2 * r2 * r2);
  const double inv24 = (inv6 * inv6) * (inv6 * inv6);
  // dV/dr = −A B exp(−B r) + 6 C/r⁷ − 24 D/r²⁵
  return {rep - C * inv6 + D * inv24, -B * rep + (6.0 * C * inv6 - 24.0 * D * inv24) / r};
}

// E_SR and dE_SR/dr for r < rc; v_rc = V_SR(rc).
VITRA_HD PairEval short_range(double r, double A, double B, double C, double D, double v_rc, double rc,
                              double gamma2) {
  const PairEval v = short_range_raw(r, A, B, C, D);
  const PairEval g = smoothing(r, rc, gamma2);
  const double dv = v.energy - v_rc;
  return {dv * g.energy, v.de_dr * g.energy + dv * g.de_dr};
}

// E_C and dE_C/dr for r < rc, with kqq = k q_i q_j (eV·Å).
VITRA_HD PairEval coulomb(double r, double kqq, double rc, double gamma2) {
  const double inv_rc = 1.0 / rc;
  const double w = 1.0 / r - inv_rc + (r - rc) * inv_rc * inv_rc;
  const double dw = -1.0 / (r * r) + inv_rc * inv_rc;
  const PairEval g = smoothing(r, rc, gamma2);
  return {kqq * w * g.energy, kqq * (dw * g.energy + w * g.de_dr)};
}

// One ordered type pair as the kernel sees it: the short-range parameters
// (has_sr = 0: Coulomb only) with V_SR(rc_SR), the charge product k q_i q_j,
// both cutoffs and squared widths γ², and the squared reach of the two
// together (0: the pair does not interact).
struct ShikTerm {
  int has_sr = 0;
  double A = 0.0, B = 0.0, C = 0.0, D = 0.0;
  double v_rc = 0.0;  // V_SR(rc_sr)
  double rc_sr = 0.0, gamma_sr2 = 0.0;
  double kqq = 0.0;
  double rc_w = 0.0, gamma_w2 = 0.0;
  double reach2 = 0.0;
};

// Energy and dE/dr of a term at squared distance r2; each part zero at and
// beyond its own cutoff (pairs of the Verlet skin land here and drop out).
VITRA_HD PairEval evaluate(const ShikTerm& t, double r2) {
  PairEval e{};
  const double r = sqrt(r2);
  if (t.has_sr && r < t.rc_sr) e = short_range(r, t.A, t.B, t.C, t.D, t.v_rc, t.rc_sr, t.gamma_sr2);
  if (t.kqq != 0.0 && r < t.rc_w) {
    const PairEval c = coulomb(r, t.kqq, t.rc_w, t.gamma_w2);
    e.energy += c.energy;
    e.de_dr += c.de_dr;
  }
  return e;
}

}  // namespace vitra::shik
