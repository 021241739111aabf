#pragma once
// Small fixed-size vector and matrix types shared by host and device code.
// Vectors are rows: a Cartesian position is r = s · h for fractional s and a
// cell matrix h whose rows are the cell vectors (ASE's convention).
#include <cmath>

#include "cuda/hd.hpp"

namespace vitra {

struct Vec3 {
  double x = 0, y = 0, z = 0;
  VITRA_HD double& operator[](int k) { return k == 0 ? x : (k == 1 ? y : z); }
  VITRA_HD double operator[](int k) const { return k == 0 ? x : (k == 1 ? y : z); }
};

VITRA_HD Vec3 operator+(Vec3 a, Vec3 b) { return {a.x + b.x, a.y + b.y, a.z + b.z}; }
VITRA_HD Vec3 operator-(Vec3 a, Vec3 b) { return {a.x - b.x, a.y - b.y, a.z - b.z}; }
VITRA_HD Vec3 operator-(Vec3 a) { return {-a.x, -a.y, -a.z}; }
VITRA_HD Vec3 operator*(double s, Vec3 a) { return {s * a.x, s * a.y, s * a.z}; }
VITRA_HD Vec3 operator*(Vec3 a, double s) { return {s * a.x, s * a.y, s * a.z}; }
VITRA_HD Vec3& operator+=(Vec3& a, Vec3 b) { a.x += b.x; a.y += b.y; a.z += b.z; return a; }
VITRA_HD Vec3& operator-=(Vec3& a, Vec3 b) { a.x -= b.x; a.y -= b.y; a.z -= b.z; return a; }
VITRA_HD double dot(Vec3 a, Vec3 b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
VITRA_HD double norm2(Vec3 a) { return dot(a, a); }
VITRA_HD double norm(Vec3 a) { return sqrt(dot(a, a)); }
VITRA_HD Vec3 cross(Vec3 a, Vec3 b) {
  return {a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x};
}

// 3x3 matrix, row-major: m[i][j] is row i, column j.
struct Mat3 {
  double m[3][3] = {{0, 0, 0}, {0, 0, 0}, {0, 0, 0}};
  VITRA_HD Vec3 row(int i) const { return {m[i][0], m[i][1], m[i][2]}; }
  VITRA_HD static Mat3 from_rows(Vec3 a, Vec3 b, Vec3 c) {
    Mat3 r;
    for (int k = 0; k < 3; ++k) {
      r.m[0][k] = a[k];
      r.m[1][k] = b[k];
      r.m[2][k] = c[k];
    }
    return r;
  }
  VITRA_HD static Mat3 identity() {
    Mat3 r;
    r.m[0][0] = r.m[1][1] = r.m[2][2] = 1.0;
    return r;
  }
};

// Row vector times matrix: (v · M)_j = sum_i v_i M_ij.
VITRA_HD Vec3 operator*(Vec3 v, const Mat3& M) {
  return {v.x * M.m[0][0] + v.y * M.m[1][0] + v.z * M.m[2][0],
          v.x * M.m[0][1] + v.y * M.m[1][1] + v.z * M.m[2][1],
          v.x * M.m[0][2] + v.y * M.m[1][2] + v.z * M.m[2][2]};
}
VITRA_HD Mat3 operator*(const Mat3& A, const Mat3& B) {
  Mat3 C;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j)
      C.m[i][j] = A.m[i][0] * B.m[0][j] + A.m[i][1] * B.m[1][j] + A.m[i][2] * B.m[2][j];
  return C;
}
VITRA_HD Mat3 transpose(const Mat3& A) {
  Mat3 T;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) T.m[i][j] = A.m[j][i];
  return T;
}
VITRA_HD double determinant(const Mat3& A) {
  return dot(A.row(0), cross(A.row(1), A.row(2)));
}
// Inverse by cofactors; the caller guarantees det != 0.
VITRA_HD Mat3 inverse(const Mat3& A) {
  const Vec3 a = A.row(0), b = A.row(1), c = A.row(2);
  const double inv_det = 1.0 / dot(a, cross(b, c));
  // Columns of the inverse are the reciprocal vectors b×c, c×a, a×b over det.
  const Vec3 c0 = cross(b, c), c1 = cross(c, a), c2 = cross(a, b);
  Mat3 R;
  for (int k = 0; k < 3; ++k) {
    R.m[k][0] = c0[k] * inv_det;
    R.m[k][1] = c1[k] * inv_det;
    R.m[k][2] = c2[k] * inv_det;
  }
  return R;
}

}  // namespace vitra
