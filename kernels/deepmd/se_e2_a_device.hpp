#pragma once
// DeviceSeE2a<T>: an se_e2_a model uploaded to the active backend in
// precision T (double or float), and SeE2aView<T>, the trivially copyable
// view of it that kernels take by value.
#include <cstddef>
#include <vector>

#include "cuda/device_array.hpp"
#include "kernels/deepmd/dense_net.hpp"
#include "kernels/deepmd/se_e2_a_model.hpp"

namespace vitra::deepmd {

template <class T>
struct SeE2aView {
  int ntypes = 0;
  int nnei = 0;
  int m1 = 0;  // embedding outputs
  int m2 = 0;  // axis_neuron
  double rcut = 0.0, rcut_smth = 0.0, protection = 0.0;
  const int* slot_type = nullptr;   // nnei: neighbor type of each slot
  const double* davg = nullptr;     // [ntypes][nnei][4]
  const double* dstd = nullptr;
  const LayerDesc* layers = nullptr;
  const T* params = nullptr;
  const NetRef* embedding = nullptr;  // [ti * ntypes + tj], type_one_side expanded
  const NetRef* fitting = nullptr;    // [ti]
  const unsigned char* pair_on = nullptr;  // [ti * ntypes + tj]: 0 = excluded pair
  const unsigned char* atom_on = nullptr;  // [ti]: 0 = atom_exclude_types
  const double* energy_bias = nullptr;     // [ti]: bias_atom_e + out_bias
  const int* type_offset = nullptr;        // ntypes + 1: first slot of each neighbor type
  // Padding contributions Σ_{s ≥ off_t + c} G(R̂_s)ᵀ R̂_s over the padding slots of
  // type block t when its first c slots hold neighbors, R̂_s = −davg/dstd:
  // M1 × 4 values at [((ti · (nnei + ntypes)) + type_offset[t] + t + c) · M1 · 4],
  // c = 0 .. sel[t]. Zero for a pair whose network is not stored.
  const T* padding_sums = nullptr;

  VITRA_HD int descriptor_size() const { return m1 * m2; }
};

// Scratch sizes (numbers of T per atom) of the generic per-atom passes.
struct NetScratch {
  int sum_out = 0;  // Σ layer outputs (ys and dz each)
  int widest = 0;   // widest layer input or output (gradient buffers)
  int per_atom() const { return 2 * sum_out + 2 * widest; }
};

template <class T>
class DeviceSeE2a {
 public:
  explicit DeviceSeE2a(SeE2aModel model);

  SeE2aView<T> view() const;
  const SeE2aModel& model() const { return model_; }
  NetScratch embedding_scratch() const { return emb_scratch_; }
  NetScratch fitting_scratch() const { return fit_scratch_; }
  // Host copies of the tables (for the cuBLAS fitting path).
  const std::vector<LayerDesc>& host_layers() const { return host_layers_; }
  const std::vector<NetRef>& host_fitting() const { return host_fitting_; }
  const T* params() const { return params_.data(); }

 private:
  std::vector<T> padding_sums(const SeE2aModel& model, const std::vector<NetRef>& emb, const std::vector<T>& params,
                              const std::vector<int>& type_offset) const;

  SeE2aModel model_;
  NetScratch emb_scratch_, fit_scratch_;
  std::vector<LayerDesc> host_layers_;
  std::vector<NetRef> host_fitting_;
  DeviceArray<int> slot_type_;
  DeviceArray<double> davg_, dstd_, energy_bias_;
  DeviceArray<LayerDesc> layers_;
  DeviceArray<T> params_;
  DeviceArray<NetRef> embedding_, fitting_;
  DeviceArray<unsigned char> pair_on_, atom_on_;
  DeviceArray<int> type_offset_;
  DeviceArray<T> padding_sums_;
};

extern template class DeviceSeE2a<double>;
extern template class DeviceSeE2a<float>;

}  // namespace vitra::deepmd
