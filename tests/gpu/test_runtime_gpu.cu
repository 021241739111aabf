// CUDA backend against the CPU backend: the runtime layer and the System
// kernels must give the same results on random inputs. Skips without a GPU.
#include <gtest/gtest.h>

#include <random>

#include "cuda/device_array.hpp"
#include "cuda/for_each.cuh"
#include "cuda/reduce.cuh"
#include "cuda/sort.hpp"
#include "kernels/kinetic.hpp"
#include "kernels/velocity_init.hpp"
#include "kernels/wrap.hpp"
#include "tests/common/backend_guard.hpp"
#include "tests/common/random_system.hpp"

using namespace vitra;
using test::BackendGuard;

namespace {

template <class T>
std::vector<T> run_on(Backend b, const std::vector<T>& in, void (*op)(DeviceArray<T>&)) {
  BackendGuard guard(b);
  DeviceArray<T> a(in);
  op(a);
  return a.to_host();
}

void square_plus_index(DeviceArray<double>& a) {
  double* p = a.data();
  for_each(a.size(), [=] VITRA_HD_LAMBDA(std::size_t i) { p[i] = p[i] * p[i] + static_cast<double>(i); });
}

// Extended lambdas may not live inside a TestBody (a private member), so the
// device-side reductions are free functions.
double sum_of(const DeviceArray<double>& a) {
  const double* p = a.data();
  return transform_reduce(a.size(), 0.0, [=] VITRA_HD_LAMBDA(std::size_t i) { return p[i]; }, Plus{});
}
double max_of(const DeviceArray<double>& a) {
  const double* p = a.data();
  return transform_reduce(a.size(), -2.0, [=] VITRA_HD_LAMBDA(std::size_t i) { return p[i]; }, Max{});
}

System copy_to_backend(const System& s, Backend b) {
  BackendGuard guard(b);
  return System(s.box, s.type_map, s.host_types(), s.host_positions(), s.host_velocities());
}

}  // namespace

TEST(RuntimeGpu, ForEachMatchesCpu) {
  VITRA_REQUIRE_CUDA();
  std::mt19937_64 rng(std::random_device{}());
  std::uniform_real_distribution<double> u(-3, 3);
  std::vector<double> h(1 << 20);
  for (auto& x : h) x = u(rng);
  EXPECT_EQ(run_on(Backend::Cuda, h, square_plus_index), run_on(Backend::Cpu, h, square_plus_index));
}

TEST(RuntimeGpu, ReduceSortScanMatchCpu) {
  VITRA_REQUIRE_CUDA();
  std::mt19937_64 rng(std::random_device{}());
  std::uniform_real_distribution<double> u(-1, 1);
  const std::size_t n = 300001;
  std::vector<double> h(n);
  for (auto& x : h) x = u(rng);
  std::vector<std::uint32_t> keys(n);
  std::vector<int> ints(n);
  for (std::size_t i = 0; i < n; ++i) {
    keys[i] = static_cast<std::uint32_t>(rng() % 5000);
    ints[i] = static_cast<int>(rng() % 100);
  }
  double sums[2], maxs[2];
  std::vector<int> sorted_vals[2], scans[2];
  long long totals[2];
  for (Backend b : {Backend::Cuda, Backend::Cpu}) {
    BackendGuard guard(b);
    const int k = b == Backend::Cuda ? 0 : 1;
    DeviceArray<double> a(h);
    sums[k] = sum_of(a);
    maxs[k] = max_of(a);
    DeviceArray<std::uint32_t> dk(keys);
    DeviceArray<int> dv(ints);
    sort_pairs(dk, dv, 13);
    sorted_vals[k] = dv.to_host();
    DeviceArray<int> in(ints), out;
    totals[k] = exclusive_scan(in, out);
    scans[k] = out.to_host();
  }
  EXPECT_NEAR(sums[0], sums[1], 1e-10);  // summation order differs
  EXPECT_EQ(maxs[0], maxs[1]);
  EXPECT_EQ(sorted_vals[0], sorted_vals[1]);  // both sorts are stable
  EXPECT_EQ(scans[0], scans[1]);
  EXPECT_EQ(totals[0], totals[1]);
}

TEST(SystemGpu, KineticVelocitiesAndWrapMatchCpu) {
  VITRA_REQUIRE_CUDA();
  const std::uint64_t seed = std::random_device{}();
  SCOPED_TRACE(seed);
  std::mt19937_64 rng(seed);
  const System ref = test::random_system(rng, 20000, 1.5);
  System gpu = copy_to_backend(ref, Backend::Cuda);
  System cpu = copy_to_backend(ref, Backend::Cpu);
  {
    BackendGuard g(Backend::Cuda);
    EXPECT_NEAR(kinetic_energy(gpu), kinetic_energy(cpu), 1e-12 * kinetic_energy(cpu));
    VelocityInit opt;
    opt.temperature = 500;
    opt.seed = seed;
    maxwell_boltzmann(gpu, opt);
    wrap_positions(gpu);
  }
  VelocityInit opt;
  opt.temperature = 500;
  opt.seed = seed;
  maxwell_boltzmann(cpu, opt);
  wrap_positions(cpu);
  const auto vg = gpu.host_velocities(), vc = cpu.host_velocities();
  const auto rg = gpu.host_positions(), rc = cpu.host_positions();
  const auto ig = gpu.host_images(), ic = cpu.host_images();
  for (std::size_t i = 0; i < vg.size(); ++i) {
    ASSERT_NEAR(norm(vg[i] - vc[i]), 0.0, 1e-12 * (1 + norm(vc[i])));  // libm vs CUDA math: a few ulp
    ASSERT_NEAR(norm(rg[i] - rc[i]), 0.0, 1e-12);
  }
  EXPECT_EQ(ig, ic);
}
