#pragma once
// One row of the se_e2_a environment matrix and its derivative with respect
// to r_ij (deepmd/dpmodel/utils/env_mat.py, _make_env_mat):
//   row = sw(r) · (1/(r+p), x/(r+p)², y/(r+p)², z/(r+p)²),  r = |r_ij|,
//   sw  = 1 − 10u³ + 15u⁴ − 6u⁵,  u = (r − rcut_smth)/(rcut − rcut_smth)
//   clipped to [0, 1],  p = env_protection.
// Evaluated in double whatever the model's precision (as DeePMD-kit does:
// coordinates are float64, the normalised row is cast afterwards).
#include <cmath>

#include "cuda/hd.hpp"

namespace vitra::deepmd {

// Smooth weight sw(r) and dsw/dr.
VITRA_HD double smooth_weight(double r, double rmin, double rmax, double* dsw) {
  if (r <= rmin) {
    *dsw = 0.0;
    return 1.0;
  }
  if (r >= rmax) {
    *dsw = 0.0;
    return 0.0;
  }
  const double inv = 1.0 / (rmax - rmin);
  const double u = (r - rmin) * inv;
  const double u2 = u * u;
  *dsw = (u2 * (-30.0 * u2 + 60.0 * u - 30.0)) * inv;
  return u2 * u * (-6.0 * u2 + 15.0 * u - 10.0) + 1.0;
}

// row[4] and jac[4][3] = d row_k / d r_ij,c for the pair vector d (Å).
VITRA_HD void env_row(const double d[3], double rcut, double rcut_smth, double protection, double row[4],
                      double jac[4][3]) {
  const double r = sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
  double dsw;
  const double sw = smooth_weight(r, rcut_smth, rcut, &dsw);
  const double rp = r + protection;
  const double t0 = 1.0 / rp;
  const double inv2 = t0 * t0;
  row[0] = sw * t0;
  for (int a = 0; a < 3; ++a) row[a + 1] = sw * d[a] * inv2;
  // d r / d d_c = d_c / r;  d t0/dr = -1/rp²;  d (d_a/rp²) / d d_c = δ_ac/rp² - 2 d_a d_c/(rp³ r).
  for (int c = 0; c < 3; ++c) {
    const double dr = d[c] / r;
    jac[0][c] = dsw * dr * t0 - sw * inv2 * dr;
    for (int a = 0; a < 3; ++a) {
      const double t1 = d[a] * inv2;
      const double dt1 = (a == c ? inv2 : 0.0) - 2.0 * d[a] * inv2 * t0 * dr;
      jac[a + 1][c] = dsw * dr * t1 + sw * dt1;
    }
  }
}

}  // namespace vitra::deepmd
