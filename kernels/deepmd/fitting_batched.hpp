#pragma once
// The fitting nets as matrix products over all atoms of one centre type at
// once (cuBLAS on the GPU): rows are atoms, Y_l = act(Y_{l−1}·W_l + b_l)
// ⊙ idt_l (+ shortcut), then the backward pass G_{l−1} = (G_l ⊙ act'_l)·W_lᵀ
// (+ shortcut) from G_L = 1 down to dE/dD. The same layer rules as
// dense_net.hpp, which is its reference.
#include <cstddef>

#include "cuda/device_array.hpp"
#include "kernels/deepmd/se_e2_a_device.hpp"

namespace vitra::deepmd {

template <class T>
struct FittingBatchBuffers {
  DeviceArray<T> ys;      // rows × Σ out, layer after layer (each block rows × out_l)
  DeviceArray<T> dz;      // same layout: act'(z) · idt
  DeviceArray<T> g0, g1;  // rows × widest: gradients
  std::size_t rows = 0;
  void ensure(std::size_t rows, const NetScratch& s);
};

// Atoms order[a0 + r0 + r] for r in [0, rows), all of centre type t, whose
// descriptors are the rows desc[(r0 + r)·nd ...]: writes their energies
// (atom_e[atom] = E + bias) and dE/dD into ddesc rows. Atoms of an excluded
// type get E = 0 and dE/dD = 0.
template <class T>
void fitting_batched(const DeviceSeE2a<T>& model, int t, const int* order, std::size_t a0, std::size_t r0,
                     std::size_t rows, const T* desc, T* ddesc, double* atom_e, FittingBatchBuffers<T>& buf);

}  // namespace vitra::deepmd
