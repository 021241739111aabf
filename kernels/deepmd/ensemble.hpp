#pragma once
// Ensemble: N >= 2 DeePMD-kit se_e2_a models (DeepPotential) evaluated on one
// neighbor list, as DP-GEN's exploration runs them. Model 0 drives the
// dynamics: it writes s.forces and gives the energy, virial and per-atom
// outputs of compute(). The others write their forces into buffers of the
// ensemble, and the deviation between the models is reduced on the device.
//
// Deviation (DP-GEN / DeePMD-kit, deepmd/infer/model_devi.py:
// calc_model_devi_f, calc_model_devi_v, calc_model_devi_e, and calc_model_devi,
// which divides energies and virials by the number of atoms first). Every std
// is over the N models with 1/N (numpy's np.std, ddof = 0):
//   σ_F,i      = |std_k F_k,i| = sqrt(Σ_c ⟨(F_k,i,c − ⟨F_i,c⟩)²⟩_k)   (per atom)
//   max/min/avg_devi_f = max, min, mean over atoms of σ_F,i
//   σ_V,c      = std_k (W_k,c / N_atoms), c the 9 components of the virial
//   max/min_devi_v = max, min over c of σ_V,c
//   avg_devi_v = sqrt(Σ_c σ_V,c²) / 3        (np.linalg.norm(σ_V) / 3, not a mean)
//   devi_e     = std_k (E_k / N_atoms)
// σ_F,i is computed per atom on the device and reduced there (max, min, sum):
// the host receives one reduction result and, from each model, its energy
// and virial (the small totals DeepPotential::compute_on_list returns).
//
// The deviation is computed by every compute() while set_compute_deviation
// is on (the default). Off, compute() evaluates model 0 alone: the dynamics
// need nothing else, and a run switches it on only for the steps whose
// deviation it writes. Model 0's forces are the same either way.
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "cuda/device_array.hpp"
#include "kernels/deepmd/deep_potential.hpp"
#include "kernels/deepmd/se_e2_a_model.hpp"
#include "kernels/neighbor/owned_list.hpp"
#include "kernels/potential.hpp"

namespace vitra {

// DP-GEN's model_devi.out columns for one structure (see above).
struct ModelDeviation {
  double max_devi_v = 0.0;  // eV per atom
  double min_devi_v = 0.0;
  double avg_devi_v = 0.0;
  double max_devi_f = 0.0;  // eV/Å
  double min_devi_f = 0.0;
  double avg_devi_f = 0.0;
  double devi_e = 0.0;  // eV per atom
};

// The deviation of N model outputs on one structure of `natoms` atoms, from
// the per-model energies (eV) and virials (eV) and the force statistics
// (max, min, mean of σ_F,i). Host arithmetic shared by Ensemble and tests.
ModelDeviation deviation_from_totals(const std::vector<double>& energies, const std::vector<Mat3>& virials,
                                     std::size_t natoms, double max_f, double min_f, double avg_f);

class Ensemble : public Potential {
 public:
  // Throws std::invalid_argument for fewer than two models, or when a model's
  // rcut, sel or type_map differs from model 0's (naming the model and the
  // field), or for what DeepPotential's constructor rejects.
  explicit Ensemble(std::vector<deepmd::SeE2aModel> models, DeepPotentialOptions options = {});
  ~Ensemble() override;

  std::string name() const override;
  double cutoff() const override;
  // Builds the list once (rcut + skin, sel-sorted by model types), then model 0
  // into s.forces and, with the deviation on, models 1..N-1 into their buffers,
  // followed by the deviation. ModelError as DeepPotential::compute.
  ComputeResult compute(System& s, const ComputeRequest& request = {}) override;
  void rebuild_neighbors(System& s) override { list_.rebuild(s); }

  std::size_t size() const { return models_.size(); }
  DeepPotential& model(std::size_t k) { return *models_.at(k); }
  const DeepPotential& model(std::size_t k) const { return *models_.at(k); }

  void set_compute_deviation(bool on) { deviation_on_ = on; }
  bool compute_deviation() const { return deviation_on_; }

  // Whether the last compute() computed the deviation.
  bool has_deviation() const { return has_deviation_; }
  // The deviation of the last compute(); std::logic_error when it computed none.
  const ModelDeviation& last_deviation() const;
  // σ_F,i of the last compute() with the deviation (N, backend memory).
  const DeviceArray<double>& atom_force_deviation() const { return sigma_f_; }
  // Forces of model k (3N blocked) of the last compute() with the deviation:
  // k = 0 is s.forces, which is not kept here (nullptr); k >= 1 the buffers.
  const double* model_forces(std::size_t k) const;
  // Energy and virial of every model from the last compute() with the deviation (host).
  const std::vector<ComputeResult>& model_results() const { return results_; }

  const NeighborList& neighbor_list() const { return list_.get("Ensemble"); }

 private:
  std::vector<std::unique_ptr<DeepPotential>> models_;
  DeepPotentialOptions options_;
  SelNeighborList list_;
  bool deviation_on_ = true;
  bool has_deviation_ = false;
  ModelDeviation deviation_;
  std::vector<ComputeResult> results_;
  DeviceArray<double> other_forces_;  // (N-1) × 3N: model k at (k-1)·3N
  DeviceArray<double> sigma_f_;       // N
};

}  // namespace vitra
