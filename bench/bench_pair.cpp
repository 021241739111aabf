// Lennard-Jones force evaluation of PairPotential for 10^3 .. 10^5 atoms at
// glass density (0.08 atoms/Å³, 3 types, σ 2.2 Å, rc 5.5 Å, skin 1 Å): the
// per-step cost on a list that is already built (compute() still runs its
// rebuild check, as in a run), forces only and with energy + virial.
//
//   bench_pair [--backend cuda|cpu|auto] [google-benchmark flags]
// (or VITRA_BENCH_DEVICE=cuda|cpu). compute() synchronises at its rebuild
// check; the loop also synchronises, so times are those of finished work.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "bench/bench_main.hpp"
#include "cuda/backend.hpp"
#include "kernels/pair/pair_potential.hpp"
#include "kernels/system.hpp"

namespace {

using namespace vitra;

constexpr double kDensity = 0.08;  // atoms/Å³
constexpr double kSigma = 2.2, kRcut = 5.5, kSkin = 1.0;

// Atoms on a jittered simple-cubic grid in a mildly triclinic cell: random,
// without the close contacts of uniform positions.
System make_system(std::size_t n) {
  std::mt19937_64 rng(4321 + n);
  const int m = static_cast<int>(std::ceil(std::cbrt(static_cast<double>(n))));
  const double edge = std::cbrt(static_cast<double>(m) * m * m / kDensity);
  Mat3 h;
  h.m[0][0] = h.m[1][1] = h.m[2][2] = edge;
  h.m[1][0] = 0.1 * edge;
  h.m[2][0] = -0.05 * edge;
  h.m[2][1] = 0.1 * edge;
  std::uniform_real_distribution<double> j(-0.15, 0.15);
  std::vector<Vec3> x;
  std::vector<int> t;
  for (int a = 0; a < m && x.size() < n; ++a)
    for (int b = 0; b < m && x.size() < n; ++b)
      for (int c = 0; c < m && x.size() < n; ++c) {
        x.push_back(Vec3{(a + 0.5 + j(rng)) / m, (b + 0.5 + j(rng)) / m, (c + 0.5 + j(rng)) / m} * h);
        t.push_back(static_cast<int>(rng() % 3));
      }
  TypeMap tm;
  tm.names = {"O", "B", "Li"};
  tm.masses = {15.999, 10.81, 6.94};
  return System(Box(h), tm, t, x);
}

void set_terms(PairPotential& pot) {
  for (int a = 0; a < 3; ++a)
    for (int b = a; b < 3; ++b) pot.set_lennard_jones(a, b, 0.01 * (1 + a + b), kSigma, kRcut, true);
}

void run(benchmark::State& state, const ComputeRequest& req) {
  const std::size_t n = static_cast<std::size_t>(state.range(0));
  System s = make_system(n);
  PairPotential pot(3, kSkin);
  set_terms(pot);
  pot.compute(s, req);  // builds the list once, as in a run
  synchronize();
  for (auto _ : state) {
    benchmark::DoNotOptimize(pot.compute(s, req));
    synchronize();
  }
  state.counters["atoms/s"] = benchmark::Counter(static_cast<double>(s.size()), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["neighbors"] = pot.neighbor_list().stats().mean_neighbors;
}

void BM_PairForces(benchmark::State& state) {
  ComputeRequest req;
  req.energy = req.virial = false;
  run(state, req);
}

void BM_PairEnergyVirial(benchmark::State& state) { run(state, ComputeRequest{}); }

}  // namespace

int main(int argc, char** argv) {
  return vitra::bench::run_benchmarks(argc, argv, "bench_pair", [] {
    for (long n : {1000L, 10000L, 100000L}) {
      benchmark::RegisterBenchmark("BM_PairForces", BM_PairForces)->Arg(n)->Unit(benchmark::kMillisecond)
          ->UseRealTime()->MinTime(0.2);
      benchmark::RegisterBenchmark("BM_PairEnergyVirial", BM_PairEnergyVirial)->Arg(n)->Unit(benchmark::kMillisecond)
          ->UseRealTime()->MinTime(0.2);
    }
  });
}
