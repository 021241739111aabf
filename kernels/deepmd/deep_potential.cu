#include "kernels/deepmd/deep_potential.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "cuda/memory.hpp"
#include "kernels/deepmd/fitting_batched.hpp"
#include "kernels/deepmd/se_e2_a_device.hpp"
#include "kernels/deepmd/se_e2_a_fused.hpp"
#include "kernels/pair/full_list_forces.cuh"

// Per-atom virials. DeePMD-kit gives a pair's whole term, component (a, b) =
// −(dE/dr_ij)_a (r_ij)_b, to the neighbor j: its reference atomic virials
// (shared/data/deepmd-fixtures, PyTorch backend) are reproduced this way to
// 1e-16, and not by half-and-half or by the transposed term. The sum over
// atoms is the virial either way. AtomVirialSplit::Half gives each atom half.

namespace vitra {

using namespace deepmd;

struct DeepPotential::Impl {
  virtual ~Impl() = default;
  virtual Backend backend() const = 0;
  // Buffer bytes per atom of a chunk, for the fused or the generic passes.
  virtual std::size_t bytes_per_atom(bool fused) const = 0;
  // Atoms order[a0 .. a1), a chunk whose atoms of type t are order positions
  // [type_begin[t], type_begin[t + 1]) ∩ [a0, a1).
  virtual void run(bool fused, SelListView list, const int* types, const int* order,
                   const std::vector<std::size_t>& type_begin, std::size_t n, std::size_t a0, std::size_t a1,
                   std::size_t chunk, const ForceOutputs& out) = 0;
};

namespace {

template <class T>
struct ImplOf : DeepPotential::Impl {
  explicit ImplOf(const SeE2aModel& m) : model(m), where(active_backend()) {}
  Backend backend() const override { return where; }
  std::size_t bytes_per_atom(bool fused) const override {
    const SeE2aModel& m = model.model();
    const NetScratch e = model.embedding_scratch();
    const NetScratch f = model.fitting_scratch();
    const std::size_t nd = m.descriptor_size();
    // Both: T, D and its gradient, dE/dr_ij. Fused: the batched fitting's
    // activations, slopes and two gradient rows. Generic: its scratch.
    const std::size_t own = fused ? 2 * f.sum_out + 2 * f.widest
                                  : std::max<std::size_t>(e.per_atom() + 4 * m.m1(), f.per_atom());
    return sizeof(T) * (own + 4 * m.m1() + 2 * nd) + sizeof(double) * 3 * m.nnei();
  }
  void run(bool fused, SelListView list, const int* types, const int* order,
           const std::vector<std::size_t>& type_begin, std::size_t n, std::size_t a0, std::size_t a1,
           std::size_t chunk, const ForceOutputs& out) override {
    buffers.ensure(chunk, model, !fused);
    if (!fused) {
      se_e2_a_generic(model, list, types, order, n, a0, a1, buffers, out);
      return;
    }
    const std::size_t count = a1 - a0;
    fused_descriptor_forward(model, list, types, order, a0, count, buffers.tmat.data(), buffers.desc.data());
    for (int t = 0; t + 1 < static_cast<int>(type_begin.size()); ++t) {
      const std::size_t b = std::max(a0, type_begin[t]), e = std::min(a1, type_begin[t + 1]);
      if (b >= e) continue;
      fitting_batched(model, t, order, a0, b - a0, e - b, buffers.desc.data(), buffers.ddesc.data(), out.atom_e,
                      fitting);
    }
    fused_descriptor_backward(model, list, types, order, a0, count, buffers.tmat.data(), buffers.ddesc.data(),
                              buffers.gpair.data());
    pair_forces(model.model().nnei(), list, order, n, a0, a1, buffers.gpair.data(), out);
  }
  DeviceSeE2a<T> model;
  SeE2aBuffers<T> buffers;
  FittingBatchBuffers<T> fitting;
  Backend where;
};

}  // namespace

DeepPotential::DeepPotential(SeE2aModel model, DeepPotentialOptions options)
    : model_(std::move(model)), options_(options) {
  model_.validate();
  if (!(options_.skin >= 0.0)) throw std::invalid_argument("DeepPotential: the neighbor skin must be >= 0");
  if (!(options_.memory_budget_gib > 0.0))
    throw std::invalid_argument("DeepPotential: the memory budget must be positive");
}

DeepPotential::~DeepPotential() = default;

std::string DeepPotential::name() const {
  std::string types;
  for (const std::string& t : model_.type_map) types += (types.empty() ? "" : " ") + t;
  return std::string("deepmd se_e2_a (") + types + ", " +
         (model_.precision == Precision::Float32 ? "float32" : "float64") + ")";
}

const DeviceArray<int>& DeepPotential::model_types(const System& s) {
  if (types_n_ == s.size() && types_names_ == s.type_map.names && !model_types_.empty() &&
      model_types_.backend() == active_backend())
    return model_types_;
  std::vector<int> map(s.type_map.size(), -1);
  const std::vector<int> types = s.host_types();
  std::vector<char> used(s.type_map.size(), 0);
  for (int t : types) used[t] = 1;
  for (int t = 0; t < s.type_map.size(); ++t) {
    const auto it = std::find(model_.type_map.begin(), model_.type_map.end(), s.type_map.names[t]);
    if (it != model_.type_map.end()) map[t] = static_cast<int>(it - model_.type_map.begin());
    else if (used[t]) {
      std::string known;
      for (const std::string& k : model_.type_map) known += (known.empty() ? "" : ", ") + k;
      throw ModelError("the structure holds " + s.type_map.names[t] +
                       ", which the model's type map does not know (it has " + known + ")");
    }
  }
  std::vector<int> mt(types.size());
  for (std::size_t i = 0; i < types.size(); ++i) mt[i] = map[types[i]];
  model_types_.copy_from_host(mt);
  std::vector<int> order;
  type_begin_.assign(1, 0);
  for (int t = 0; t < model_.ntypes(); ++t) {
    for (std::size_t i = 0; i < mt.size(); ++i)
      if (mt[i] == t) order.push_back(static_cast<int>(i));
    type_begin_.push_back(order.size());
  }
  order_.copy_from_host(order);
  types_n_ = s.size();
  types_names_ = s.type_map.names;
  return model_types_;
}

ComputeResult DeepPotential::compute(System& s, const ComputeRequest& request) {
  const DeviceArray<int>& types = model_types(s);
  const bool output = request.energy || request.virial || request.atom_energy || request.atom_virial;
  NeighborList& nl = list_.update(s, types.data(), model_, options_.skin, options_.truncate_sel,
                                  options_.sel_check_interval, output);
  return compute_on_list(s, nl, request, s.forces.data());
}

ComputeResult DeepPotential::compute_on_list(const System& s, const NeighborList& list,
                                             const ComputeRequest& request, double* f) {
  const std::size_t n = s.size();
  if (list.size() != n || list.nnei() != model_.nnei())
    throw std::logic_error("DeepPotential: the sel-sorted list was not built for this system and model");
  const DeviceArray<int>& types = model_types(s);
  if (!impl_ || impl_->backend() != active_backend()) {
    if (model_.precision == Precision::Float32) impl_ = std::make_unique<ImplOf<float>>(model_);
    else impl_ = std::make_unique<ImplOf<double>>(model_);
  }
  const bool fused = options_.kernels != DeepKernels::Generic;
  chunk_ = options_.max_chunk_atoms;
  if (chunk_ == 0) {
    const double budget = options_.memory_budget_gib * 1024.0 * 1024.0 * 1024.0;
    chunk_ = std::max<std::size_t>(1, static_cast<std::size_t>(budget / impl_->bytes_per_atom(fused)));
  }
  chunk_ = std::min(chunk_, std::max<std::size_t>(n, 1));

  memory::zero(f, 3 * n * sizeof(double), active_backend());
  atom_energy_.resize(n);
  const bool want_w = request.virial || request.atom_virial;
  if (want_w) {
    atom_virial_.resize(9 * n);
    atom_virial_.fill_zero();
  }
  ForceOutputs out;
  out.f = f;
  out.atom_e = atom_energy_.data();
  out.atom_w = want_w ? atom_virial_.data() : nullptr;
  out.split = options_.atom_virial_split;
  const SelListView view{list.sel_index(), list.sel_rij()};
  for (std::size_t a0 = 0; a0 < n; a0 += chunk_)
    impl_->run(fused, view, types.data(), order_.data(), type_begin_, n, a0, std::min(n, a0 + chunk_), chunk_, out);

  pair::AtomOutputs totals;
  totals.energy = atom_energy_.data();
  totals.virial = out.atom_w;
  return pair::requested_totals(request, n, totals);
}

}  // namespace vitra
