#include "kernels/deepmd/ensemble.hpp"

#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

#include "cuda/for_each.cuh"
#include "cuda/reduce.cuh"
#include "kernels/system.hpp"

namespace vitra {

namespace {

using deepmd::SeE2aModel;

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const std::string& x : v) s += (s.empty() ? "" : ", ") + x;
  return "[" + s + "]";
}
std::string join(const std::vector<int>& v) {
  std::string s;
  for (int x : v) s += (s.empty() ? "" : ", ") + std::to_string(x);
  return "[" + s + "]";
}
std::string number(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", x);
  return buf;
}

void check_compatible(const std::vector<SeE2aModel>& models) {
  if (models.size() < 2)
    throw std::invalid_argument("Ensemble: needs at least two models, got " + std::to_string(models.size()));
  const SeE2aModel& m0 = models[0];
  for (std::size_t k = 1; k < models.size(); ++k) {
    const SeE2aModel& m = models[k];
    const std::string who = "Ensemble: model " + std::to_string(k) + " ";
    if (m.type_map != m0.type_map)
      throw std::invalid_argument(who + "has type_map " + join(m.type_map) + ", model 0 has " +
                                  join(m0.type_map) + " (all models must share rcut, sel and type_map)");
    if (m.rcut != m0.rcut)
      throw std::invalid_argument(who + "has rcut = " + number(m.rcut) + " A, model 0 has rcut = " +
                                  number(m0.rcut) + " A (all models must share rcut, sel and type_map)");
    if (m.sel != m0.sel)
      throw std::invalid_argument(who + "has sel = " + join(m.sel) + ", model 0 has sel = " + join(m0.sel) +
                                  " (all models must share rcut, sel and type_map)");
  }
}

// σ_F,i = sqrt(Σ_c (1/M) Σ_k (F_k,i,c − ⟨F_i,c⟩)²), as the norm over c of
// np.std over the models. Model 0 reads f0, model k >= 1 reads
// fo + (k−1)·3n; all blocked SoA.
struct AtomForceDeviation {
  std::size_t n;
  int m;
  const double* f0;
  const double* fo;
  double* sigma;
  VITRA_HD void operator()(std::size_t i) const {
    const std::size_t stride = 3 * n;
    double var = 0.0;
    for (int c = 0; c < 3; ++c) {
      const std::size_t at = c * n + i;
      double mean = f0[at];
      for (int k = 1; k < m; ++k) mean += fo[(k - 1) * stride + at];
      mean /= m;
      double d = f0[at] - mean;
      double ss = d * d;
      for (int k = 1; k < m; ++k) {
        d = fo[(k - 1) * stride + at] - mean;
        ss += d * d;
      }
      var += ss / m;
    }
    sigma[i] = sqrt(var);
  }
};

struct MaxMinSum {
  double max;
  double min;
  double sum;
};
struct MaxMinSumOf {
  const double* sigma;
  VITRA_HD MaxMinSum operator()(std::size_t i) const { return MaxMinSum{sigma[i], sigma[i], sigma[i]}; }
};
struct MaxMinSumOp {
  VITRA_HD MaxMinSum operator()(const MaxMinSum& a, const MaxMinSum& b) const {
    return MaxMinSum{a.max < b.max ? b.max : a.max, b.min < a.min ? b.min : a.min, a.sum + b.sum};
  }
};

// np.std over the values (1/M): the mean first, then the mean square deviation.
double population_std(const std::vector<double>& x) {
  double mean = 0.0;
  for (double v : x) mean += v;
  mean /= static_cast<double>(x.size());
  double ss = 0.0;
  for (double v : x) ss += (v - mean) * (v - mean);
  return std::sqrt(ss / static_cast<double>(x.size()));
}

}  // namespace

ModelDeviation deviation_from_totals(const std::vector<double>& energies, const std::vector<Mat3>& virials,
                                     std::size_t natoms, double max_f, double min_f, double avg_f) {
  if (energies.size() != virials.size() || energies.empty())
    throw std::invalid_argument("deviation_from_totals: one energy and one virial per model");
  ModelDeviation d;
  d.max_devi_f = max_f;
  d.min_devi_f = min_f;
  d.avg_devi_f = avg_f;
  const double n = static_cast<double>(natoms);
  std::vector<double> e(energies.size());
  for (std::size_t k = 0; k < e.size(); ++k) e[k] = energies[k] / n;
  d.devi_e = population_std(e);
  double sum2 = 0.0;
  d.max_devi_v = -std::numeric_limits<double>::infinity();
  d.min_devi_v = std::numeric_limits<double>::infinity();
  for (int c = 0; c < 9; ++c) {
    std::vector<double> v(virials.size());
    for (std::size_t k = 0; k < v.size(); ++k) v[k] = virials[k].m[c / 3][c % 3] / n;
    const double s = population_std(v);
    d.max_devi_v = std::fmax(d.max_devi_v, s);
    d.min_devi_v = std::fmin(d.min_devi_v, s);
    sum2 += s * s;
  }
  d.avg_devi_v = std::sqrt(sum2) / 3.0;
  return d;
}

Ensemble::Ensemble(std::vector<SeE2aModel> models, DeepPotentialOptions options) : options_(options) {
  check_compatible(models);
  for (SeE2aModel& m : models) models_.push_back(std::make_unique<DeepPotential>(std::move(m), options_));
}

Ensemble::~Ensemble() = default;

std::string Ensemble::name() const {
  return "ensemble of " + std::to_string(models_.size()) + " x " + models_[0]->name();
}

double Ensemble::cutoff() const { return models_[0]->cutoff(); }

const ModelDeviation& Ensemble::last_deviation() const {
  if (!has_deviation_)
    throw std::logic_error("Ensemble::last_deviation: the last compute() did not compute the deviation "
                           "(set_compute_deviation(true) first)");
  return deviation_;
}

const double* Ensemble::model_forces(std::size_t k) const {
  if (k >= models_.size()) throw std::out_of_range("Ensemble::model_forces: no model " + std::to_string(k));
  if (k == 0 || !has_deviation_) return nullptr;
  return other_forces_.data() + (k - 1) * (other_forces_.size() / (models_.size() - 1));
}

ComputeResult Ensemble::compute(System& s, const ComputeRequest& request) {
  DeepPotential& first = *models_[0];
  const SeE2aModel& m0 = first.model();
  const DeviceArray<int>& types = first.model_types(s);
  // As DeepPotential::compute; a step that computes the deviation checks the
  // sel overflow at once as well.
  const bool output = request.energy || request.virial || request.atom_energy || request.atom_virial;
  NeighborList& nl = list_.update(s, types.data(), m0, options_.skin, options_.truncate_sel,
                                  options_.sel_check_interval, output || deviation_on_);

  has_deviation_ = false;
  const std::size_t n = s.size();
  if (!deviation_on_) {
    const ComputeResult r = first.compute_on_list(s, nl, request, s.forces.data());
    if (request.atom_energy) atom_energy_.copy_from(first.atom_energy());
    if (request.atom_virial) atom_virial_.copy_from(first.atom_virial());
    return r;
  }

  // Every model needs its energy and virial for the deviation.
  ComputeRequest all = request;
  all.energy = all.virial = true;
  const std::size_t m = models_.size();
  results_.assign(m, ComputeResult{});
  results_[0] = first.compute_on_list(s, nl, all, s.forces.data());
  if (request.atom_energy) atom_energy_.copy_from(first.atom_energy());
  if (request.atom_virial) atom_virial_.copy_from(first.atom_virial());
  other_forces_.resize((m - 1) * 3 * n);
  ComputeRequest totals;  // energy and virial only
  totals.atom_energy = totals.atom_virial = false;
  for (std::size_t k = 1; k < m; ++k)
    results_[k] = models_[k]->compute_on_list(s, nl, totals, other_forces_.data() + (k - 1) * 3 * n);

  sigma_f_.resize(n);
  MaxMinSum f{0.0, 0.0, 0.0};
  if (n > 0) {
    for_each(n, AtomForceDeviation{n, static_cast<int>(m), s.forces.data(), other_forces_.data(), sigma_f_.data()});
    const double inf = std::numeric_limits<double>::infinity();
    f = transform_reduce(n, MaxMinSum{-inf, inf, 0.0}, MaxMinSumOf{sigma_f_.data()}, MaxMinSumOp{});
  }
  std::vector<double> energies(m);
  std::vector<Mat3> virials(m);
  for (std::size_t k = 0; k < m; ++k) {
    energies[k] = results_[k].energy;
    virials[k] = results_[k].virial;
  }
  deviation_ = n > 0 ? deviation_from_totals(energies, virials, n, f.max, f.min, f.sum / static_cast<double>(n))
                     : ModelDeviation{};
  has_deviation_ = true;

  ComputeResult r = results_[0];
  if (!request.energy) r.energy = 0.0;
  if (!request.virial) r.virial = Mat3{};
  return r;
}

}  // namespace vitra
