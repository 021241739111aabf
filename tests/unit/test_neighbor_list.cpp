// Neighbor lists on the CPU backend against a brute-force search over all
// atoms and all periodic images: the Verlet list (every (j, image) within
// rcut + skin, once), the sel-sorted list (slots, padding, order, overflow),
// the rebuild criterion (displacements, cell deformations) and update().
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "kernels/neighbor/neighbor_list.hpp"
#include "kernels/wrap.hpp"
#include "tests/common/seed.hpp"
#include "tests/common/random_cells.hpp"
#include "tests/common/random_system.hpp"

using namespace vitra;
using test::fresh_seed;

namespace {

struct Nb {
  int j;
  int shift;  // packed
  double d2;
  Vec3 r;
};

// Every (j, S) with |x_j - x_i + S·h| < R. The shifts tried per axis are
// bounded from the face distances D_k: |S_k| ≤ |Δs_k| + |s_j,k - s_i,k| <
// R/D_k + span_k, with one more layer as margin.
std::vector<std::vector<Nb>> brute_force(const std::vector<Vec3>& x, const Mat3& h, double R) {
  const Box box(h);
  const Vec3 d = box.face_distances();
  double smin[3] = {1e300, 1e300, 1e300}, smax[3] = {-1e300, -1e300, -1e300};
  for (const Vec3& p : x) {
    const Vec3 s = box.to_fractional(p);
    for (int k = 0; k < 3; ++k) {
      smin[k] = std::min(smin[k], s[k]);
      smax[k] = std::max(smax[k], s[k]);
    }
  }
  int b[3];
  for (int k = 0; k < 3; ++k) b[k] = static_cast<int>(std::floor(R / d[k] + (smax[k] - smin[k]))) + 1;
  const std::size_t n = x.size();
  std::vector<std::vector<Nb>> out(n);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      for (int sa = -b[0]; sa <= b[0]; ++sa)
        for (int sb = -b[1]; sb <= b[1]; ++sb)
          for (int sc = -b[2]; sc <= b[2]; ++sc) {
            if (i == j && sa == 0 && sb == 0 && sc == 0) continue;
            const Vec3 r = nbr::pair_vector(x[i], x[j], sa, sb, sc, h);
            const double d2 = norm2(r);
            if (d2 < R * R) out[i].push_back({int(j), nbr::pack_shift(sa, sb, sc), d2, r});
          }
  return out;
}

using PairSet = std::vector<std::pair<int, int>>;  // (j, packed shift), sorted

std::vector<PairSet> verlet_sets(const NeighborList& nl) {
  const auto cnt = nl.host_counts();
  const auto nb = nl.host_neighbors();
  const auto sh = nl.host_shifts();
  const std::size_t cap = static_cast<std::size_t>(nl.capacity());
  std::vector<PairSet> out(nl.size());
  for (std::size_t i = 0; i < nl.size(); ++i) {
    EXPECT_LE(cnt[i], nl.capacity());
    for (int k = 0; k < std::min(cnt[i], nl.capacity()); ++k)
      out[i].push_back({nb[i * cap + k], sh[i * cap + k]});
    std::sort(out[i].begin(), out[i].end());
  }
  return out;
}

std::vector<PairSet> sets_of(const std::vector<std::vector<Nb>>& bf) {
  std::vector<PairSet> out(bf.size());
  for (std::size_t i = 0; i < bf.size(); ++i) {
    for (const Nb& p : bf[i]) out[i].push_back({p.j, p.shift});
    std::sort(out[i].begin(), out[i].end());
  }
  return out;
}

struct SelExpect {
  std::vector<int> index, shift;
  std::vector<double> rij;
  SelOverflow overflow;
  std::vector<int> type_counts;  // [i * ntypes + t]
};

// The sel-sorted list from brute-force neighbors within rcut.
SelExpect expected_sel(const std::vector<std::vector<Nb>>& bf_rcut, const std::vector<int>& types,
                       const std::vector<int>& sel) {
  const int ntypes = static_cast<int>(sel.size());
  std::vector<int> off(ntypes, 0);
  int nnei = 0;
  for (int t = 0; t < ntypes; ++t) {
    off[t] = nnei;
    nnei += sel[t];
  }
  const std::size_t n = bf_rcut.size();
  SelExpect e;
  e.index.assign(n * nnei, -1);
  e.shift.assign(n * nnei, nbr::kZeroShift);
  e.rij.assign(n * nnei * 3, 0.0);
  e.type_counts.assign(n * ntypes, 0);
  int best_excess = 0;
  for (std::size_t i = 0; i < n; ++i) {
    int worst = 0, wt = -1, wc = 0;
    for (int t = 0; t < ntypes; ++t) {
      std::vector<Nb> of;
      for (const Nb& p : bf_rcut[i])
        if (types[p.j] == t) of.push_back(p);
      std::sort(of.begin(), of.end(), [](const Nb& a, const Nb& b) {
        return nbr::sel_before(a.d2, a.j, a.shift, b.d2, b.j, b.shift);
      });
      const int c = static_cast<int>(of.size());
      e.type_counts[i * ntypes + t] = c;
      for (int s = 0; s < std::min(c, sel[t]); ++s) {
        const std::size_t slot = i * nnei + off[t] + s;
        e.index[slot] = of[s].j;
        e.shift[slot] = of[s].shift;
        for (int k = 0; k < 3; ++k) e.rij[slot * 3 + k] = of[s].r[k];
      }
      if (c - sel[t] > worst) {
        worst = c - sel[t];
        wt = t;
        wc = c;
      }
    }
    if (worst > 0) {
      ++e.overflow.atoms;
      if (worst > best_excess) {
        best_excess = worst;
        e.overflow.worst_atom = static_cast<int>(i);
        e.overflow.worst_type = wt;
        e.overflow.worst_count = wc;
        e.overflow.worst_sel = sel[wt];
      }
    }
  }
  return e;
}

void expect_sel_matches(const NeighborList& nl, const SelExpect& e) {
  const auto idx = nl.host_sel_index();
  const auto sh = nl.host_sel_shift();
  const auto rij = nl.host_sel_rij();
  ASSERT_EQ(idx.size(), e.index.size());
  ASSERT_EQ(rij.size(), e.rij.size());
  int bad = 0;
  for (std::size_t s = 0; s < idx.size() && bad < 5; ++s) {
    if (idx[s] != e.index[s] || sh[s] != e.shift[s]) {
      ++bad;
      ADD_FAILURE() << "slot " << s << " (atom " << s / nl.nnei() << ", slot " << s % nl.nnei() << "): got j "
                    << idx[s] << " shift " << sh[s] << ", expected j " << e.index[s] << " shift " << e.shift[s];
    }
    for (int k = 0; k < 3; ++k) EXPECT_NEAR(rij[s * 3 + k], e.rij[s * 3 + k], 1e-12);
  }
  const SelOverflow& o = nl.sel_overflow();
  EXPECT_EQ(o.atoms, e.overflow.atoms);
  EXPECT_EQ(o.worst_atom, e.overflow.worst_atom);
  EXPECT_EQ(o.worst_type, e.overflow.worst_type);
  EXPECT_EQ(o.worst_count, e.overflow.worst_count);
  EXPECT_EQ(o.worst_sel, e.overflow.worst_sel);
}

struct Case {
  Mat3 h;
  std::vector<Vec3> x;
  std::vector<int> types;
  double rcut, skin;
};

enum class Kind { Tiny, Medium, Large };

// Tiny: face distances below the cutoff (many images, images of i itself).
// Medium: cell edges between 1x and 2x rcut + skin. Large: 2.2-3x, skewed.
Case random_case(std::mt19937_64& rng, Kind kind) {
  std::uniform_real_distribution<double> U(0.0, 1.0);
  Case c;
  c.rcut = 2.5 + 2.5 * U(rng);
  c.skin = 0.3 + 1.2 * U(rng);
  const double rl = c.rcut + c.skin;
  std::size_t n = 0;
  if (kind == Kind::Tiny) {
    c.h = test::randomly_rotated(rng, test::random_cell(rng, 0.3 * c.rcut, 0.95 * c.rcut, 0.4));
    n = 1 + rng() % 12;
  } else {
    const bool medium = kind == Kind::Medium;
    c.h = test::randomly_rotated(
        rng, medium ? test::random_cell(rng, 1.0 * rl, 2.0 * rl, 0.25) : test::random_cell(rng, 2.2 * rl, 3.0 * rl, 0.5));
    const double density = 0.04 + 0.05 * U(rng);
    n = std::max<std::size_t>(2, std::min<std::size_t>(600, static_cast<std::size_t>(density * Box(c.h).volume())));
  }
  c.x = test::random_positions(rng, c.h, n, 0.05);  // some slightly outside the cell
  c.types.resize(n);
  for (auto& t : c.types) t = static_cast<int>(rng() % 3);
  return c;
}

System make_system(const Case& c) { return System(Box(c.h), test::lbo_type_map(), c.types, c.x); }

// sel per type: enough for everyone, or (forced overflow) a little too small
// for the type with the most neighbors and sometimes for others.
std::vector<int> random_sel(std::mt19937_64& rng, const SelExpect& counts_only, std::size_t n, bool overflow) {
  int mx[3] = {0, 0, 0};
  for (int t = 0; t < 3; ++t)
    for (std::size_t i = 0; i < n; ++i) mx[t] = std::max(mx[t], counts_only.type_counts[i * 3 + t]);
  const int most = static_cast<int>(std::max_element(mx, mx + 3) - mx);
  std::vector<int> sel(3, 0);
  for (int t = 0; t < 3; ++t) {
    const bool cut = overflow && (t == most || rng() % 2 == 0);
    sel[t] = cut ? std::max(0, mx[t] - 1 - int(rng() % 3)) : mx[t] + int(rng() % 4);
  }
  return sel;
}

void check_random_cells(Kind kind, int ncells) {
  const auto seed = fresh_seed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  for (int cidx = 0; cidx < ncells; ++cidx) {
    SCOPED_TRACE("cell " + std::to_string(cidx));
    const Case c = random_case(rng, kind);
    System s = make_system(c);
    const bool overflow = cidx % 3 == 2;
    const auto bf_list = brute_force(c.x, c.h, c.rcut + c.skin);
    const auto bf_cut = brute_force(c.x, c.h, c.rcut);
    const SelExpect counts = expected_sel(bf_cut, c.types, {0, 0, 0});

    NeighborParams p;
    p.rcut = c.rcut;
    p.skin = c.skin;
    p.sel = random_sel(rng, counts, c.x.size(), overflow);
    p.truncate_sel = rng() % 2 == 0;
    NeighborList nl(p);
    nl.build(s);
    const auto got = verlet_sets(nl);
    const auto want = sets_of(bf_list);
    for (std::size_t i = 0; i < c.x.size(); ++i)
      ASSERT_EQ(got[i], want[i]) << "Verlet row of atom " << i << " of " << c.x.size();

    const SelExpect e = expected_sel(bf_cut, c.types, p.sel);
    if (overflow) {
      ASSERT_GT(e.overflow.atoms, 0);
    }
    nl.build_sel(s);
    expect_sel_matches(nl, e);
    if (nl.sel_overflow().any() && !p.truncate_sel) {
      EXPECT_THROW(nl.check_sel_overflow(), NeighborError);
    } else {
      EXPECT_NO_THROW(nl.check_sel_overflow());
    }
    EXPECT_EQ(nl.host_type_counts(s), counts.type_counts);
    const NeighborStats st = nl.stats();
    EXPECT_EQ(st.builds, 1);
    EXPECT_LE(st.max_neighbors, st.capacity);
    if (::testing::Test::HasFailure()) return;
  }
}

}  // namespace

TEST(NeighborList, TinyCellsNarrowerThanTheCutoff) { check_random_cells(Kind::Tiny, 24); }
TEST(NeighborList, CellsBetweenOneAndTwoCutoffs) { check_random_cells(Kind::Medium, 20); }
TEST(NeighborList, LargeSkewedCells) { check_random_cells(Kind::Large, 12); }

TEST(NeighborList, CapacityGrowsAndBuildsAreDeterministic) {
  const auto seed = fresh_seed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  const Case c = random_case(rng, Kind::Medium);
  System s = make_system(c);
  NeighborParams p;
  p.rcut = c.rcut;
  p.skin = c.skin;
  p.initial_capacity = 1;
  NeighborList nl(p);
  nl.build(s);
  EXPECT_GE(nl.stats().capacity_growths, 1);
  EXPECT_EQ(verlet_sets(nl), sets_of(brute_force(c.x, c.h, c.rcut + c.skin)));
  const auto nb1 = nl.host_neighbors(), sh1 = nl.host_shifts();
  nl.build(s);
  EXPECT_EQ(nl.stats().builds, 2);
  EXPECT_EQ(nl.host_neighbors(), nb1);  // same order, not only the same set
  EXPECT_EQ(nl.host_shifts(), sh1);
}

TEST(NeighborList, SingleAtomSeesOnlyItsImagesAndEmptySystemsWork) {
  const Mat3 h = Box::orthorhombic(2.0, 3.0, 10.0).h;
  System one(Box(h), test::lbo_type_map(), {1}, {Vec3{0.5, 0.5, 0.5}});
  NeighborParams p;
  p.rcut = 3.5;
  p.skin = 0.5;
  p.sel = {0, 8, 0};
  NeighborList nl(p);
  nl.build(one);
  // Images within 4 Å: (±1,0,0) at 2, (±2,0,0) at 4 (excluded: strict <), (0,±1,0) at 3,
  // (±1,±1,0) at √13 ≈ 3.61.
  EXPECT_EQ(nl.host_counts()[0], 8);
  nl.build_sel(one);
  const auto idx = nl.host_sel_index();
  const auto sh = nl.host_sel_shift();
  // Within 3.5 Å: (-1,0,0), (1,0,0) at 2, then (0,-1,0), (0,1,0) at 3; ties by shift.
  const std::vector<int> want = {nbr::pack_shift(-1, 0, 0), nbr::pack_shift(1, 0, 0), nbr::pack_shift(0, -1, 0),
                                 nbr::pack_shift(0, 1, 0)};
  for (int s = 0; s < 4; ++s) {
    EXPECT_EQ(idx[s], 0);
    EXPECT_EQ(sh[s], want[s]);
  }
  for (int s = 4; s < 8; ++s) EXPECT_EQ(idx[s], -1);
  EXPECT_FALSE(nl.sel_overflow().any());

  System none(Box(h), test::lbo_type_map(), {}, {});
  NeighborList empty(p);
  EXPECT_NO_THROW(empty.build(none));
  EXPECT_NO_THROW(empty.build_sel(none));
  EXPECT_FALSE(empty.needs_rebuild(none));
}

namespace {

// Complete within rcut after a change that the criterion allows without a
// rebuild: the sel-sorted list (generous sel) equals brute force.
void expect_complete_within_rcut(NeighborList& nl, System& s) {
  const auto x = s.host_positions();
  const auto types = s.host_types();
  const auto bf = brute_force(x, s.box.h, nl.rcut());
  const SelExpect counts = expected_sel(bf, types, {0, 0, 0});
  EXPECT_EQ(nl.host_type_counts(s), counts.type_counts);
  nl.build_sel(s);
  expect_sel_matches(nl, expected_sel(bf, types, nl.params().sel));
}

}  // namespace

TEST(NeighborList, SmallDisplacementsKeepTheListCompleteAndLargeOnesTriggerARebuild) {
  const auto seed = fresh_seed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> g(0.0, 1.0);
  std::uniform_real_distribution<double> U(0.0, 1.0);
  for (int rep = 0; rep < 8; ++rep) {
    SCOPED_TRACE("repeat " + std::to_string(rep));
    const Case c = random_case(rng, rep % 3 == 0 ? Kind::Tiny : (rep % 3 == 1 ? Kind::Medium : Kind::Large));
    System s = make_system(c);
    NeighborParams p;
    p.rcut = c.rcut;
    p.skin = c.skin;
    p.sel = {400, 400, 400};
    NeighborList nl(p);
    nl.build(s);
    EXPECT_FALSE(nl.needs_rebuild(s));
    // Every atom moves by less than skin/2 in a random direction.
    std::vector<Vec3> x = c.x;
    for (auto& r : x) {
      Vec3 u{g(rng), g(rng), g(rng)};
      r += (0.499 * c.skin * U(rng) / norm(u)) * u;
    }
    s.set_positions(x);
    EXPECT_FALSE(nl.needs_rebuild(s));
    expect_complete_within_rcut(nl, s);
    // One atom moving by more than skin/2 from its build position triggers it.
    const std::size_t k = rng() % x.size();
    Vec3 u{g(rng), g(rng), g(rng)};
    x[k] = c.x[k] + (0.501 * c.skin / norm(u)) * u;
    s.set_positions(x);
    EXPECT_TRUE(nl.needs_rebuild(s));
  }
}

TEST(NeighborList, CellDeformationWithinTheBoundKeepsTheListCompleteAndBeyondTriggersARebuild) {
  const auto seed = fresh_seed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> U(-1.0, 1.0);
  for (int rep = 0; rep < 9; ++rep) {
    SCOPED_TRACE("repeat " + std::to_string(rep));
    const Case c = random_case(rng, rep % 3 == 0 ? Kind::Tiny : (rep % 3 == 1 ? Kind::Medium : Kind::Large));
    System s = make_system(c);
    NeighborParams p;
    p.rcut = c.rcut;
    p.skin = c.skin;
    p.sel = {400, 400, 400};
    NeighborList nl(p);
    nl.build(s);
    const double smax = nl.stats().shift_bound;
    ASSERT_GT(smax, 0.0);
    // A random deformation h' = h + Δh, scaled so that the largest row norm
    // of Δh is `target`; atoms stay where they are (affine = false: only the
    // S·Δh term of the criterion) or are carried along (x' = x h⁻¹ h').
    auto deform = [&](double target, bool affine) {
      Mat3 dh;
      for (int a = 0; a < 3; ++a)
        for (int b = 0; b < 3; ++b) dh.m[a][b] = U(rng);
      double eps = 0;
      for (int k = 0; k < 3; ++k) eps = std::max(eps, norm(dh.row(k)));
      Mat3 h2 = c.h;
      for (int a = 0; a < 3; ++a)
        for (int b = 0; b < 3; ++b) h2.m[a][b] += dh.m[a][b] * target / eps;
      const Box old(c.h), now(h2);
      std::vector<Vec3> x = c.x;
      if (affine)
        for (auto& r : x) r = now.to_cartesian(old.to_fractional(r));
      s.box = now;
      s.set_positions(x);
    };
    deform(0.98 * c.skin / smax, false);
    EXPECT_FALSE(nl.needs_rebuild(s));
    expect_complete_within_rcut(nl, s);
    // Affine: |Δx_i| = |s_i·Δh| ≤ |s_i|₁ ε, so 2δ + S_max ε ≤ (2 max|s|₁ + S_max) ε.
    double s1 = 0;
    for (const Vec3& r : c.x) {
      const Vec3 f = Box(c.h).to_fractional(r);
      s1 = std::max(s1, std::fabs(f.x) + std::fabs(f.y) + std::fabs(f.z));
    }
    deform(0.98 * c.skin / (smax + 2 * s1), true);
    EXPECT_FALSE(nl.needs_rebuild(s));
    expect_complete_within_rcut(nl, s);
    deform(1.02 * c.skin / smax, false);
    EXPECT_TRUE(nl.needs_rebuild(s));
  }
}

TEST(NeighborList, UpdateWrapsAndRebuildsOnlyWhenNeeded) {
  const auto seed = fresh_seed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  System s = test::random_system(rng, 400, 0.2);  // positions up to 20 % outside the cell
  NeighborParams p;
  p.rcut = 4.0;
  p.skin = 1.0;
  NeighborList nl(p);
  EXPECT_TRUE(nl.needs_rebuild(s));
  EXPECT_TRUE(nl.update(s));
  for (const Vec3& r : s.host_positions()) {
    const Vec3 f = s.box.to_fractional(r);
    for (int k = 0; k < 3; ++k) {
      EXPECT_GE(f[k], 0.0);
      EXPECT_LE(f[k], 1.0);
    }
  }
  EXPECT_EQ(verlet_sets(nl), sets_of(brute_force(s.host_positions(), s.box.h, p.rcut + p.skin)));
  EXPECT_FALSE(nl.update(s));
  EXPECT_EQ(nl.stats().builds, 1);
  // Wrapped positions span at most one cell: S_max ≤ Σ (rlist/D_k + 1).
  const Vec3 d = s.box.face_distances();
  EXPECT_LE(nl.stats().shift_bound, 5.0 / d[0] + 5.0 / d[1] + 5.0 / d[2] + 3.0);
  std::vector<Vec3> x = s.host_positions();
  x[7] += Vec3{0.6, 0.0, 0.0};
  s.set_positions(x);
  EXPECT_TRUE(nl.update(s));
  EXPECT_EQ(nl.stats().builds, 2);
  EXPECT_FALSE(nl.needs_rebuild(s));
}

TEST(NeighborList, RejectsBadParametersAndMismatchedSel) {
  NeighborParams p;
  p.rcut = 0.0;
  EXPECT_THROW(NeighborList{p}, std::invalid_argument);
  p.rcut = 4.0;
  p.skin = -1.0;
  EXPECT_THROW(NeighborList{p}, std::invalid_argument);
  p.skin = 1.0;
  p.sel = {4, -1, 2};
  EXPECT_THROW(NeighborList{p}, std::invalid_argument);
  p.sel = {10, 10};  // two entries for a three-type system
  std::mt19937_64 rng(fresh_seed());
  System s = test::random_system(rng, 100);
  NeighborList nl(p);
  EXPECT_THROW(nl.build_sel(s), NeighborError);  // not built yet
  nl.build(s);
  EXPECT_THROW(nl.build_sel(s), NeighborError);  // sel does not match the types
  std::vector<Vec3> x = s.host_positions();
  x[3] = x[3] + 600.0 * s.box.a();  // 600 cells away: image shifts beyond ±511
  s.set_positions(x);
  EXPECT_THROW(nl.build(s), NeighborError);
  x[3].y = std::nan("");
  s.set_positions(x);
  EXPECT_THROW(nl.build(s), NeighborError);
}
