#pragma once
// PairPotential: Lennard-Jones and Buckingham pair terms (pair_math.hpp)
// between atom types, evaluated on a full Verlet list, with optional Coulomb
// between fixed per-type charges: damped shifted force, or Ewald summation
// (real space merged into the pair table, reciprocal space added after the
// pair loop by pair::EwaldReciprocal).
//
// The table holds one PairTerm per ordered type pair (ti, tj); the setters
// write both (ti, tj) and (tj, ti), so it is symmetric by construction. A type
// pair that is never set does not interact (PairForm::None). Each term has its
// own cutoff rc; the neighbor list uses the largest one (cutoff()) plus the
// skin. "shift" subtracts E(rc) inside the cutoff (LAMMPS `pair_modify shift
// yes`): the energy is continuous at rc, the forces are unchanged.
//
// Evaluation: one thread per atom walks its full-list row and accumulates its
// own force (no atomics, no half list); its energy is half the pair energies
// and its virial half of each pair's -r_ij ⊗ dE/dr_ij, so both per-atom
// arrays sum to the totals of potential.hpp. Totals are reduced only when the
// ComputeRequest asks for them.
#include <memory>
#include <string>
#include <vector>

#include "cuda/device_array.hpp"
#include "kernels/neighbor/neighbor_list.hpp"
#include "kernels/neighbor/owned_list.hpp"
#include "kernels/pair/ewald_reciprocal.hpp"
#include "kernels/pair/pair_math.hpp"
#include "kernels/potential.hpp"

namespace vitra {

class PairPotential : public Potential {
 public:
  // num_types: the types the table covers (a System must not have more);
  // skin (Å): the Verlet skin of the neighbor list.
  explicit PairPotential(int num_types, double skin = 1.0);

  // E = 4ε[(σ/r)¹² − (σ/r)⁶] for r < rc, between types ti and tj (either order).
  void set_lennard_jones(int ti, int tj, double epsilon, double sigma, double rc, bool shift = false);
  // E = A exp(−r/ρ) − C/r⁶ for r < rc, between types ti and tj (either order).
  void set_buckingham(int ti, int tj, double A, double rho, double C, double rc, bool shift = false);
  // Removes the interaction between ti and tj.
  void clear_pair(int ti, int tj);
  // Coulomb between fixed charges (e, one per type) as damped shifted force
  // with damping alpha (1/Å, >= 0) and cutoff rc (Å), on top of the pair
  // terms; each atom also gets the DSF self energy. Empty charges: none.
  void set_coulomb_dsf(const std::vector<double>& charges, double alpha, double rc);
  // Coulomb between fixed charges (e, one per type) by Ewald summation
  // (LAMMPS coul/long + kspace_style ewald): the real-space term
  // k q_i q_j erfc(αr)/r for r < rc in the pair table, the self energy
  // −k α/√π q_i² per atom, the reciprocal-space sum up to |k| <= kcut
  // (ewald_reciprocal.hpp), and the neutralising background of a net
  // charge. alpha > 0 (1/Å), rc > 0 (Å), kcut > 0 (1/Å); pair::ewald_parameters
  // picks them from a target accuracy. Empty charges: no Coulomb.
  void set_coulomb_ewald(const std::vector<double>& charges, double alpha, double rc, double kcut);
  // Which Coulomb form is on (the last setter called with charges).
  pair::CoulombForm coulomb_form() const { return coulomb_form_; }
  // The Ewald reciprocal part (its num_kvectors() after a compute()).
  const pair::EwaldReciprocal& ewald() const { return ewald_; }

  int num_types() const { return num_types_; }
  double skin() const { return skin_; }
  // The short-range term for (ti, tj): form, parameters, rc², shift.
  const pair::PairTerm& term(int ti, int tj) const;
  const std::vector<double>& charges() const { return charges_; }

  std::string name() const override { return "pair"; }
  // Largest rc of the table and of the Coulomb term (0 while nothing is set).
  double cutoff() const override;

  // Throws std::invalid_argument when s has more types than the table or no
  // pair is set; NeighborError from the list build (non-finite positions...).
  ComputeResult compute(System& s, const ComputeRequest& request = {}) override;

  // The Verlet list of the last compute() (for statistics); std::logic_error
  // before the first compute().
  const NeighborList& neighbor_list() const;
  void rebuild_neighbors(System& s) override;

 private:
  void check_pair(int ti, int tj) const;
  void set_term(int ti, int tj, const pair::PairTerm& t);

  int num_types_;
  double skin_;
  std::vector<pair::PairTerm> table_;      // host copy of the short-range terms, [ti * num_types + tj]
  std::vector<double> charges_;            // per type (e); empty: no Coulomb
  pair::DsfCoulomb dsf_;                   // DSF, or Ewald real space (alpha, rc2; no shifts)
  pair::CoulombForm coulomb_form_ = pair::CoulombForm::Dsf;
  pair::EwaldReciprocal ewald_;
  DeviceArray<double> d_self_;             // per type: DSF or Ewald self energy (eV)
  DeviceArray<double> d_charge_;           // per type: charge (e), for the Ewald reciprocal part
  DeviceArray<pair::PairTerm> d_table_;    // short-range + Coulomb, uploaded when changed
  void upload_table();
  bool table_dirty_ = true;
  OwnedNeighborList list_;
};

}  // namespace vitra
