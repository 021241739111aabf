#pragma once
// The generic se_e2_a evaluation: one thread per atom, both backends, the
// reference every faster path is tested against. For the atoms [a0, a1):
//
//   descriptor_forward   R̂ rows -> embedding G(s) -> T = Σ_s Gᵀ R̂ / nnei,
//                        D = T · T[:M2]ᵀ                   (per atom)
//   fitting_forward_backward  E_i = fit(D_i) + bias, dE/dD  (per atom)
//   descriptor_backward  dE/dT -> per slot dE/dR̂ (through the embedding net
//                        again) -> g_ij = dE/dr_ij         (per atom)
//   pair_forces          F_i += Σ_j g_ij, F_j −= g_ij, virial −g_ij ⊗ r_ij
//
// The embedding activations of a slot are recomputed in the backward pass
// instead of stored (a per-slot store would be nnei × Σ widths per atom).
#include <cstddef>

#include "cuda/device_array.hpp"
#include "kernels/deepmd/se_e2_a_device.hpp"

namespace vitra::deepmd {

// The sel-sorted neighbor list (NeighborList::sel_*), N × nnei per array.
struct SelListView {
  const int* index = nullptr;    // j or -1
  const double* rij = nullptr;   // 3 per slot
};

// Per-chunk buffers (sized by ensure(); reused across calls).
template <class T>
struct SeE2aBuffers {
  DeviceArray<T> scratch;   // chunk × per-atom scratch (generic passes only)
  DeviceArray<T> tmat;      // chunk × M1 × 4
  DeviceArray<T> desc;      // chunk × M1·M2
  DeviceArray<T> ddesc;     // chunk × M1·M2: dE/dD
  DeviceArray<double> gpair;  // chunk × nnei × 3: dE/dr_ij
  std::size_t chunk = 0;
  long long scratch_stride = 0;

  // with_scratch: also the generic passes' per-atom scratch.
  void ensure(std::size_t chunk_atoms, const DeviceSeE2a<T>& model, bool with_scratch);
};

// How atom virials split a pair term −g_ij ⊗ r_ij: half to each atom, or all
// to the neighbor j (DeePMD-kit: prod_virial_a and its PyTorch backend).
enum class AtomVirialSplit { Half, Neighbor };

struct ForceOutputs {
  double* f = nullptr;       // 3N blocked, accumulated (zero it first)
  double* atom_e = nullptr;  // N, written for [a0, a1)
  double* atom_w = nullptr;  // 9N blocked, accumulated (zero it first); may be null
  AtomVirialSplit split = AtomVirialSplit::Half;
};

// Runs the four passes for the atoms order[a0 .. a1) (a1 − a0 ≤ buffers.chunk;
// order: a permutation of the N atoms, e.g. sorted by type). Row li of the
// chunk buffers belongs to atom order[a0 + li].
template <class T>
void se_e2_a_generic(const DeviceSeE2a<T>& model, SelListView list, const int* types, const int* order,
                     std::size_t n, std::size_t a0, std::size_t a1, SeE2aBuffers<T>& buffers, const ForceOutputs& out);

// The last pass alone, from dE/dr_ij of the chunk (gpair, (a1 − a0) × nnei × 3).
void pair_forces(int nnei, SelListView list, const int* order, std::size_t n, std::size_t a0, std::size_t a1,
                 const double* gpair, const ForceOutputs& out);

}  // namespace vitra::deepmd
