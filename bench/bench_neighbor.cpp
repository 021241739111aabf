// Neighbor-list build times: the Verlet list (cell list + search within
// rcut + skin) and the sel-sorted list (what se_e2_a consumes), for 10^3 ..
// 10^6 atoms at glass density (0.08 atoms/Å³, rcut 6 Å, skin 1 Å, 3 types).
//
//   bench_neighbor [--backend cuda|cpu|auto] [google-benchmark flags]
// (or VITRA_BENCH_DEVICE=cuda|cpu). 10^6 atoms run on the GPU, and on the
// CPU backend only with VITRA_BENCH_LARGE=1. The device is synchronised inside the
// timing loop, so times are wall-clock times of finished work.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "bench/bench_main.hpp"
#include "cuda/backend.hpp"
#include "kernels/neighbor/neighbor_list.hpp"
#include "kernels/system.hpp"

namespace {

using namespace vitra;

constexpr double kDensity = 0.08;  // atoms/Å³
constexpr double kRcut = 6.0;
constexpr double kSkin = 1.0;
const std::vector<int> kSel = {60, 60, 60};

// A mildly triclinic cell at glass density with uniform random atoms of 3 types.
System make_system(std::size_t n) {
  std::mt19937_64 rng(12345 + n);
  const double edge = std::cbrt(static_cast<double>(n) / kDensity);  // volume = edge³
  Mat3 h;
  h.m[0][0] = edge;
  h.m[1][0] = 0.1 * edge;
  h.m[1][1] = edge;
  h.m[2][0] = -0.05 * edge;
  h.m[2][1] = 0.1 * edge;
  h.m[2][2] = edge;
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::vector<Vec3> x(n);
  std::vector<int> t(n);
  for (std::size_t i = 0; i < n; ++i) {
    x[i] = Vec3{u(rng), u(rng), u(rng)} * h;
    t[i] = static_cast<int>(rng() % 3);
  }
  TypeMap tm;
  tm.names = {"O", "B", "Li"};
  tm.masses = {15.999, 10.81, 6.94};
  return System(Box(h), tm, t, x);
}

// One system at a time is kept (10^6 atoms with its lists is several GB).
System& cached_system(std::size_t n) {
  static std::unique_ptr<System> sys;
  static std::size_t size = 0;
  if (!sys || size != n) {
    sys.reset();
    sys = std::make_unique<System>(make_system(n));
    size = n;
  }
  return *sys;
}

NeighborParams params() {
  NeighborParams p;
  p.rcut = kRcut;
  p.skin = kSkin;
  p.sel = kSel;
  p.truncate_sel = true;
  return p;
}

void BM_VerletBuild(benchmark::State& state) {
  const std::size_t n = static_cast<std::size_t>(state.range(0));
  System& s = cached_system(n);
  NeighborList nl(params());
  nl.build(s);  // sizes the capacity once, as in a run
  synchronize();
  for (auto _ : state) {
    nl.build(s);
    synchronize();
  }
  state.counters["atoms/s"] = benchmark::Counter(static_cast<double>(n), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["neighbors"] = nl.stats().mean_neighbors;
  state.counters["capacity"] = nl.stats().capacity;
}

void BM_SelBuild(benchmark::State& state) {
  const std::size_t n = static_cast<std::size_t>(state.range(0));
  System& s = cached_system(n);
  NeighborList nl(params());
  nl.build(s);
  nl.build_sel(s);
  synchronize();
  for (auto _ : state) {
    nl.build_sel(s);
    synchronize();
  }
  state.counters["atoms/s"] = benchmark::Counter(static_cast<double>(n), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["nnei"] = nl.nnei();
}

void BM_NeedsRebuild(benchmark::State& state) {
  const std::size_t n = static_cast<std::size_t>(state.range(0));
  System& s = cached_system(n);
  NeighborList nl(params());
  nl.build(s);
  bool r = false;
  for (auto _ : state) {
    r = nl.needs_rebuild(s);  // reads one scalar back: synchronous
    benchmark::DoNotOptimize(r);
  }
  state.counters["atoms/s"] = benchmark::Counter(static_cast<double>(n), benchmark::Counter::kIsIterationInvariantRate);
}

// Bytes the largest size needs: Verlet rows (~170 ints x2 per atom), sel slots
// (180 x (2 ints + 3 doubles)), positions and cell-list scratch, with margin.
bool large_fits() {
  const double need_gib = 1e6 * (170 * 8 + 180 * 32 + 200) * 1.3 / (1024.0 * 1024.0 * 1024.0);
  double have_gib = 0;
  if (active_backend() == Backend::Cuda) {
    have_gib = device_info().memory_gib;
  } else {
    const long pages = sysconf(_SC_AVPHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    have_gib = static_cast<double>(pages) * static_cast<double>(page) / (1024.0 * 1024.0 * 1024.0);
  }
  return have_gib > 1.5 * need_gib;
}

}  // namespace

int main(int argc, char** argv) {
  return vitra::bench::run_benchmarks(argc, argv, "bench_neighbor", [] {
    std::vector<long> sizes = {1000, 10000, 100000};
    // 10^6 atoms: on the GPU when its memory allows; on the CPU backend (about a
    // minute with setup on 2 cores) only with VITRA_BENCH_LARGE=1.
    const bool large_wanted = active_backend() == Backend::Cuda || std::getenv("VITRA_BENCH_LARGE") != nullptr;
    if (large_wanted && large_fits()) sizes.push_back(1000000);
    for (long n : sizes) {
      // Few iterations at the large sizes: each is a full build.
      const double min_time = n >= 1000000 ? 0.5 : 0.2;
      benchmark::RegisterBenchmark("BM_VerletBuild", BM_VerletBuild)->Arg(n)->Unit(benchmark::kMillisecond)
          ->UseRealTime()->MinTime(min_time);
      benchmark::RegisterBenchmark("BM_SelBuild", BM_SelBuild)->Arg(n)->Unit(benchmark::kMillisecond)
          ->UseRealTime()->MinTime(min_time);
      benchmark::RegisterBenchmark("BM_NeedsRebuild", BM_NeedsRebuild)->Arg(n)->Unit(benchmark::kMicrosecond)
          ->UseRealTime()->MinTime(min_time);
    }
  });
}
