#pragma once
// Per-pair and per-cell math of the neighbor lists, written once for both
// backends (VITRA_HD). Host code and tests include this header too, so the
// brute-force references compute r_ij with the very same lines.
//
// Periodic images. A neighbor is stored as the atom index j and an integer
// image shift S = (Sa, Sb, Sc), with
//     r_ij = (x_j - x_i) + S · h
// for the positions x as they are stored (not wrapped) and the CURRENT cell h.
// No minimum-image convention is involved, so a cell narrower than the
// cutoff (many images of j, images of i itself) is handled exactly, and an
// affine change of h between rebuilds moves every image consistently.
#include <cstdint>

#include "cuda/hd.hpp"
#include "kernels/vec3.hpp"

namespace vitra::nbr {

// S is packed into one int, 10 bits per component with a bias of 512:
// components in [-512, 511]; the packed value is >= 0, and comparing packed
// values orders shifts lexicographically by (Sa, Sb, Sc).
constexpr int kShiftBias = 512;
constexpr int kShiftLimit = 511;  // largest |S_k| a list accepts
VITRA_HD int pack_shift(int a, int b, int c) {
  return ((a + kShiftBias) << 20) | ((b + kShiftBias) << 10) | (c + kShiftBias);
}
constexpr int kZeroShift = (kShiftBias << 20) | (kShiftBias << 10) | kShiftBias;
VITRA_HD void unpack_shift(int p, int s[3]) {
  s[0] = ((p >> 20) & 1023) - kShiftBias;
  s[1] = ((p >> 10) & 1023) - kShiftBias;
  s[2] = (p & 1023) - kShiftBias;
}

// r_ij = (x_j - x_i) + S·h, the one formula every list and test uses.
VITRA_HD Vec3 pair_vector(Vec3 xi, Vec3 xj, int sa, int sb, int sc, const Mat3& h) {
  return (xj - xi) + Vec3{double(sa), double(sb), double(sc)} * h;
}
VITRA_HD Vec3 pair_vector(Vec3 xi, Vec3 xj, int packed_shift, const Mat3& h) {
  int s[3];
  unpack_shift(packed_shift, s);
  return pair_vector(xi, xj, s[0], s[1], s[2], h);
}

// floor(a / n) for n > 0 and any sign of a.
VITRA_HD int floor_div(int a, int n) {
  const int q = a / n;
  return (a % n != 0 && a < 0) ? q - 1 : q;
}

// Order of the neighbors of one type in the sel-sorted list: by squared
// distance, then by j, then by packed shift (deterministic for exact ties,
// such as the two opposite images of atom i itself).
VITRA_HD bool sel_before(double d2a, int ja, int sa, double d2b, int jb, int sb) {
  if (d2a != d2b) return d2a < d2b;
  if (ja != jb) return ja < jb;
  return sa < sb;
}

// The cell grid of a list build: n[k] cells along cell vector k, and the
// search reach m[k] (cells visited on each side of an atom's own cell).
struct CellGrid {
  int n[3] = {1, 1, 1};
  int m[3] = {1, 1, 1};
  VITRA_HD int count() const { return n[0] * n[1] * n[2]; }
  VITRA_HD int key(int a, int b, int c) const { return (a * n[1] + b) * n[2] + c; }
  VITRA_HD void decode(int key, int c[3]) const {
    c[2] = key % n[2];
    key /= n[2];
    c[1] = key % n[1];
    c[0] = key / n[1];
  }
};

// Cell of fractional coordinates s (any value: s - floor(s) is binned, as
// positions may sit slightly outside the cell between rebuilds); floor(s)
// goes to f, so that x = (s - f + f)·h and the image of the binned copy is f.
VITRA_HD int bin_fractional(const CellGrid& g, Vec3 s, int f[3]) {
  int c[3];
  for (int k = 0; k < 3; ++k) {
    double fl = floor(s[k]);
    // Far-away (unwrapped) positions: keep the int conversion defined; the
    // shift range check of the build then reports them.
    if (!(fl <= 1048576.0)) fl = 1048576.0;  // NaN too (the build reports it)
    if (fl < -1048576.0) fl = -1048576.0;
    const double w = s[k] - fl;  // in [0, 1], 1 only by rounding
    const double cw = w * g.n[k];
    c[k] = !(cw >= 0.0) ? 0 : (cw >= g.n[k] ? g.n[k] - 1 : static_cast<int>(cw));
    f[k] = static_cast<int>(fl);
  }
  return g.key(c[0], c[1], c[2]);
}

}  // namespace vitra::nbr
