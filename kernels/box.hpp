#pragma once
// The periodic simulation cell: a general triclinic matrix h whose rows are
// the cell vectors a, b, c (ASE / extended XYZ convention). Orthorhombic is
// the diagonal case, not a separate code path. Passed by value to kernels.
#include <cmath>

#include "cuda/hd.hpp"
#include "kernels/vec3.hpp"

namespace vitra {

struct Box {
  Mat3 h;     // rows are a, b, c (Å)
  Mat3 hinv;  // h^-1: fractional s = r · hinv

  Box() = default;
  VITRA_HD explicit Box(const Mat3& cell) : h(cell), hinv(inverse(cell)) {}
  VITRA_HD static Box orthorhombic(double lx, double ly, double lz) {
    Mat3 c;
    c.m[0][0] = lx;
    c.m[1][1] = ly;
    c.m[2][2] = lz;
    return Box(c);
  }

  VITRA_HD Vec3 a() const { return h.row(0); }
  VITRA_HD Vec3 b() const { return h.row(1); }
  VITRA_HD Vec3 c() const { return h.row(2); }
  VITRA_HD double volume() const { return fabs(determinant(h)); }
  VITRA_HD Vec3 to_fractional(Vec3 r) const { return r * hinv; }
  VITRA_HD Vec3 to_cartesian(Vec3 s) const { return s * h; }

  // Distance between the two opposite faces spanned by the other two cell
  // vectors, for each axis: how far a cutoff sphere reaches in cell units.
  VITRA_HD Vec3 face_distances() const {
    const double v = volume();
    return {v / norm(cross(b(), c())), v / norm(cross(c(), a())), v / norm(cross(a(), b()))};
  }

  // Cartesian vector of the periodic image shift n = (na, nb, nc).
  VITRA_HD Vec3 shift(int na, int nb, int nc) const {
    return Vec3{double(na), double(nb), double(nc)} * h;
  }

  // Maps r into the cell (fractional coordinates in [0, 1), or exactly 1 in
  // the degenerate case where rounding toggles at a face) and adds the
  // number of cell vectors removed to image[0..2]. Subtracts whole lattice
  // vectors rather than converting back from fractional coordinates, so a
  // position already inside the cell is returned bit-for-bit unchanged.
  VITRA_HD Vec3 wrap(Vec3 r, int image[3]) const {
    for (int pass = 0; pass < 3; ++pass) {  // a second pass fixes rounding at a face
      const Vec3 s = to_fractional(r);
      int n[3];
      bool inside = true;
      for (int k = 0; k < 3; ++k) {
        n[k] = static_cast<int>(floor(s[k]));
        inside = inside && n[k] == 0 && s[k] < 1.0;
        if (n[k] == 0 && s[k] >= 1.0) n[k] = 1;  // s just below 1 that rounds up
      }
      if (inside) break;
      r -= shift(n[0], n[1], n[2]);
      for (int k = 0; k < 3; ++k) image[k] += n[k];
    }
    return r;
  }

  // Shortest periodic image of dr. Rounds fractional components, then checks
  // the 26 neighbouring images, which makes it exact for skewed cells too as
  // long as the cell is reasonably reduced (every ASE/LAMMPS cell is).
  VITRA_HD Vec3 minimum_image(Vec3 dr) const {
    Vec3 s = to_fractional(dr);
    for (int k = 0; k < 3; ++k) s[k] -= nearbyint(s[k]);
    const Vec3 base = to_cartesian(s);
    Vec3 best = base;
    double best_r2 = norm2(base);
    for (int i = -1; i <= 1; ++i)
      for (int j = -1; j <= 1; ++j)
        for (int k = -1; k <= 1; ++k) {
          const Vec3 cand = base + shift(i, j, k);
          const double r2 = norm2(cand);
          if (r2 < best_r2) {
            best_r2 = r2;
            best = cand;
          }
        }
    return best;
  }
};

}  // namespace vitra
