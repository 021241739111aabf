#pragma once
// SelNeighborList: the Verlet list and sel-sorted list an se_e2_a model (or
// an ensemble of models sharing rcut and sel) evaluates on, with the sel
// overflow check. A forces-only step builds the sel-sorted list without
// reading anything back (NeighborList::build_sel_deferred); the overflow is
// read and reported at the next step that must check (it outputs something),
// at the first update, or after `check_interval` updates.
#include <stdexcept>

#include "kernels/deepmd/se_e2_a_model.hpp"
#include "kernels/neighbor/owned_list.hpp"

namespace vitra {

// The System cannot be evaluated by the model (an element missing from its
// type map, more neighbors than sel without truncation).
class ModelError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class SelNeighborList {
 public:
  // Updates both lists at the current positions for `model`'s rcut and sel
  // (types: the atoms' model types, N, backend memory). Throws ModelError on
  // an overflow found when checking, unless truncate_sel.
  NeighborList& update(System& s, const int* types, const deepmd::SeE2aModel& model, double skin,
                       bool truncate_sel, long long check_interval, bool must_check);
  void rebuild(System& s) { list_.rebuild(s); }
  const NeighborList& get(const char* who) const { return list_.get(who); }

 private:
  OwnedNeighborList list_;
  long long updates_ = 0;    // update() calls so far
  long long unchecked_ = 0;  // deferred sel-overflow checks pending
};

}  // namespace vitra
