#include "kernels/pair/ewald_reciprocal.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "cuda/for_each.cuh"
#include "cuda/reduce.cuh"
#include "kernels/pair/pair_math.hpp"
#include "kernels/system.hpp"

namespace vitra::pair {

namespace {

constexpr double kPi = 3.14159265358979323846;

// k = 2π h⁻¹ n for the integer triple n (column vector n).
VITRA_HD Vec3 k_vector(const Mat3& hinv, const int* n) {
  Vec3 k;
  for (int a = 0; a < 3; ++a)
    k[a] = 2.0 * kPi * (hinv.m[a][0] * n[0] + hinv.m[a][1] * n[1] + hinv.m[a][2] * n[2]);
  return k;
}

// The charge of atom i, for the net-charge reduction.
struct AtomCharge {
  const int* types;
  const double* type_charge;
  VITRA_HD double operator()(std::size_t i) const { return type_charge[types[i]]; }
};

}  // namespace

EwaldParameters ewald_parameters(double accuracy, double rc, double alpha) {
  if (!(accuracy > 0.0 && accuracy < 1.0))
    throw std::invalid_argument("Ewald: the accuracy must lie in (0, 1), got " + std::to_string(accuracy));
  if (!(rc > 0.0) || !std::isfinite(rc))
    throw std::invalid_argument("Ewald: the real-space cutoff must be > 0, got " + std::to_string(rc));
  if (!(alpha >= 0.0) || !std::isfinite(alpha))
    throw std::invalid_argument("Ewald: alpha must be >= 0 (0: from the accuracy), got " + std::to_string(alpha));
  const double s = std::sqrt(-std::log(accuracy));
  EwaldParameters p;
  p.rc = rc;
  p.alpha = alpha > 0.0 ? alpha : s / rc;
  p.kcut = 2.0 * p.alpha * s;
  return p;
}

void EwaldReciprocal::set(double alpha, double kcut) {
  if (!(alpha > 0.0) || !std::isfinite(alpha) || !(kcut > 0.0) || !std::isfinite(kcut))
    throw std::invalid_argument("Ewald: alpha and kcut must be finite and > 0; got alpha " + std::to_string(alpha) +
                                ", kcut " + std::to_string(kcut));
  alpha_ = alpha;
  kcut_ = kcut;
  have_h_ = false;
}

// The integer triples of the half space with 0 < |k| <= kcut: |n_a| <=
// kcut |a_a| / 2π, since n_a = k·a_a / 2π for the cell vector a_a.
void EwaldReciprocal::enumerate(const Box& box) {
  int nmax[3];
  for (int a = 0; a < 3; ++a) nmax[a] = static_cast<int>(std::floor(kcut_ * norm(box.h.row(a)) / (2.0 * kPi)));
  const double kc2 = kcut_ * kcut_;
  std::vector<int> t;
  for (int i = 0; i <= nmax[0]; ++i)
    for (int j = i == 0 ? 0 : -nmax[1]; j <= nmax[1]; ++j)
      for (int l = (i == 0 && j == 0) ? 1 : -nmax[2]; l <= nmax[2]; ++l) {
        const int n[3] = {i, j, l};
        if (norm2(k_vector(box.hinv, n)) <= kc2) t.insert(t.end(), {i, j, l});
      }
  num_k_ = t.size() / 3;
  triples_.copy_from_host(t);
  terms_.resize(num_k_);
  h_ = box.h;
  have_h_ = true;
}

void EwaldReciprocal::add(std::size_t n, const Box& box, const double* x, const int* types,
                          const double* type_charge, double* f, double* atom_e, double* atom_w) {
  if (!(alpha_ > 0.0)) throw std::logic_error("EwaldReciprocal::add before set()");
  bool same = have_h_ && triples_.backend() == active_backend();
  for (int a = 0; a < 3 && same; ++a)
    for (int b = 0; b < 3; ++b) same = same && h_.m[a][b] == box.h.m[a][b];
  if (!same) enumerate(box);
  if (n == 0) return;

  const double volume = box.volume();
  const double pref = kCoulombConstant * 4.0 * kPi / volume;
  const double inv4a2 = 1.0 / (4.0 * alpha_ * alpha_);
  const Mat3 hinv = box.hinv;
  const int* tri = triples_.data();
  EwaldKTerm* terms = terms_.data();

  // S(k) per k-vector.
  for_each(num_k_, [=] VITRA_HD_LAMBDA(std::size_t m) {
    const Vec3 k = k_vector(hinv, tri + 3 * m);
    const double k2 = norm2(k);
    double c = 0.0, s = 0.0;
    for (std::size_t j = 0; j < n; ++j) {
      const double q = type_charge[types[j]];
      const double th = dot(k, load_vec3(x, n, j));
      c += q * cos(th);
      s += q * sin(th);
    }
    EwaldKTerm t;
    t.k[0] = k.x;
    t.k[1] = k.y;
    t.k[2] = k.z;
    t.a = pref * exp(-k2 * inv4a2) / k2;
    t.c = c;
    t.s = s;
    terms[m] = t;
  });

  // The neutralising background of a net charge Q, per atom.
  double e_bg = 0.0;
  if (atom_e || atom_w) {
    const double q = transform_reduce(n, 0.0, AtomCharge{types, type_charge}, Plus{});
    e_bg = -kCoulombConstant * kPi * q * q / (2.0 * volume * alpha_ * alpha_) / static_cast<double>(n);
  }
  const std::size_t nk = num_k_;
  for_each(n, [=] VITRA_HD_LAMBDA(std::size_t j) {
    const Vec3 xj = load_vec3(x, n, j);
    const double qj = type_charge[types[j]];
    Vec3 fj{};
    double ej = e_bg;
    double wj[9] = {e_bg, 0, 0, 0, e_bg, 0, 0, 0, e_bg};
    for (std::size_t m = 0; m < nk; ++m) {
      const EwaldKTerm& t = terms[m];
      const Vec3 k{t.k[0], t.k[1], t.k[2]};
      const double th = dot(k, xj);
      const double cj = cos(th), sj = sin(th);
      fj += (2.0 * t.a * qj * (t.c * sj - t.s * cj)) * k;
      if (atom_e || atom_w) {
        const double e = t.a * qj * (t.c * cj + t.s * sj);
        ej += e;
        if (atom_w) {
          const double g = 2.0 * (1.0 / norm2(k) + inv4a2);
          for (int a = 0; a < 3; ++a)
            for (int b = 0; b < 3; ++b) wj[3 * a + b] += e * ((a == b ? 1.0 : 0.0) - g * k[a] * k[b]);
        }
      }
    }
    store_vec3(f, n, j, load_vec3(f, n, j) + fj);
    if (atom_e) atom_e[j] += ej;
    if (atom_w)
      for (int c = 0; c < 9; ++c) atom_w[c * n + j] += wj[c];
  });
}

}  // namespace vitra::pair
