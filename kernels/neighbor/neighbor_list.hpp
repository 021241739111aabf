#pragma once
// NeighborList: cell list -> Verlet list with skin -> per-type sel-sorted
// list, all built and kept on the device of the active backend.
//
// Verlet list (full, not half): for every atom i, every (j, image S) with
// |r_ij| < rcut + skin, r_ij = x_j - x_i + S·h (see neighbor_math.hpp). Each
// (j, image) appears once; j == i appears only with S != 0 (cells narrower
// than the cutoff). Layout, per-atom contiguous rows of a fixed capacity:
//     neighbors()[i * capacity() + k]   j            k < counts()[i]
//     shifts()   [i * capacity() + k]   packed S     (nbr::pack_shift)
// The capacity grows by itself: a build whose largest count exceeds it
// reallocates and searches again (the overflow is found on the device and
// one status struct is read back per build).
//
// sel-sorted list (what se_e2_a consumes), rebuilt from the Verlet list at
// the current positions by build_sel(): for every atom nnei = Σ sel[t] slots,
// the neighbors of type t in slots [off[t], off[t] + sel[t]), off[t] =
// Σ_{u<t} sel[u], only those with |r_ij| < rcut, sorted by distance
// ascending (ties by j, then by packed S). Per-atom contiguous, like
// DeePMD-kit's nlist [nloc, nnei] and rij [nloc, nnei, 3]:
//     sel_index()[i * nnei + s]            j, or -1 for padding
//     sel_shift()[i * nnei + s]            packed S (kZeroShift for padding)
//     sel_rij()  [(i * nnei + s) * 3 + k]  r_ij at the positions of the last
//                                          build_sel() (0 for padding)
// Storing r_ij saves the descriptor kernel a gather of x_j and a 3×3 product.
//
// Rebuild criterion (needs_rebuild): 2·max_i|x_i - x_i⁰| + S_max·‖h - h⁰‖ ≥ skin,
// with ‖·‖ the largest row norm and S_max a bound on |S|₁ (see the .cu file
// for the derivation). Positions are never wrapped by the list; update()
// does check -> wrap_positions -> build.
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

#include "cuda/device_array.hpp"
#include "kernels/neighbor/neighbor_math.hpp"
#include "kernels/system.hpp"

namespace vitra {

// Thrown when the neighbors of some type exceed sel[t] and truncation is off
// (see NeighborList::check_sel_overflow), or a list cannot be built.
class NeighborError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct NeighborParams {
  double rcut = 6.0;        // Å, cutoff of the sel-sorted list
  double skin = 1.0;        // Å, the Verlet list holds pairs within rcut + skin
  std::vector<int> sel;     // slots per neighbor type; empty: no sel-sorted list
  bool truncate_sel = false;  // overflow beyond sel[t] is accepted (nearest kept), as DeePMD-kit does
  int initial_capacity = 0;   // Verlet row capacity to start with; 0 = estimate from density
};

// Atoms with more neighbors of some type t than sel[t], from the last
// build_sel(). The nearest sel[t] are kept in either case.
struct SelOverflow {
  long long atoms = 0;   // number of overflowing atoms
  int worst_atom = -1;   // atom and type with the largest excess count - sel[t]
  int worst_type = -1;   //   (ties: lowest atom, then lowest type)
  int worst_count = 0;   // neighbors of worst_type around worst_atom within rcut
  int worst_sel = 0;     // sel[worst_type]
  bool any() const { return atoms > 0; }
};

struct NeighborStats {
  double mean_neighbors = 0.0;  // Verlet list (within rcut + skin), per atom
  int max_neighbors = 0;
  int capacity = 0;             // current row capacity
  long long builds = 0;         // Verlet builds so far (the first included)
  long long capacity_growths = 0;
  int cells[3] = {0, 0, 0};     // cell grid of the last build
  double shift_bound = 0.0;     // S_max of the rebuild criterion
};

class NeighborList {
 public:
  static constexpr int kMaxTypes = 32;
  // Device-side overflow summary of a sel-sorted build (see build_sel_deferred).
  struct SelStatus {
    long long atoms = 0;
    int excess = 0;
    int atom = 2147483647;
    int type = -1;
    int count = 0;
  };

  explicit NeighborList(NeighborParams params);

  const NeighborParams& params() const { return params_; }
  double rcut() const { return params_.rcut; }
  double skin() const { return params_.skin; }
  double rlist() const { return params_.rcut + params_.skin; }

  // Builds the Verlet list at the current positions and cell. Positions need
  // not be wrapped, but every image shift must satisfy |S_k| ≤ 511 (positions
  // not hundreds of cells away, cells not absurdly thin for the cutoff);
  // otherwise, or for a NaN/inf position, NeighborError. The sel-sorted list
  // keeps its old contents until the next build_sel().
  void build(const System& s);
  // True when the list may miss a pair now within rcut (or was never built
  // for this system size). One reduction on the device, one scalar read back.
  bool needs_rebuild(const System& s) const;
  // needs_rebuild -> wrap_positions -> build; returns whether it rebuilt.
  bool update(System& s);
  // Recomputes the sel-sorted list at the current positions (params().sel,
  // one entry per type of s). Never throws on overflow: returns it (also kept
  // in sel_overflow()); check_sel_overflow() throws unless truncate_sel.
  const SelOverflow& build_sel(const System& s);
  // The same with other type ids: types (N, memory of the backend) in
  // [0, ntypes), ntypes == params().sel.size(). A model whose type map orders
  // the elements differently from the System passes the atoms' model types.
  const SelOverflow& build_sel(const System& s, const int* types, int ntypes);
  // The same without reading anything back (no synchronisation): the
  // overflow status is folded on the device into a pending record, which
  // take_deferred_overflow() reads (one scalar copy) and clears. sel_overflow()
  // is not updated. For a time step that must not wait for the device.
  void build_sel_deferred(const System& s, const int* types, int ntypes);
  // Overflow over every deferred build since the last call: `atoms` counts
  // (atom, build) pairs; the worst is the largest excess seen.
  SelOverflow take_deferred_overflow();
  void check_sel_overflow() const;

  // Per atom and neighbor type: neighbors within rcut at the current
  // positions, [i * num_types + t] (host copy; for neighbor statistics).
  std::vector<int> host_type_counts(const System& s) const;

  // Raw device pointers for later kernels (valid until the next build).
  std::size_t size() const { return n_; }
  int capacity() const { return capacity_; }
  const int* neighbors() const { return neighbors_.data(); }
  const int* shifts() const { return shifts_.data(); }
  const int* counts() const { return counts_.data(); }
  int nnei() const { return nnei_; }
  const std::vector<int>& sel_offsets() const { return sel_offsets_; }
  const int* sel_index() const { return sel_index_.data(); }
  const int* sel_shift() const { return sel_shift_.data(); }
  const double* sel_rij() const { return sel_rij_.data(); }
  bool built() const { return built_; }

  // Host copies for tests and tools.
  std::vector<int> host_counts() const { return counts_.to_host(); }
  std::vector<int> host_neighbors() const { return neighbors_.to_host(); }  // N * capacity
  std::vector<int> host_shifts() const { return shifts_.to_host(); }        // N * capacity
  std::vector<int> host_sel_index() const { return sel_index_.to_host(); }  // N * nnei
  std::vector<int> host_sel_shift() const { return sel_shift_.to_host(); }  // N * nnei
  std::vector<double> host_sel_rij() const { return sel_rij_.to_host(); }   // N * nnei * 3

  NeighborStats stats() const { return stats_; }
  const SelOverflow& sel_overflow() const { return overflow_; }
  const Mat3& built_cell() const { return h0_; }

 private:
  NeighborParams params_;
  std::size_t n_ = 0;
  bool built_ = false;
  int capacity_ = 0;
  Mat3 h0_;
  double shift_bound_ = 0.0;
  NeighborStats stats_;
  SelOverflow overflow_;

  // cell list
  DeviceArray<std::uint32_t> cell_keys_;  // per sorted slot after the sort
  DeviceArray<int> sorted_ids_;
  DeviceArray<int> cell_start_, cell_end_;
  DeviceArray<double> sorted_x_;  // 3N blocked, positions in cell order
  DeviceArray<int> image_f_;      // 3N blocked, floor(s) per atom (unsorted)
  DeviceArray<int> sorted_f_;     // 3N blocked, floor(s) in cell order
  // Verlet list
  DeviceArray<int> neighbors_, shifts_, counts_, max_shift_;
  DeviceArray<double> x0_;        // positions at the last build
  // sel-sorted list
  int nnei_ = 0;
  std::vector<int> sel_offsets_;
  DeviceArray<int> sel_index_, sel_shift_;
  DeviceArray<double> sel_rij_;
  DeviceArray<int> over_excess_, over_type_, over_count_;
  DeviceArray<SelStatus> pending_, last_status_;
  DeviceArray<unsigned char> reduce_scratch_;

  const SelOverflow& build_sel_impl(const System& s, const int* types, int ntypes, bool read_status);
};

}  // namespace vitra
