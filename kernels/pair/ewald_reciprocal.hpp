#pragma once
// The reciprocal-space part of Ewald summation for Coulomb between fixed
// charges (LAMMPS kspace_style ewald), for a general triclinic cell h (rows
// are the cell vectors, r = s·h). With k = 2π h⁻¹ n (the columns of h⁻¹ are
// the reciprocal vectors over 2π), n integer, 0 < |k| ≤ k_cut:
//
//   E_k = (k_e 2π/V) Σ_k w(k) |S(k)|²,  w(k) = exp(−k²/4α²)/k²,
//   S(k) = Σ_j q_j exp(i k·r_j) = C(k) + i Sn(k).
//
// k and −k contribute alike, so only the half space (first nonzero n
// component positive) is enumerated, with a factor 2. Per atom:
//   e_j = (k_e 4π/V) Σ_half w q_j [C cos θ_j + Sn sin θ_j],  θ_j = k·r_j
//   F_j = −dE/dr_j = (k_e 8π/V) Σ_half w q_j k [C sin θ_j − Sn cos θ_j]
//   W_ab = −dE/dε_ab = Σ_k E(k) [δ_ab − 2 k_a k_b (1/k² + 1/(4α²))]
// (the strain h → h(1+ε) moves k to (1−ε)k, keeps S and scales V by 1+tr ε;
// atom j's virial is its share e_j(k) of each E(k) times the bracket).
// A net charge Q adds the neutralising-background energy −k_e π Q²/(2Vα²)
// (LAMMPS ewald), split equally over the atoms, with W_ab = E_bg δ_ab.
//
// Device layout: one for_each over the k-vectors computes S(k) (each thread
// loops over the atoms), one for_each over the atoms adds forces, energies
// and virials (each thread loops over the k-vectors). The list of integer
// triples n is enumerated on the host whenever the cell changes (one small
// upload then; this is the accurate reference, not the fast path).
#include <cstddef>
#include <vector>

#include "cuda/device_array.hpp"
#include "kernels/box.hpp"

namespace vitra::pair {

// Splitting α (1/Å), real-space cutoff rc (Å) and reciprocal cutoff k_cut (1/Å).
struct EwaldParameters {
  double alpha = 0.0;
  double rc = 0.0;
  double kcut = 0.0;
};

// A simple rule for a target relative accuracy ε (0 < ε < 1), with
// s = sqrt(−ln ε): α = s/rc (so erfc(α rc) ~ ε) unless alpha > 0 is given,
// and k_cut = 2 α s (so exp(−k_cut²/4α²) = ε). Throws std::invalid_argument.
EwaldParameters ewald_parameters(double accuracy, double rc, double alpha = 0.0);

// One k-vector of the half space with its S(k) and prefactor A = (k_e 4π/V) w(k).
struct EwaldKTerm {
  double k[3];
  double a;
  double c;   // Re S(k)
  double s;   // Im S(k)
};

class EwaldReciprocal {
 public:
  // alpha > 0, kcut > 0 (1/Å).
  void set(double alpha, double kcut);
  double alpha() const { return alpha_; }
  double kcut() const { return kcut_; }

  // Adds the reciprocal-space forces to f (3n blocked), energies to atom_e
  // (n) and virials to atom_w (9n blocked); atom_e and atom_w may be null.
  // type_charge: device array of the charge per type (e).
  void add(std::size_t n, const Box& box, const double* x, const int* types, const double* type_charge, double* f,
           double* atom_e, double* atom_w);

  // The half-space k-vectors of the last add().
  std::size_t num_kvectors() const { return num_k_; }

 private:
  void enumerate(const Box& box);

  double alpha_ = 0.0;
  double kcut_ = 0.0;
  bool have_h_ = false;
  Mat3 h_;
  std::size_t num_k_ = 0;
  DeviceArray<int> triples_;        // 3 per k-vector, interleaved
  DeviceArray<EwaldKTerm> terms_;   // per k-vector
};

}  // namespace vitra::pair
