#include "kernels/neighbor/owned_list.hpp"

#include <stdexcept>
#include <string>

#include "kernels/wrap.hpp"

namespace vitra {

NeighborList& OwnedNeighborList::update(System& s, double rc, double skin) {
  if (!list_ || list_->rcut() != rc || list_->skin() != skin || backend_ != active_backend()) {
    NeighborParams p;
    p.rcut = rc;
    p.skin = skin;
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
