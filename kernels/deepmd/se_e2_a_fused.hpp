#pragma once
// The descriptor passes of se_e2_a with one thread block per atom: the
// neighbors of a type are taken in tiles of a few slots, and each layer of
// the embedding net runs over (slot, output) pairs of the tile with its
// activations in shared memory, forward and, for the forces, backward. The
// per-neighbor activations therefore never reach device memory. Padding
// slots take no network evaluation: their contribution is a per-(centre type,
// slot) constant, summed once when the model is uploaded (padding_sums).
//
// The block code is VITRA_HD and written over (thread, threads): the CUDA
// kernel runs it with 128 threads per block; the CPU backend runs it with one
// thread per block (its loops then cover every index in order), so the CPU
// tests check the very index arithmetic the GPU runs. The generic passes
// (se_e2_a_generic.hpp) are the reference both are compared with.
#include <cstddef>

#include "kernels/deepmd/se_e2_a_device.hpp"
#include "kernels/deepmd/se_e2_a_generic.hpp"

namespace vitra::deepmd {

// tmat (count × M1 × 4) and desc (count × M1·M2) for atoms order[a0 + li].
template <class T>
void fused_descriptor_forward(const DeviceSeE2a<T>& model, SelListView list, const int* types, const int* order,
                              std::size_t a0, std::size_t count, T* tmat, T* desc);

// gpair (count × nnei × 3) = dE/dr_ij from tmat and ddesc = dE/dD; zero for
// padding and masked slots.
template <class T>
void fused_descriptor_backward(const DeviceSeE2a<T>& model, SelListView list, const int* types, const int* order,
                               std::size_t a0, std::size_t count, const T* tmat, const T* ddesc, double* gpair);

}  // namespace vitra::deepmd
