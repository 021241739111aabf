#include "kernels/neighbor/neighbor_list.hpp"

#include <algorithm>
#include <climits>
#include <cmath>
#include <string>

#include "cuda/for_each.cuh"
#include "cuda/reduce.cuh"
#include "cuda/sort.hpp"
#include "kernels/wrap.hpp"

namespace vitra {

// ---------------------------------------------------------------------------
// Why the search enumerates every (j, image) within rlist = rcut + skin once.
//
// Atom i has fractional coordinates s_i = x_i·h⁻¹ and is binned by
// w_i = s_i - f_i, f_i = floor(s_i), into cell c_i = floor(w_i·n) per axis.
// Visiting cell offsets d in [-m, m] (per axis), the cell c_i + d is wrapped
// into range, c' = c_i + d - I·n with I = floor((c_i + d)/n); the binned copy
// of atom j in c' is then taken in image I, i.e. at (w_j + I)·h, so
//     r_ij = (w_j + I - w_i)·h = x_j - x_i + (I - f_j + f_i)·h,   S = I - f_j + f_i.
// Distinct d give distinct (c', I), hence distinct images: nothing twice, even
// when 2m + 1 > n (a cell narrower than the cutoff). Completeness: for
// |r_ij| < rlist, Δs_k = r_ij·(column k of h⁻¹) satisfies |Δs_k| < rlist/D_k
// (D_k the face distance, |column k of h⁻¹| = 1/D_k), so the unwrapped cell
// indices differ by at most ceil(rlist·n_k/D_k) = m_k (taken with a relative
// margin of 1e-9 against rounding in the binning).
//
// Rebuild criterion. Built at x⁰, h⁰ with list radius R = rcut + skin; now
// x = x⁰ + Δx, h = h⁰ + Δh, δ = max_i |Δx_i|, ε = max_k ‖row k of Δh‖.
// For a pair (i, j, S):  r - r⁰ = Δx_j - Δx_i + S·Δh, so
//     |r - r⁰| ≤ 2δ + |S|₁ ε.
// A pair absent from the list has |r⁰| = ρ ≥ R, and its shift obeys
// S_k = Δs_k - (s_j,k - s_i,k) with |Δs_k| ≤ ρ/D_k, hence
//     |S|₁ ≤ Σ_k (ρ/D_k + span_k) = A + Bρ,  A = Σ_k span_k, B = Σ_k 1/D_k,
// where span_k = max_i s_i,k - min_i s_i,k over the positions at the build
// (≤ 1 for wrapped positions). Then |r| ≥ ρ(1 - Bε) - 2δ - Aε, which for
// Bε < 1 is smallest at ρ = R. With
//     S_max = A + B·R  (a bound on |S|₁ of every stored pair, and of every
//                       pair within R of the build configuration),
// 2δ + S_max·ε < skin implies Bε ≤ S_max ε / R < 1 and |r| > R - skin = rcut
// for every missing pair: the list is still complete. needs_rebuild() returns
// true as soon as 2δ + S_max·ε ≥ skin.
// ---------------------------------------------------------------------------

namespace nbr::detail {

struct BuildStatus {
  long long sum = 0;     // total neighbors found (beyond capacity included)
  int max_count = 0;     // largest per-atom count
  int max_shift = 0;     // largest |S_k| of any neighbor found
  int nonfinite = 0;     // atoms with a NaN or infinite coordinate
  double smin[3] = {1e300, 1e300, 1e300};  // fractional extent of the positions
  double smax[3] = {-1e300, -1e300, -1e300};
};
struct BuildStatusOp {
  VITRA_HD BuildStatus operator()(const BuildStatus& a, const BuildStatus& b) const {
    BuildStatus r;
    r.sum = a.sum + b.sum;
    r.max_count = a.max_count < b.max_count ? b.max_count : a.max_count;
    r.max_shift = a.max_shift < b.max_shift ? b.max_shift : a.max_shift;
    r.nonfinite = a.nonfinite + b.nonfinite;
    for (int k = 0; k < 3; ++k) {
      r.smin[k] = b.smin[k] < a.smin[k] ? b.smin[k] : a.smin[k];
      r.smax[k] = a.smax[k] < b.smax[k] ? b.smax[k] : a.smax[k];
    }
    return r;
  }
};

using SelStatus = NeighborList::SelStatus;
struct SelStatusOp {
  VITRA_HD SelStatus operator()(const SelStatus& a, const SelStatus& b) const {
    SelStatus r = (a.excess > b.excess || (a.excess == b.excess && a.atom <= b.atom)) ? a : b;
    r.atoms = a.atoms + b.atoms;
    return r;
  }
};
struct SelStatusOfAtom {
  const int* excess;
  const int* type;
  const int* count;
  VITRA_HD SelStatus operator()(std::size_t i) const {
    SelStatus st;
    if (excess[i] > 0) {
      st.atoms = 1;
      st.excess = excess[i];
      st.atom = static_cast<int>(i);
      st.type = type[i];
      st.count = count[i];
    }
    return st;
  }
};
// pending ← pending ⊕ last (one thread).
struct AccumulateStatus {
  SelStatus* pending;
  const SelStatus* last;
  VITRA_HD void operator()(std::size_t) const { *pending = SelStatusOp{}(*pending, *last); }
};

// Per neighbor type: slots and their offsets, passed by value to the kernel.
struct SelSpec {
  int ntypes = 0;
  int nnei = 0;
  int sel[NeighborList::kMaxTypes] = {};
  int off[NeighborList::kMaxTypes] = {};
};

void bin_atoms(std::size_t n, const double* x, Mat3 hinv, CellGrid g, std::uint32_t* keys, int* ids,
               int* f) {
  for_each(n, [=] VITRA_HD_LAMBDA(std::size_t i) {
    int fi[3];
    const int key = bin_fractional(g, load_vec3(x, n, i) * hinv, fi);
    keys[i] = static_cast<std::uint32_t>(key);
    ids[i] = static_cast<int>(i);
    for (int k = 0; k < 3; ++k) f[i + k * n] = fi[k];
  });
}

void gather_sorted(std::size_t n, const int* ids, const double* x, const int* f, double* sx, int* sf) {
  for_each(n, [=] VITRA_HD_LAMBDA(std::size_t p) {
    const std::size_t i = static_cast<std::size_t>(ids[p]);
    for (int k = 0; k < 3; ++k) {
      sx[p + k * n] = x[i + k * n];
      sf[p + k * n] = f[i + k * n];
    }
  });
}

void cell_ranges(std::size_t n, std::size_t ncell, const std::uint32_t* keys, int* start, int* end) {
  for_each(ncell, [=] VITRA_HD_LAMBDA(std::size_t c) {
    start[c] = 0;
    end[c] = 0;
  });
  for_each(n, [=] VITRA_HD_LAMBDA(std::size_t p) {
    const std::uint32_t key = keys[p];
    if (p == 0 || keys[p - 1] != key) start[key] = static_cast<int>(p);
    if (p + 1 == n || keys[p + 1] != key) end[key] = static_cast<int>(p + 1);
  });
}

// One thread per atom, in cell order (neighboring threads visit the same
// cells). Stores up to `cap` neighbors of atom i in row i; counts them all.
void search_cells(std::size_t n, CellGrid g, Mat3 h, double rlist2, int cap, const std::uint32_t* keys,
                  const int* ids, const int* start, const int* end, const double* sx, const int* sf,
                  int* nbr, int* shf, int* counts, int* max_shift) {
  for_each(n, [=] VITRA_HD_LAMBDA(std::size_t p) {
    const int i = ids[p];
    int ci[3];
    g.decode(static_cast<int>(keys[p]), ci);
    const Vec3 xi = load_vec3(sx, n, p);
    const int fi0 = sf[p], fi1 = sf[p + n], fi2 = sf[p + 2 * n];
    int* row = nbr + static_cast<std::size_t>(i) * cap;
    int* srow = shf + static_cast<std::size_t>(i) * cap;
    int count = 0;
    int smax = 0;
    for (int da = -g.m[0]; da <= g.m[0]; ++da) {
      const int ua = ci[0] + da;
      const int ia = floor_div(ua, g.n[0]);
      const int wa = ua - ia * g.n[0];
      for (int db = -g.m[1]; db <= g.m[1]; ++db) {
        const int ub = ci[1] + db;
        const int ib = floor_div(ub, g.n[1]);
        const int wb = ub - ib * g.n[1];
        for (int dc = -g.m[2]; dc <= g.m[2]; ++dc) {
          const int uc = ci[2] + dc;
          const int ic = floor_div(uc, g.n[2]);
          const int wc = uc - ic * g.n[2];
          const int cell = g.key(wa, wb, wc);
          const int q1 = end[cell];
          for (int q = start[cell]; q < q1; ++q) {
            const int j = ids[q];
            const int sa = ia - sf[q] + fi0;
            const int sb = ib - sf[q + n] + fi1;
            const int sc = ic - sf[q + 2 * n] + fi2;
            if (j == i && sa == 0 && sb == 0 && sc == 0) continue;
            const Vec3 r = pair_vector(xi, load_vec3(sx, n, q), sa, sb, sc, h);
            if (norm2(r) < rlist2) {
              if (count < cap) {
                row[count] = j;
                srow[count] = pack_shift(sa, sb, sc);
              }
              ++count;
              const int aa = sa < 0 ? -sa : sa, ab = sb < 0 ? -sb : sb, ac = sc < 0 ? -sc : sc;
              if (aa > smax) smax = aa;
              if (ab > smax) smax = ab;
              if (ac > smax) smax = ac;
            }
          }
        }
      }
    }
    counts[i] = count;
    max_shift[i] = smax;
  });
}

BuildStatus build_status(std::size_t n, const double* x, Mat3 hinv, const int* counts, const int* max_shift) {
  return transform_reduce(
      n, BuildStatus{},
      [=] VITRA_HD_LAMBDA(std::size_t i) {
        BuildStatus st;
        st.sum = counts[i];
        st.max_count = counts[i];
        st.max_shift = max_shift[i];
        const Vec3 s = load_vec3(x, n, i) * hinv;
        for (int k = 0; k < 3; ++k) {
          st.smin[k] = st.smax[k] = s[k];
          if (!(fabs(s[k]) < 1e300)) st.nonfinite = 1;
        }
        return st;
      },
      BuildStatusOp{});
}

double max_displacement2(std::size_t n, const double* x, const double* x0) {
  return transform_reduce(
      n, 0.0,
      [=] VITRA_HD_LAMBDA(std::size_t i) { return norm2(load_vec3(x, n, i) - load_vec3(x0, n, i)); },
      Max{});
}

// Per atom: insertion of every Verlet neighbor within rcut into the slots
// of its type (global memory, one thread per atom), keeping the nearest
// sel[t]; counts per type for the overflow report.
void sel_sort(std::size_t n, SelSpec spec, Mat3 h, double rcut2, int cap, const double* x, const int* types,
              const int* nbr, const int* shf, const int* counts, int* out_j, int* out_s, double* out_r,
              int* over_excess, int* over_type, int* over_count) {
  for_each(n, [=] VITRA_HD_LAMBDA(std::size_t i) {
    const std::size_t base = i * static_cast<std::size_t>(spec.nnei);
    for (int s = 0; s < spec.nnei; ++s) {
      out_j[base + s] = -1;
      out_s[base + s] = kZeroShift;
      for (int k = 0; k < 3; ++k) out_r[(base + s) * 3 + k] = 0.0;
    }
    int cnt[NeighborList::kMaxTypes];
    for (int t = 0; t < spec.ntypes; ++t) cnt[t] = 0;
    const Vec3 xi = load_vec3(x, n, i);
    const int* row = nbr + i * static_cast<std::size_t>(cap);
    const int* srow = shf + i * static_cast<std::size_t>(cap);
    const int nn = counts[i] < cap ? counts[i] : cap;
    for (int k = 0; k < nn; ++k) {
      const int j = row[k];
      const int sh = srow[k];
      const Vec3 r = pair_vector(xi, load_vec3(x, n, j), sh, h);
      const double d2 = norm2(r);
      if (!(d2 < rcut2)) continue;
      const int t = types[j];
      const int c = cnt[t]++;
      const int limit = spec.sel[t];
      if (limit == 0) continue;
      const std::size_t o = base + spec.off[t];
      int pos;
      if (c < limit) {
        pos = c;
      } else {
        const std::size_t last = o + limit - 1;
        const double* rl = out_r + last * 3;
        if (!sel_before(d2, j, sh, norm2(Vec3{rl[0], rl[1], rl[2]}), out_j[last], out_s[last])) continue;
        pos = limit - 1;  // the farthest is dropped
      }
      while (pos > 0) {
        const std::size_t prev = o + pos - 1;
        const double* rp = out_r + prev * 3;
        if (!sel_before(d2, j, sh, norm2(Vec3{rp[0], rp[1], rp[2]}), out_j[prev], out_s[prev])) break;
        const std::size_t cur = prev + 1;
        out_j[cur] = out_j[prev];
        out_s[cur] = out_s[prev];
        for (int q = 0; q < 3; ++q) out_r[cur * 3 + q] = rp[q];
        --pos;
      }
      const std::size_t at = o + pos;
      out_j[at] = j;
      out_s[at] = sh;
      out_r[at * 3 + 0] = r.x;
      out_r[at * 3 + 1] = r.y;
      out_r[at * 3 + 2] = r.z;
    }
    int worst = 0, wt = -1, wc = 0;
    for (int t = 0; t < spec.ntypes; ++t) {
      const int e = cnt[t] - spec.sel[t];
      if (e > worst) {
        worst = e;
        wt = t;
        wc = cnt[t];
      }
    }
    over_excess[i] = worst;
    over_type[i] = wt;
    over_count[i] = wc;
  });
}

SelStatus sel_status(std::size_t n, const int* excess, const int* type, const int* count) {
  return transform_reduce(n, SelStatus{}, SelStatusOfAtom{excess, type, count}, SelStatusOp{});
}

void type_counts(std::size_t n, int ntypes, Mat3 h, double rcut2, int cap, const double* x, const int* types,
                 const int* nbr, const int* shf, const int* counts, int* out) {
  for_each(n, [=] VITRA_HD_LAMBDA(std::size_t i) {
    int* o = out + i * static_cast<std::size_t>(ntypes);
    for (int t = 0; t < ntypes; ++t) o[t] = 0;
    const Vec3 xi = load_vec3(x, n, i);
    const std::size_t b = i * static_cast<std::size_t>(cap);
    const int nn = counts[i] < cap ? counts[i] : cap;
    for (int k = 0; k < nn; ++k) {
      const int j = nbr[b + k];
      if (norm2(pair_vector(xi, load_vec3(x, n, j), shf[b + k], h)) < rcut2) ++o[types[j]];
    }
  });
}

// Cells per axis n_k = max(1, floor(D_k / rlist)), made coarser when the
// grid would have far more cells than atoms (dilute systems), and the
// search reach m_k = ceil(rlist·n_k / D_k) with a margin against rounding.
CellGrid make_grid(const Box& box, double rlist, std::size_t natoms) {
  const Vec3 d = box.face_distances();
  double nk[3];
  for (int k = 0; k < 3; ++k) nk[k] = std::max(1.0, std::min(std::floor(d[k] / rlist), 65536.0));
  const double limit = std::max(64.0, 2.0 * static_cast<double>(natoms));
  while (nk[0] * nk[1] * nk[2] > limit) {
    const int k = (nk[0] >= nk[1] && nk[0] >= nk[2]) ? 0 : (nk[1] >= nk[2] ? 1 : 2);
    nk[k] = std::max(1.0, std::floor(nk[k] / 2));
  }
  CellGrid g;
  for (int k = 0; k < 3; ++k) {
    g.n[k] = static_cast<int>(nk[k]);
    const double reach = std::ceil(rlist * nk[k] / d[k] * (1.0 + 1e-9));
    if (!(reach <= kShiftLimit))
      throw NeighborError("neighbor list: the cell is too thin for the cutoff (face distance " +
                          std::to_string(d[k]) + " Å along cell vector " + std::to_string(k) +
                          ", cutoff + skin " + std::to_string(rlist) + " Å)");
    g.m[k] = std::max(1, static_cast<int>(reach));
  }
  return g;
}

}  // namespace nbr::detail

using namespace nbr;
using namespace nbr::detail;

NeighborList::NeighborList(NeighborParams params) : params_(std::move(params)) {
  if (!(params_.rcut > 0.0)) throw std::invalid_argument("NeighborList: rcut must be positive");
  if (!(params_.skin >= 0.0)) throw std::invalid_argument("NeighborList: skin must be >= 0");
  if (static_cast<int>(params_.sel.size()) > kMaxTypes)
    throw std::invalid_argument("NeighborList: at most " + std::to_string(kMaxTypes) + " types in sel");
  for (int s : params_.sel)
    if (s < 0) throw std::invalid_argument("NeighborList: sel entries must be >= 0");
  if (params_.initial_capacity < 0) throw std::invalid_argument("NeighborList: negative initial capacity");
  capacity_ = params_.initial_capacity;
}

void NeighborList::build(const System& s) {
  const std::size_t n = s.size();
  n_ = n;
  built_ = false;  // until this build succeeds
  const Box box = s.box;
  const double rl = rlist();
  const CellGrid grid = make_grid(box, rl, n);
  if (capacity_ <= 0) {
    // Expected neighbors at this density, with room for fluctuations.
    const double density = n / box.volume();
    const double expected = density * 4.18879020478639 * rl * rl * rl;
    capacity_ = static_cast<int>(std::min(1.3 * expected + 16.0, 1e6));
  }
  if (n > 0) {
    const std::size_t ncell = static_cast<std::size_t>(grid.count());
    int key_bits = 1;
    while (key_bits < 32 && (std::size_t(1) << key_bits) < ncell) ++key_bits;
    cell_keys_.resize(n);
    sorted_ids_.resize(n);
    image_f_.resize(3 * n);
    sorted_f_.resize(3 * n);
    sorted_x_.resize(3 * n);
    cell_start_.resize(ncell);
    cell_end_.resize(ncell);
    bin_atoms(n, s.positions.data(), box.hinv, grid, cell_keys_.data(), sorted_ids_.data(), image_f_.data());
    sort_pairs(cell_keys_, sorted_ids_, key_bits);
    gather_sorted(n, sorted_ids_.data(), s.positions.data(), image_f_.data(), sorted_x_.data(),
                  sorted_f_.data());
    cell_ranges(n, ncell, cell_keys_.data(), cell_start_.data(), cell_end_.data());
    counts_.resize(n);
    max_shift_.resize(n);
  }
  BuildStatus st;
  for (;;) {
    neighbors_.resize(n * static_cast<std::size_t>(capacity_));
    shifts_.resize(n * static_cast<std::size_t>(capacity_));
    if (n == 0) break;
    search_cells(n, grid, box.h, rl * rl, capacity_, cell_keys_.data(), sorted_ids_.data(), cell_start_.data(),
                 cell_end_.data(), sorted_x_.data(), sorted_f_.data(), neighbors_.data(), shifts_.data(),
                 counts_.data(), max_shift_.data());
    st = build_status(n, s.positions.data(), box.hinv, counts_.data(), max_shift_.data());
    if (st.nonfinite > 0)
      throw NeighborError("neighbor list: " + std::to_string(st.nonfinite) +
                          " atom(s) have a non-finite position (NaN or inf)");
    if (st.max_shift > kShiftLimit)
      throw NeighborError("neighbor list: an image shift of " + std::to_string(st.max_shift) +
                          " cells exceeds the supported " + std::to_string(kShiftLimit) +
                          " (positions far outside the cell: wrap them before building)");
    if (st.max_count <= capacity_) break;
    capacity_ = st.max_count + st.max_count / 8 + 8;
    ++stats_.capacity_growths;
  }
  // S_max = Σ_k (rlist / D_k + span_k), see the derivation at the top.
  const Vec3 d = box.face_distances();
  shift_bound_ = 0.0;
  for (int k = 0; k < 3; ++k) shift_bound_ += rl / d[k] + (n > 0 ? st.smax[k] - st.smin[k] : 0.0);
  x0_.copy_from(s.positions);
  h0_ = box.h;
  built_ = true;
  ++stats_.builds;
  stats_.mean_neighbors = n > 0 ? static_cast<double>(st.sum) / static_cast<double>(n) : 0.0;
  stats_.max_neighbors = st.max_count;
  stats_.capacity = capacity_;
  for (int k = 0; k < 3; ++k) stats_.cells[k] = grid.n[k];
  stats_.shift_bound = shift_bound_;
}

bool NeighborList::needs_rebuild(const System& s) const {
  if (!built_ || s.size() != n_) return true;
  double eps = 0.0;  // largest row norm of Δh
  for (int k = 0; k < 3; ++k) eps = std::max(eps, norm(s.box.h.row(k) - h0_.row(k)));
  const double d2 = n_ > 0 ? max_displacement2(n_, s.positions.data(), x0_.data()) : 0.0;
  return 2.0 * std::sqrt(d2) + shift_bound_ * eps >= params_.skin;
}

bool NeighborList::update(System& s) {
  if (!needs_rebuild(s)) return false;
  wrap_positions(s);
  build(s);
  return true;
}

const SelOverflow& NeighborList::build_sel(const System& s) { return build_sel(s, s.types.data(), s.num_types()); }

const SelOverflow& NeighborList::build_sel(const System& s, const int* types, int ntypes) {
  return build_sel_impl(s, types, ntypes, true);
}

void NeighborList::build_sel_deferred(const System& s, const int* types, int ntypes) {
  build_sel_impl(s, types, ntypes, false);
  if (pending_.size() != 1 || pending_.backend() != active_backend()) {
    pending_ = DeviceArray<SelStatus>(std::vector<SelStatus>(1));
    last_status_ = DeviceArray<SelStatus>(1);
  }
  transform_reduce_into(last_status_.data(), n_, SelStatus{},
                        SelStatusOfAtom{over_excess_.data(), over_type_.data(), over_count_.data()}, SelStatusOp{},
                        reduce_scratch_);
  for_each(1, AccumulateStatus{pending_.data(), last_status_.data()});
}

SelOverflow NeighborList::take_deferred_overflow() {
  SelOverflow o;
  if (pending_.size() != 1) return o;
  const SelStatus st = pending_.get(0);
  pending_.set(0, SelStatus{});
  o.atoms = st.atoms;
  if (st.atoms > 0) {
    o.worst_atom = st.atom;
    o.worst_type = st.type;
    o.worst_count = st.count;
    o.worst_sel = params_.sel[st.type];
  }
  return o;
}

const SelOverflow& NeighborList::build_sel_impl(const System& s, const int* types, int ntypes, bool read_status) {
  if (!built_ || s.size() != n_) throw NeighborError("build_sel: the Verlet list is not built for this system");
  if (static_cast<int>(params_.sel.size()) != ntypes)
    throw NeighborError("build_sel: sel has " + std::to_string(params_.sel.size()) + " entries for " +
                        std::to_string(ntypes) + " atom types");
  SelSpec spec;
  spec.ntypes = ntypes;
  sel_offsets_.assign(ntypes, 0);
  for (int t = 0; t < ntypes; ++t) {
    spec.sel[t] = params_.sel[t];
    spec.off[t] = spec.nnei;
    sel_offsets_[t] = spec.nnei;
    spec.nnei += params_.sel[t];
  }
  nnei_ = spec.nnei;
  const std::size_t n = n_;
  sel_index_.resize(n * nnei_);
  sel_shift_.resize(n * nnei_);
  sel_rij_.resize(3 * n * nnei_);
  over_excess_.resize(n);
  over_type_.resize(n);
  over_count_.resize(n);
  overflow_ = SelOverflow{};
  if (n == 0) return overflow_;
  const double rc = params_.rcut;
  sel_sort(n, spec, s.box.h, rc * rc, capacity_, s.positions.data(), types, neighbors_.data(),
           shifts_.data(), counts_.data(), sel_index_.data(), sel_shift_.data(), sel_rij_.data(),
           over_excess_.data(), over_type_.data(), over_count_.data());
  if (!read_status) return overflow_;
  const SelStatus st = sel_status(n, over_excess_.data(), over_type_.data(), over_count_.data());
  overflow_.atoms = st.atoms;
  if (st.atoms > 0) {
    overflow_.worst_atom = st.atom;
    overflow_.worst_type = st.type;
    overflow_.worst_count = st.count;
    overflow_.worst_sel = params_.sel[st.type];
  }
  return overflow_;
}

void NeighborList::check_sel_overflow() const {
  if (!overflow_.any() || params_.truncate_sel) return;
  throw NeighborError(std::to_string(overflow_.atoms) + " atom(s) have more neighbors within rcut = " +
                      std::to_string(params_.rcut) + " Å than sel allows; worst: atom " +
                      std::to_string(overflow_.worst_atom) + " has " + std::to_string(overflow_.worst_count) +
                      " neighbors of type " + std::to_string(overflow_.worst_type) + " for sel = " +
                      std::to_string(overflow_.worst_sel) +
                      " (raise sel, or allow truncation to keep the nearest as DeePMD-kit does)");
}

std::vector<int> NeighborList::host_type_counts(const System& s) const {
  if (!built_ || s.size() != n_) throw NeighborError("host_type_counts: the Verlet list is not built for this system");
  const int ntypes = s.num_types();
  DeviceArray<int> out(n_ * static_cast<std::size_t>(ntypes));
  if (n_ > 0 && ntypes > 0)
    type_counts(n_, ntypes, s.box.h, params_.rcut * params_.rcut, capacity_, s.positions.data(), s.types.data(),
                neighbors_.data(), shifts_.data(), counts_.data(), out.data());
  return out.to_host();
}

}  // namespace vitra
