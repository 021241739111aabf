#include "host/workflow/make_potential.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "host/error.hpp"
#include "host/forcefield/builtin_sets.hpp"
#include "host/forcefield/shik_set.hpp"
#include "host/model/deepmd_model_io.hpp"
#include "kernels/deepmd/deep_potential.hpp"
#include "kernels/deepmd/ensemble.hpp"
#include "kernels/pair/pair_potential.hpp"

namespace vitra::workflow {

namespace {

const PairConfig* find_pair(const PotentialConfig& pc, const std::string& a, const std::string& b) {
  for (const PairConfig& p : pc.pairs)
    if ((p.elements[0] == a && p.elements[1] == b) || (p.elements[0] == b && p.elements[1] == a))
      return &p;
  return nullptr;
}

}  // namespace

std::unique_ptr<Potential> make_potential(const WorkflowConfig& cfg, const System& s) {
  const PotentialConfig& pc = cfg.potential;
  const TypeMap& types = s.type_map;
  if (pc.kind == "classical") {
    const BuiltinSet b = builtin_forcefield(pc.set);
    if (b.text.empty())
      throw InputError(cfg.source_path, 0, fmt::format("potential.set: no parameter set \"{}\" in this build", pc.set));
    const ShikSet set = parse_shik_set(b.text, b.source);
    return make_shik_potential(set, types, count_types(s.host_types(), types.size()), pc.skin);
  }
  if (pc.kind == "deepmd") {
    DeepPotentialOptions o;
    o.skin = pc.skin;
    o.truncate_sel = pc.truncate_sel;
    return std::make_unique<DeepPotential>(read_model(pc.model), o);
  }
  if (pc.kind == "ensemble") {
    DeepPotentialOptions o;
    o.skin = pc.skin;
    o.truncate_sel = pc.truncate_sel;
    std::vector<deepmd::SeE2aModel> models;
    for (const std::string& m : pc.models) models.push_back(read_model(m));
    try {
      return std::make_unique<Ensemble>(std::move(models), o);
    } catch (const std::invalid_argument& e) {
      // "Ensemble: model k has ..." -> the file of model k.
      std::string what = e.what();
      for (std::size_t k = 1; k < pc.models.size(); ++k)
        if (what.rfind("Ensemble: model " + std::to_string(k) + " ", 0) == 0)
          what = fmt::format("{} ({}) {}", "model " + std::to_string(k), pc.models[k],
                             what.substr(("Ensemble: model " + std::to_string(k) + " ").size()));
      throw InputError(cfg.source_path, 0, fmt::format("potential.models: {} (model 0: {})", what, pc.models[0]));
    }
  }
  if (pc.kind != "pair")
    throw InputError(cfg.source_path, 0,
                     fmt::format("potential.kind: \"{}\" is not available in this version", pc.kind));
  auto pot = std::make_unique<PairPotential>(types.size(), pc.skin);
  for (int ti = 0; ti < types.size(); ++ti)
    for (int tj = ti; tj < types.size(); ++tj) {
      const std::string& a = types.names[ti];
      const std::string& b = types.names[tj];
      const PairConfig* p = find_pair(pc, a, b);
      if (!p)
        throw InputError(cfg.source_path, 0,
                         fmt::format("potential.pair: no [[potential.pair]] entry for {}-{}; the "
                                     "system contains both elements, so every pair of its elements "
                                     "needs one (elements = [\"{}\", \"{}\"])",
                                     a, b, a, b));
      switch (p->form) {
        case PairForm::LennardJones:
          pot->set_lennard_jones(ti, tj, p->epsilon, p->sigma, p->cutoff, p->shift);
          break;
        case PairForm::Buckingham:
          pot->set_buckingham(ti, tj, p->A, p->rho, p->C, p->cutoff, p->shift);
          break;
      }
    }
  const CoulombConfig& qc = pc.coulomb;
  if (qc.method == "dsf" || qc.method == "ewald") {
    std::vector<double> charges;
    for (const std::string& e : types.names) {
      const auto it = std::find_if(qc.charges.begin(), qc.charges.end(), [&](const auto& q) { return q.first == e; });
      if (it == qc.charges.end())
        throw InputError(cfg.source_path, 0,
                         fmt::format("potential.coulomb.charges: no charge for element {} of the system", e));
      charges.push_back(it->second);
    }
    if (qc.method == "dsf") {
      pot->set_coulomb_dsf(charges, qc.alpha, qc.cutoff);
    } else {
      const pair::EwaldParameters e = pair::ewald_parameters(qc.accuracy, qc.cutoff, qc.alpha);
      pot->set_coulomb_ewald(charges, e.alpha, e.rc, e.kcut);
    }
  }
  return pot;
}

}  // namespace vitra::workflow
