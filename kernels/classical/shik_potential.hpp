#pragma once
// ShikPotential: the SHIK force field (kernels/classical/shik_math.hpp) in
// the authors' truncation — short range A exp(−Br) − C/r⁶ + D/r²⁴ shifted
// and smoothed to zero at rc_SR (8 Å), undamped force-shifted Wolf Coulomb
// smoothed to zero at rc_W (10 Å), G(r; rc) = exp(−γ²/(r − rc)²), γ = 0.2 Å
// — evaluated on a full Verlet list.
//
// Parameters come per unordered type pair (a pair without an entry interacts
// by Coulomb only) and one fixed charge per type. The charges are taken as
// given: making the box neutral (SHIK's composition-dependent q_O) is the
// caller's job (host/forcefield/shik_set.hpp does it from the atom counts).
//
// Evaluation as PairPotential: one thread per atom over its full-list row,
// its own force accumulated without atomics, half of each pair energy and of
// each pair virial −r_ij ⊗ dE/dr_ij per atom, so the per-atom arrays sum to
// the totals of potential.hpp; totals reduced only when requested.
#include <memory>
#include <string>
#include <vector>

#include "cuda/device_array.hpp"
#include "kernels/classical/shik_math.hpp"
#include "kernels/neighbor/neighbor_list.hpp"
#include "kernels/neighbor/owned_list.hpp"
#include "kernels/potential.hpp"

namespace vitra {

// Short-range parameters of one unordered type pair: A (eV), B (1/Å),
// C (eV·Å⁶), D (eV·Å²⁴).
struct ShikPairParams {
  int ti = 0, tj = 0;
  double A = 0.0, B = 0.0, C = 0.0, D = 0.0;
};

// Cutoffs (Å) and smoothing widths γ (Å) of the two parts, as fitted by the
// authors, and the Verlet skin (Å).
struct ShikSettings {
  double rc_sr = 8.0;
  double rc_coulomb = 10.0;
  double gamma_sr = 0.2;
  double gamma_coulomb = 0.2;
  double skin = 1.0;
};

class ShikPotential : public Potential {
 public:
  // charges: one per type (e), which also fixes the number of types; pairs:
  // at most one entry per unordered type pair. Throws std::invalid_argument
  // for types out of range, duplicate pairs, non-finite numbers, B <= 0,
  // cutoffs <= 0, γ < 0 or a negative skin.
  ShikPotential(std::vector<double> charges, const std::vector<ShikPairParams>& pairs,
                const ShikSettings& settings = {});

  int num_types() const { return num_types_; }
  const std::vector<double>& charges() const { return charges_; }
  const ShikSettings& settings() const { return settings_; }
  // The kernel's term for (ti, tj), Coulomb merged in.
  const shik::ShikTerm& term(int ti, int tj) const;

  std::string name() const override { return "shik"; }
  // rc_sr when any short-range pair is set, rc_coulomb when any two charges
  // interact: the larger of the two (0 when nothing interacts).
  double cutoff() const override;

  // Throws std::invalid_argument when s has more types than the table or
  // nothing interacts; NeighborError from the list build.
  ComputeResult compute(System& s, const ComputeRequest& request = {}) override;

  // The Verlet list of the last compute(); std::logic_error before it.
  const NeighborList& neighbor_list() const;
  void rebuild_neighbors(System& s) override;

 private:
  int num_types_;
  std::vector<double> charges_;
  ShikSettings settings_;
  std::vector<shik::ShikTerm> table_;     // host copy, [ti * num_types + tj]
  DeviceArray<shik::ShikTerm> d_table_;   // uploaded at the first compute on a backend
  OwnedNeighborList list_;
};

}  // namespace vitra
