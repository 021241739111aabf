#pragma once
// DeepPotential: a DeePMD-kit se_e2_a energy model behind the Potential
// interface. It keeps a Verlet list (rcut + skin) and, at every compute(),
// the sel-sorted list at the current positions (sel_list.hpp), then runs the
// network passes (fused: se_e2_a_fused.hpp + fitting_batched.hpp; generic:
// se_e2_a_generic.hpp) over chunks of atoms, taken in type order, so that
// the per-atom buffers stay within a memory budget.
//
// The System's elements are mapped onto the model's type_map by name (the
// model may know elements the System lacks; an element the model does not
// know is an error naming it). Atom types are read once per System size and
// type map: a System whose atom types change in place needs a new potential.
#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "cuda/device_array.hpp"
#include "kernels/deepmd/se_e2_a_generic.hpp"
#include "kernels/deepmd/se_e2_a_model.hpp"
#include "kernels/deepmd/sel_list.hpp"
#include "kernels/potential.hpp"

namespace vitra {

// Which implementation runs the network passes: the generic one-thread-per-
// atom passes (se_e2_a_generic.hpp), or the fused per-atom blocks for the
// descriptor (se_e2_a_fused.hpp) with the fitting nets as matrix products
// over the atoms of a type (fitting_batched.hpp). Auto is the fused path on
// both backends: it skips the padding slots' networks, and on two CPU cores
// it ran the reference model 1.2x faster than the generic passes
// (bench_deepmd, 2026-11-25). Generic stays the reference the tests use.
enum class DeepKernels { Auto, Generic, Fused };

struct DeepPotentialOptions {
  double skin = 1.0;                 // Å, Verlet skin
  bool truncate_sel = false;         // keep the nearest sel[t] (DeePMD-kit's behaviour) instead of failing
  std::size_t max_chunk_atoms = 0;   // atoms per pass; 0: from memory_budget
  double memory_budget_gib = 1.0;    // per-chunk buffers
  // How atom virials split a pair term; DeePMD-kit gives all of it to the
  // neighbor (see the .cu file), and so does vitra by default.
  deepmd::AtomVirialSplit atom_virial_split = deepmd::AtomVirialSplit::Neighbor;
  DeepKernels kernels = DeepKernels::Auto;
  // A compute() that asks only for forces does not wait for the device to
  // report a sel overflow; the overflow is recorded there and reported by the
  // next compute() asking for an energy or virial, or after this many.
  long long sel_check_interval = 100;
};

class DeepPotential : public Potential {
 public:
  explicit DeepPotential(deepmd::SeE2aModel model, DeepPotentialOptions options = {});
  ~DeepPotential() override;

  std::string name() const override;
  double cutoff() const override { return model_.rcut; }
  ComputeResult compute(System& s, const ComputeRequest& request = {}) override;
  void rebuild_neighbors(System& s) override { list_.rebuild(s); }

  const deepmd::SeE2aModel& model() const { return model_; }
  const DeepPotentialOptions& options() const { return options_; }
  // Atoms per pass of the last compute().
  std::size_t chunk_atoms() const { return chunk_; }
  // The neighbor list of the last compute() (for tests and the ensemble).
  const NeighborList& neighbor_list() const { return list_.get("DeepPotential"); }

  // The model types of the System's atoms (N, backend memory), made on first
  // use for this System's size and type map. Throws ModelError for an element
  // outside the model's type map.
  const DeviceArray<int>& model_types(const System& s);
  // Evaluates on a sel-sorted list built elsewhere for this model's rcut and
  // sel at the current positions (Ensemble: one list, several models).
  // Writes forces into f (3N blocked, overwritten).
  ComputeResult compute_on_list(const System& s, const NeighborList& list, const ComputeRequest& request,
                                double* f);

  struct Impl;  // the model uploaded in its precision (deep_potential.cu)

 private:
  deepmd::SeE2aModel model_;
  DeepPotentialOptions options_;
  std::unique_ptr<Impl> impl_;
  SelNeighborList list_;
  std::size_t chunk_ = 0;
  // model_types cache key
  std::size_t types_n_ = 0;
  std::vector<std::string> types_names_;
  DeviceArray<int> model_types_;
  // Atoms sorted by model type (stable), and where each type starts in it:
  // the passes run over this order so that a chunk holds runs of one type.
  DeviceArray<int> order_;
  std::vector<std::size_t> type_begin_;  // ntypes + 1
};

}  // namespace vitra
