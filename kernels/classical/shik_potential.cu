#include "kernels/classical/shik_potential.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>

#include "kernels/pair/full_list_forces.cuh"

namespace vitra {

namespace {

struct EvaluateShikTerm {
  VITRA_HD pair::PairEval operator()(const shik::ShikTerm& t, double r2) const { return shik::evaluate(t, r2); }
};

}  // namespace

namespace {

bool positive_finite(double v) { return v > 0.0 && std::isfinite(v); }

std::string pair_name(int ti, int tj) { return "(" + std::to_string(ti) + ", " + std::to_string(tj) + ")"; }

}  // namespace

ShikPotential::ShikPotential(std::vector<double> charges, const std::vector<ShikPairParams>& pairs,
                             const ShikSettings& settings)
    : num_types_(static_cast<int>(charges.size())), charges_(std::move(charges)), settings_(settings) {
  if (num_types_ < 1) throw std::invalid_argument("ShikPotential: at least one type (charge) is needed");
  for (double q : charges_)
    if (!std::isfinite(q)) throw std::invalid_argument("ShikPotential: charges must be finite");
  const ShikSettings& st = settings_;
  if (!positive_finite(st.rc_sr) || !positive_finite(st.rc_coulomb))
    throw std::invalid_argument("ShikPotential: the cutoffs must be finite and > 0; got rc_sr " +
                                std::to_string(st.rc_sr) + ", rc_coulomb " + std::to_string(st.rc_coulomb));
  if (!(st.gamma_sr >= 0.0) || !std::isfinite(st.gamma_sr) || !(st.gamma_coulomb >= 0.0) ||
      !std::isfinite(st.gamma_coulomb))
    throw std::invalid_argument("ShikPotential: the smoothing widths gamma must be finite and >= 0");
  if (!(st.skin >= 0.0) || !std::isfinite(st.skin))
    throw std::invalid_argument("ShikPotential: the neighbor skin must be finite and >= 0, got " +
                                std::to_string(st.skin));

  table_.assign(static_cast<std::size_t>(num_types_) * num_types_, shik::ShikTerm{});
  std::vector<char> seen(table_.size(), 0);
  for (const ShikPairParams& p : pairs) {
    if (p.ti < 0 || p.ti >= num_types_ || p.tj < 0 || p.tj >= num_types_)
      throw std::invalid_argument("ShikPotential: type pair " + pair_name(p.ti, p.tj) + " outside the " +
                                  std::to_string(num_types_) + " types");
    if (!std::isfinite(p.A) || !positive_finite(p.B) || !std::isfinite(p.C) || !std::isfinite(p.D))
      throw std::invalid_argument("ShikPotential: pair " + pair_name(p.ti, p.tj) +
                                  " needs finite A, C, D and B > 0; got A " + std::to_string(p.A) + ", B " +
                                  std::to_string(p.B) + ", C " + std::to_string(p.C) + ", D " +
                                  std::to_string(p.D));
    const std::size_t a = static_cast<std::size_t>(p.ti) * num_types_ + p.tj;
    const std::size_t b = static_cast<std::size_t>(p.tj) * num_types_ + p.ti;
    if (seen[a]) throw std::invalid_argument("ShikPotential: pair " + pair_name(p.ti, p.tj) + " given twice");
    seen[a] = seen[b] = 1;
    shik::ShikTerm t;
    t.has_sr = 1;
    t.A = p.A;
    t.B = p.B;
    t.C = p.C;
    t.D = p.D;
    t.v_rc = shik::short_range_raw(st.rc_sr, p.A, p.B, p.C, p.D).energy;
    table_[a] = table_[b] = t;
  }
  // Coulomb merged into every term; the reach of each pair.
  for (int ti = 0; ti < num_types_; ++ti)
    for (int tj = 0; tj < num_types_; ++tj) {
      shik::ShikTerm& t = table_[static_cast<std::size_t>(ti) * num_types_ + tj];
      t.rc_sr = st.rc_sr;
      t.gamma_sr2 = st.gamma_sr * st.gamma_sr;
      t.kqq = shik::kCoulombConstant * charges_[ti] * charges_[tj];
      t.rc_w = st.rc_coulomb;
      t.gamma_w2 = st.gamma_coulomb * st.gamma_coulomb;
      const double sr2 = t.has_sr ? st.rc_sr * st.rc_sr : 0.0;
      const double w2 = t.kqq != 0.0 ? st.rc_coulomb * st.rc_coulomb : 0.0;
      t.reach2 = std::max(sr2, w2);
    }
}

const shik::ShikTerm& ShikPotential::term(int ti, int tj) const {
  if (ti < 0 || ti >= num_types_ || tj < 0 || tj >= num_types_)
    throw std::invalid_argument("ShikPotential: type pair " + pair_name(ti, tj) + " outside the table of " +
                                std::to_string(num_types_) + " types");
  return table_[static_cast<std::size_t>(ti) * num_types_ + tj];
}

double ShikPotential::cutoff() const {
  double reach2 = 0.0;
  for (const shik::ShikTerm& t : table_) reach2 = std::max(reach2, t.reach2);
  return std::sqrt(reach2);
}

const NeighborList& ShikPotential::neighbor_list() const { return list_.get("ShikPotential"); }

void ShikPotential::rebuild_neighbors(System& s) { list_.rebuild(s); }

ComputeResult ShikPotential::compute(System& s, const ComputeRequest& request) {
  if (s.num_types() > num_types_)
    throw std::invalid_argument("ShikPotential: the system has " + std::to_string(s.num_types()) +
                                " atom types but the SHIK table covers " + std::to_string(num_types_));
  const double rc = cutoff();
  if (!(rc > 0.0)) throw std::invalid_argument("ShikPotential: nothing interacts (no pair, all charges zero)");
  if (d_table_.backend() != active_backend() || d_table_.size() != table_.size()) d_table_.copy_from_host(table_);
  const NeighborList& nl = list_.update(s, rc, settings_.skin);

  const std::size_t n = s.size();
  const pair::AtomOutputs out = pair::atom_outputs(request, n, atom_energy_, atom_virial_);
  double* ae = out.energy;
  double* aw = out.virial;
  const pair::ListView list{nl.capacity(), nl.neighbors(), nl.shifts(), nl.counts()};
  pair::full_list_forces(n, s.box.h, num_types_, d_table_.data(), EvaluateShikTerm{}, nullptr, s.positions.data(),
                         s.types.data(), list, s.forces.data(), ae, aw);

  return pair::requested_totals(request, n, out);
}

}  // namespace vitra
