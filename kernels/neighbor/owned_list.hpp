#pragma once
// The Verlet list a potential keeps for itself: made at the first update,
// made anew when its parameters change or the backend does (its arrays
// live in one backend's memory), and otherwise kept and updated (rebuilt
// only when atoms moved far enough).
#include <memory>

#include "cuda/backend.hpp"
#include "kernels/neighbor/neighbor_list.hpp"

namespace vitra {

class OwnedNeighborList {
 public:
  // The list for s at cutoff rc and skin, updated (NeighborList::update).
  NeighborList& update(System& s, double rc, double skin);
  // The same for a list with more settings (sel, truncation): made anew when
  // any of them changed.
  NeighborList& update(System& s, const NeighborParams& params);
  // Rebuilds the list now at the current positions, wrapping them (see
  // Potential::rebuild_neighbors); nothing to do before the first update.
  void rebuild(System& s);
  // The list; std::logic_error naming `who` before the first update.
  const NeighborList& get(const char* who) const;

 private:
  std::unique_ptr<NeighborList> list_;
  Backend backend_ = Backend::Cpu;
};

}  // namespace vitra
