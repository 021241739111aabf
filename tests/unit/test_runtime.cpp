// The runtime layer on the CPU backend: arrays, launches, reductions, sorts.
#include <gtest/gtest.h>
#include <omp.h>

#include <algorithm>
#include <numeric>
#include <random>

#include "cuda/device_array.hpp"
#include "cuda/for_each.cuh"
#include "cuda/reduce.cuh"
#include "cuda/sort.hpp"

using namespace vitra;

TEST(DeviceArray, RoundTripCloneAndMove) {
  std::mt19937_64 rng(std::random_device{}());
  std::uniform_real_distribution<double> u(-1e3, 1e3);
  std::vector<double> h(1000);
  for (auto& x : h) x = u(rng);
  DeviceArray<double> a(h);
  EXPECT_EQ(a.size(), h.size());
  EXPECT_EQ(a.to_host(), h);
  DeviceArray<double> b = a.clone();
  b.set(3, 42.0);
  EXPECT_EQ(a.get(3), h[3]);
  EXPECT_EQ(b.get(3), 42.0);
  DeviceArray<double> c = std::move(b);
  EXPECT_EQ(c.get(3), 42.0);
  EXPECT_TRUE(b.empty());
  c.fill_zero();
  for (double x : c.to_host()) EXPECT_EQ(x, 0.0);
  EXPECT_THROW(c.get(c.size()), std::out_of_range);
}

TEST(ForEach, VisitsEveryIndexOnce) {
  const std::size_t n = 100003;
  DeviceArray<int> hits(n);
  hits.fill_zero();
  int* p = hits.data();
  for_each(n, [=](std::size_t i) { p[i] += static_cast<int>(i % 7) + 1; });
  const auto h = hits.to_host();
  for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(h[i], static_cast<int>(i % 7) + 1);
}

TEST(TransformReduce, SumMaxMinMatchSerialLoop) {
  std::mt19937_64 rng(std::random_device{}());
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  for (std::size_t n : {1ul, 7ul, 4096ul, 4097ul, 100000ul}) {
    std::vector<double> h(n);
    for (auto& x : h) x = u(rng);
    DeviceArray<double> a(h);
    const double* p = a.data();
    const double sum = transform_reduce(n, 0.0, [=](std::size_t i) { return p[i] * p[i]; }, Plus{});
    double ref = 0;
    for (double x : h) ref += x * x;
    EXPECT_NEAR(sum, ref, 1e-12 * n);
    EXPECT_EQ(transform_reduce(n, -1e300, [=](std::size_t i) { return p[i]; }, Max{}),
              *std::max_element(h.begin(), h.end()));
    EXPECT_EQ(transform_reduce(n, 1e300, [=](std::size_t i) { return p[i]; }, Min{}),
              *std::min_element(h.begin(), h.end()));
  }
}

TEST(TransformReduce, IndependentOfThreadCount) {
  std::mt19937_64 rng(std::random_device{}());
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  std::vector<double> h(50000);
  for (auto& x : h) x = u(rng);
  DeviceArray<double> a(h);
  const double* p = a.data();
  auto f = [=](std::size_t i) { return p[i]; };
  const int saved = omp_get_max_threads();
  omp_set_num_threads(1);
  const double one = transform_reduce(h.size(), 0.0, f, Plus{});
  omp_set_num_threads(std::max(2, saved));
  const double many = transform_reduce(h.size(), 0.0, f, Plus{});
  omp_set_num_threads(saved);
  EXPECT_EQ(one, many);  // bit-for-bit: chunking does not depend on threads
}

TEST(SortPairs, StableAndMatchesStdStableSort) {
  std::mt19937_64 rng(std::random_device{}());
  const std::size_t n = 20000;
  std::vector<std::uint32_t> keys(n);
  std::vector<int> vals(n);
  for (std::size_t i = 0; i < n; ++i) {
    keys[i] = static_cast<std::uint32_t>(rng() % 97) | (static_cast<std::uint32_t>(rng()) << 16);
    vals[i] = static_cast<int>(i);
  }
  for (int bits : {7, 32}) {
    DeviceArray<std::uint32_t> k(keys);
    DeviceArray<int> v(vals);
    sort_pairs(k, v, bits);
    const std::uint32_t mask = bits == 32 ? 0xffffffffu : (1u << bits) - 1;
    std::vector<int> order(vals);
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return (keys[a] & mask) < (keys[b] & mask); });
    EXPECT_EQ(v.to_host(), order);
    const auto ks = k.to_host();
    for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(ks[i], keys[order[i]]);
  }
}

TEST(ExclusiveScan, MatchesStdExclusiveScan) {
  std::mt19937_64 rng(std::random_device{}());
  std::vector<int> h(12345);
  for (auto& x : h) x = static_cast<int>(rng() % 50);
  DeviceArray<int> in(h), out;
  const long long total = exclusive_scan(in, out);
  std::vector<int> ref(h.size());
  std::exclusive_scan(h.begin(), h.end(), ref.begin(), 0);
  EXPECT_EQ(out.to_host(), ref);
  EXPECT_EQ(total, std::accumulate(h.begin(), h.end(), 0LL));
  // In place.
  const long long total2 = exclusive_scan(in, in);
  EXPECT_EQ(in.to_host(), ref);
  EXPECT_EQ(total2, total);
}
