#pragma once
// Potential: energy, forces and virial of a System. Implementations: pair
// potentials (Lennard-Jones, Buckingham) now; DeepPotential (se_e2_a),
// ClassicalPotential (Buckingham + Coulomb) and Ensemble later.
//
// Sign conventions (DeePMD-kit's, shared/spec/deepmd-se-e2-a.md):
//   F_j = -dE/dr_j (all periodic images folded back onto the owner)
//   W   = -Σ_pairs r_ij ⊗ dE/dr_ij,  r_ij = r_j - r_i   (3×3, eV)
// so that the pressure tensor is P = (Σ m v⊗v + W) / V. W is symmetric for a
// rotation-invariant energy; DeepPotential stores DeePMD-kit's orientation
// W_ab = -Σ (dE/dr_ij)_a (r_ij)_b, the transpose, which differs only for a
// model that is not rotation invariant (anisotropic davg/dstd).
// Per-atom virials sum to W. Pair potentials split each pair term equally
// between its two atoms; DeepPotential follows DeePMD-kit (deep_potential.hpp).
#include <string>

#include "cuda/device_array.hpp"
#include "kernels/system.hpp"
#include "kernels/vec3.hpp"

namespace vitra {

// What a compute() call must produce besides forces. Energies and virials
// need a reduction and a device->host copy, so a time step that does not
// output them asks for forces only and stays free of synchronisation.
struct ComputeRequest {
  bool energy = true;
  bool virial = true;
  bool atom_energy = false;  // fills Potential::atom_energy()
  bool atom_virial = false;  // fills Potential::atom_virial()
};

struct ComputeResult {
  double energy = 0.0;  // eV; valid when requested
  Mat3 virial;          // eV; valid when requested
};

class Potential {
 public:
  virtual ~Potential() = default;

  virtual std::string name() const = 0;
  // Interaction range (Å): pairs farther apart do not interact.
  virtual double cutoff() const = 0;

  // Overwrites s.forces; may wrap s.positions (when its neighbor list is
  // rebuilt, image counters keep unwrapped positions unchanged).
  virtual ComputeResult compute(System& s, const ComputeRequest& request = {}) = 0;

  // Rebuilds any neighbor list now, at the current positions (wrapping them
  // into the cell). Forces summed over a list depend, in their last bits, on
  // the order the list holds the neighbors in, which depends on where atoms
  // were when it was built. A checkpoint calls this before saving positions,
  // and a resumed run starts with a list built at those same positions, so
  // the resumed trajectory is bit-for-bit the uninterrupted one.
  virtual void rebuild_neighbors(System& /*s*/) {}

  // Per-atom energies (N, eV) and virials (9N blocked: component (a,b) of
  // atom i at [(3a+b)·N + i], eV) from the last compute() that asked for them.
  const DeviceArray<double>& atom_energy() const { return atom_energy_; }
  const DeviceArray<double>& atom_virial() const { return atom_virial_; }

 protected:
  DeviceArray<double> atom_energy_;
  DeviceArray<double> atom_virial_;
};

}  // namespace vitra
