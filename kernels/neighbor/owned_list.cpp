#include "kernels/neighbor/owned_list.hpp"

#include <stdexcept>
#include <string>

#include "kernels/wrap.hpp"

namespace vitra {

NeighborList& OwnedNeighborList::update(System& s, double rc, double skin) {
  NeighborParams p;
  p.rcut = rc;
  p.skin = skin;
  return update(s, p);
}

NeighborList& OwnedNeighborList::update(System& s, const NeighborParams& p) {
  const bool same = list_ && list_->rcut() == p.rcut && list_->skin() == p.skin &&
                    list_->params().sel == p.sel && list_->params().truncate_sel == p.truncate_sel;
  if (!same || backend_ != active_backend()) {
    list_ = std::make_unique<NeighborList>(p);
    backend_ = active_backend();
  }
  list_->update(s);
  return *list_;
}

void OwnedNeighborList::rebuild(System& s) {
  if (!list_ || backend_ != active_backend()) return;  // the next update builds afresh anyway
  wrap_positions(s);
  list_->build(s);
}

const NeighborList& OwnedNeighborList::get(const char* who) const {
  if (!list_) throw std::logic_error(std::string(who) + "::neighbor_list: no compute() yet");
  return *list_;
}

}  // namespace vitra
