#include "kernels/pair/pair_potential.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "kernels/pair/full_list_forces.cuh"

namespace vitra {

namespace {

// The kernel's evaluation of a merged short-range + Coulomb term.
struct EvaluatePairTerm {
  VITRA_HD pair::PairEval operator()(const pair::PairTerm& t, double r2) const {
    return pair::evaluate_within_cutoff(t, r2);
  }
};

}  // namespace

namespace {

bool positive_finite(double v) { return v > 0.0 && std::isfinite(v); }

std::string pair_name(int ti, int tj) {
  return "(" + std::to_string(ti) + ", " + std::to_string(tj) + ")";
}

}  // namespace

PairPotential::PairPotential(int num_types, double skin) : num_types_(num_types), skin_(skin) {
  if (num_types < 1) throw std::invalid_argument("PairPotential: the number of types must be at least 1");
  if (!(skin >= 0.0) || !std::isfinite(skin))
    throw std::invalid_argument("PairPotential: the neighbor skin must be finite and >= 0, got " +
                                std::to_string(skin));
  table_.assign(static_cast<std::size_t>(num_types) * num_types, pair::PairTerm{});
}

void PairPotential::check_pair(int ti, int tj) const {
  if (ti < 0 || ti >= num_types_ || tj < 0 || tj >= num_types_)
    throw std::invalid_argument("PairPotential: type pair " + pair_name(ti, tj) + " outside the table of " +
                                std::to_string(num_types_) + " types");
}

void PairPotential::set_term(int ti, int tj, const pair::PairTerm& t) {
  table_[static_cast<std::size_t>(ti) * num_types_ + tj] = t;
  table_[static_cast<std::size_t>(tj) * num_types_ + ti] = t;
  table_dirty_ = true;
}

void PairPotential::set_lennard_jones(int ti, int tj, double epsilon, double sigma, double rc, bool shift) {
  check_pair(ti, tj);
  if (!std::isfinite(epsilon) || !positive_finite(sigma) || !positive_finite(rc))
    throw std::invalid_argument("PairPotential: Lennard-Jones " + pair_name(ti, tj) +
                                " needs a finite epsilon and sigma > 0, rc > 0; got epsilon " +
                                std::to_string(epsilon) + ", sigma " + std::to_string(sigma) + ", rc " +
                                std::to_string(rc));
  pair::PairTerm t;
  t.form = pair::PairForm::LennardJones;
  t.p[0] = epsilon;
  t.p[1] = sigma;
  t.rc2 = rc * rc;
  t.shift = shift ? pair::evaluate(t, rc).energy : 0.0;
  set_term(ti, tj, t);
}

void PairPotential::set_buckingham(int ti, int tj, double A, double rho, double C, double rc, bool shift) {
  check_pair(ti, tj);
  if (!std::isfinite(A) || !positive_finite(rho) || !std::isfinite(C) || !positive_finite(rc))
    throw std::invalid_argument("PairPotential: Buckingham " + pair_name(ti, tj) +
                                " needs finite A and C, rho > 0, rc > 0; got A " + std::to_string(A) + ", rho " +
                                std::to_string(rho) + ", C " + std::to_string(C) + ", rc " + std::to_string(rc));
  pair::PairTerm t;
  t.form = pair::PairForm::Buckingham;
  t.p[0] = A;
  t.p[1] = rho;
  t.p[2] = C;
  t.rc2 = rc * rc;
  t.shift = shift ? pair::evaluate(t, rc).energy : 0.0;
  set_term(ti, tj, t);
}

void PairPotential::clear_pair(int ti, int tj) {
  check_pair(ti, tj);
  set_term(ti, tj, pair::PairTerm{});
}

const pair::PairTerm& PairPotential::term(int ti, int tj) const {
  check_pair(ti, tj);
  return table_[static_cast<std::size_t>(ti) * num_types_ + tj];
}

void PairPotential::set_coulomb_dsf(const std::vector<double>& charges, double alpha, double rc) {
  if (charges.empty()) {
    charges_.clear();
    dsf_ = {};
    table_dirty_ = true;
    return;
  }
  if (charges.size() != static_cast<std::size_t>(num_types_))
    throw std::invalid_argument("PairPotential: " + std::to_string(charges.size()) + " charges for " +
                                std::to_string(num_types_) + " types");
  for (double q : charges)
    if (!std::isfinite(q)) throw std::invalid_argument("PairPotential: charges must be finite");
  if (!(alpha >= 0.0) || !std::isfinite(alpha) || !positive_finite(rc))
    throw std::invalid_argument("PairPotential: DSF Coulomb needs alpha >= 0 and rc > 0; got alpha " +
                                std::to_string(alpha) + ", rc " + std::to_string(rc));
  charges_ = charges;
  dsf_ = pair::make_dsf(alpha, rc);
  coulomb_form_ = pair::CoulombForm::Dsf;
  table_dirty_ = true;
}

void PairPotential::set_coulomb_ewald(const std::vector<double>& charges, double alpha, double rc, double kcut) {
  if (charges.empty()) {
    set_coulomb_dsf(charges, 0.0, 0.0);
    return;
  }
  if (charges.size() != static_cast<std::size_t>(num_types_))
    throw std::invalid_argument("PairPotential: " + std::to_string(charges.size()) + " charges for " +
                                std::to_string(num_types_) + " types");
  for (double q : charges)
    if (!std::isfinite(q)) throw std::invalid_argument("PairPotential: charges must be finite");
  if (!positive_finite(alpha) || !positive_finite(rc) || !positive_finite(kcut))
    throw std::invalid_argument("PairPotential: Ewald Coulomb needs alpha > 0, rc > 0 and kcut > 0; got alpha " +
                                std::to_string(alpha) + ", rc " + std::to_string(rc) + ", kcut " +
                                std::to_string(kcut));
  ewald_.set(alpha, kcut);
  charges_ = charges;
  dsf_ = pair::make_ewald_real(alpha, rc);
  coulomb_form_ = pair::CoulombForm::EwaldReal;
  table_dirty_ = true;
}

// The kernel's table: each short-range term with the Coulomb of its two
// charges merged in, and the reach of the pair; per-type self energies and
// charges.
void PairPotential::upload_table() {
  std::vector<pair::PairTerm> merged = table_;
  std::vector<double> self(num_types_, 0.0);
  for (int ti = 0; ti < num_types_; ++ti) {
    if (!charges_.empty())
      self[ti] = coulomb_form_ == pair::CoulombForm::EwaldReal ? pair::ewald_self_energy(charges_[ti], dsf_.alpha)
                                                               : pair::dsf_self_energy(charges_[ti], dsf_);
    for (int tj = 0; tj < num_types_; ++tj) {
      pair::PairTerm& t = merged[static_cast<std::size_t>(ti) * num_types_ + tj];
      if (!charges_.empty()) {
        t.kqq = pair::kCoulombConstant * charges_[ti] * charges_[tj];
        t.dsf = dsf_;
        t.coulomb_form = coulomb_form_;
      }
      t.reach2 = std::max(t.rc2, t.kqq != 0.0 ? t.dsf.rc2 : 0.0);
    }
  }
  d_table_.copy_from_host(merged);
  d_self_.copy_from_host(self);
  d_charge_.copy_from_host(charges_.empty() ? std::vector<double>(num_types_, 0.0) : charges_);
  table_dirty_ = false;
}

double PairPotential::cutoff() const {
  double rc2 = charges_.empty() ? 0.0 : dsf_.rc2;
  for (const pair::PairTerm& t : table_) rc2 = std::max(rc2, t.rc2);
  return std::sqrt(rc2);
}

const NeighborList& PairPotential::neighbor_list() const { return list_.get("PairPotential"); }

void PairPotential::rebuild_neighbors(System& s) { list_.rebuild(s); }

ComputeResult PairPotential::compute(System& s, const ComputeRequest& request) {
  if (s.num_types() > num_types_)
    throw std::invalid_argument("PairPotential: the system has " + std::to_string(s.num_types()) +
                                " atom types but the pair table covers " + std::to_string(num_types_));
  const double rc = cutoff();
  if (!(rc > 0.0)) throw std::invalid_argument("PairPotential: no pair interaction is set");
  if (table_dirty_ || d_table_.backend() != active_backend() || d_table_.size() != table_.size()) upload_table();
  const NeighborList& nl = list_.update(s, rc, skin_);  // remade when cutoff() changed (setters after a compute)

  const std::size_t n = s.size();
  const pair::AtomOutputs out = pair::atom_outputs(request, n, atom_energy_, atom_virial_);
  double* ae = out.energy;
  double* aw = out.virial;
  const pair::ListView list{nl.capacity(), nl.neighbors(), nl.shifts(), nl.counts()};
  pair::full_list_forces(n, s.box.h, num_types_, d_table_.data(), EvaluatePairTerm{},
                         charges_.empty() ? nullptr : d_self_.data(), s.positions.data(), s.types.data(), list,
                         s.forces.data(), ae, aw);
  if (!charges_.empty() && coulomb_form_ == pair::CoulombForm::EwaldReal)
    ewald_.add(n, s.box, s.positions.data(), s.types.data(), d_charge_.data(), s.forces.data(), ae, aw);

  return pair::requested_totals(request, n, out);
}

}  // namespace vitra
