#include "kernels/deepmd/sel_list.hpp"

#include <string>

namespace vitra {

NeighborList& SelNeighborList::update(System& s, const int* types, const deepmd::SeE2aModel& model, double skin,
                                      bool truncate_sel, long long check_interval, bool must_check) {
  NeighborParams p;
  p.rcut = model.rcut;
  p.skin = skin;
  p.sel = model.sel;
  p.truncate_sel = truncate_sel;
  NeighborList& nl = list_.update(s, p);
  nl.build_sel_deferred(s, types, model.ntypes());
  ++unchecked_;
  const bool check = must_check || updates_ == 0 || unchecked_ >= check_interval;
  ++updates_;
  if (!check) return nl;
  const SelOverflow over = nl.take_deferred_overflow();
  const long long since = unchecked_;
  unchecked_ = 0;
  if (over.any() && !truncate_sel)
    throw ModelError(std::to_string(over.atoms) + " atom(s) had more neighbors within rcut = " +
                     std::to_string(model.rcut) + " Å than the model's sel allows" +
                     (since > 1 ? " (in the last " + std::to_string(since) + " force evaluations)" : "") +
                     "; worst: atom " + std::to_string(over.worst_atom) + " with " +
                     std::to_string(over.worst_count) + " " + model.type_map[over.worst_type] +
                     " neighbors, sel = " + std::to_string(over.worst_sel) +
                     " (the structure may be too dense or collapsed; truncation keeps the nearest, as "
                     "DeePMD-kit does)");
  return nl;
}

}  // namespace vitra
