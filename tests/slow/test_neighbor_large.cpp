// A 50k-atom glass-density cell: the Verlet and sel-sorted lists against a
// cell-list-free reference. When every face distance exceeds 2·(rcut+skin),
// a pair within the list radius has exactly one image, S_k = -round(s_j,k - s_i,k),
// so a sample of atoms can be checked against all N atoms in O(N·k).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "kernels/neighbor/neighbor_list.hpp"
#include "tests/common/random_system.hpp"

using namespace vitra;

TEST(NeighborListLarge, FiftyThousandAtomsMatchAnAllPairsReferenceOnASample) {
  const auto seed = std::random_device{}() | (std::uint64_t(std::random_device{}()) << 32);
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  System s = test::random_system(rng, 50000);  // uniform in the cell (unit tests cover atoms outside)
  NeighborParams p;
  p.rcut = 6.0;
  p.skin = 1.0;
  p.sel = {60, 60, 60};
  p.truncate_sel = true;
  const double rl = p.rcut + p.skin;
  const Vec3 d = s.box.face_distances();
  ASSERT_GT(std::min({d.x, d.y, d.z}), 2 * rl);

  NeighborList nl(p);
  nl.build(s);
  nl.build_sel(s);
  const std::size_t n = s.size();
  const auto x = s.host_positions();
  const auto types = s.host_types();
  const auto cnt = nl.host_counts();
  const auto nb = nl.host_neighbors();
  const auto sh = nl.host_shifts();
  const auto tc = nl.host_type_counts(s);
  const std::size_t cap = static_cast<std::size_t>(nl.capacity());
  std::vector<Vec3> frac(n);
  for (std::size_t i = 0; i < n; ++i) frac[i] = s.box.to_fractional(x[i]);

  // Sampled atoms against all atoms.
  std::vector<std::size_t> sample(n);
  for (std::size_t i = 0; i < n; ++i) sample[i] = i;
  std::shuffle(sample.begin(), sample.end(), rng);
  sample.resize(2500);
  std::vector<std::pair<int, int>> want, got;
  for (std::size_t i : sample) {
    want.clear();
    int by_type[3] = {0, 0, 0};
    for (std::size_t j = 0; j < n; ++j) {
      int S[3];
      for (int k = 0; k < 3; ++k) S[k] = -static_cast<int>(std::nearbyint(frac[j][k] - frac[i][k]));
      if (i == j) continue;  // its images are farther than 2·rl
      const double r2 = norm2(nbr::pair_vector(x[i], x[j], S[0], S[1], S[2], s.box.h));
      if (r2 < rl * rl) want.push_back({int(j), nbr::pack_shift(S[0], S[1], S[2])});
      if (r2 < p.rcut * p.rcut) ++by_type[types[j]];
    }
    got.clear();
    for (int k = 0; k < cnt[i]; ++k) got.push_back({nb[i * cap + k], sh[i * cap + k]});
    std::sort(want.begin(), want.end());
    std::sort(got.begin(), got.end());
    ASSERT_EQ(got, want) << "atom " << i;
    for (int t = 0; t < 3; ++t) ASSERT_EQ(tc[i * 3 + t], by_type[t]) << "atom " << i << " type " << t;
  }

  // The full list is symmetric: (i, j, S) listed iff (j, i, -S) is.
  std::vector<std::tuple<int, int, int>> fwd, rev;
  fwd.reserve(n * 120);
  rev.reserve(n * 120);
  long long total = 0;
  for (std::size_t i = 0; i < n; ++i) {
    total += cnt[i];
    for (int k = 0; k < cnt[i]; ++k) {
      const int j = nb[i * cap + k];
      int S[3];
      nbr::unpack_shift(sh[i * cap + k], S);
      fwd.emplace_back(int(i), j, sh[i * cap + k]);
      rev.emplace_back(j, int(i), nbr::pack_shift(-S[0], -S[1], -S[2]));
    }
  }
  std::sort(fwd.begin(), fwd.end());
  std::sort(rev.begin(), rev.end());
  EXPECT_TRUE(fwd == rev);
  EXPECT_NEAR(nl.stats().mean_neighbors, static_cast<double>(total) / n, 1e-9);
  // Uniform atoms: on average density·(4/3)π·rl³ neighbors.
  const double expected = n / s.box.volume() * 4.0 / 3.0 * M_PI * rl * rl * rl;
  EXPECT_NEAR(nl.stats().mean_neighbors, expected, 0.03 * expected);

  // sel-sorted slots of the sample: nearest first, within rcut, right types, padding last.
  const auto idx = nl.host_sel_index();
  const auto rij = nl.host_sel_rij();
  const int nnei = nl.nnei();
  for (std::size_t i : sample) {
    for (int t = 0; t < 3; ++t) {
      const int off = nl.sel_offsets()[t];
      const int filled = std::min(tc[i * 3 + t], p.sel[t]);
      double last = 0;
      for (int k = 0; k < p.sel[t]; ++k) {
        const std::size_t slot = i * nnei + off + k;
        if (k >= filled) {
          ASSERT_EQ(idx[slot], -1);
          continue;
        }
        ASSERT_GE(idx[slot], 0);
        ASSERT_EQ(types[idx[slot]], t);
        const double r2 = rij[slot * 3] * rij[slot * 3] + rij[slot * 3 + 1] * rij[slot * 3 + 1] +
                          rij[slot * 3 + 2] * rij[slot * 3 + 2];
        ASSERT_LT(r2, p.rcut * p.rcut);
        ASSERT_GE(r2, last);
        last = r2;
      }
    }
  }
}
