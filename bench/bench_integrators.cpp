// Integrator overhead per step, without the force field: the kicks, drift,
// thermostat chain (kinetic-energy reduction, one-thread chain update,
// scaling) and barostat (two 3×3 reductions, cell remap, velocity scaling)
// that each step adds on top of the potential, for 10^4 .. 10^6 atoms. The
// potential here leaves fixed random forces and costs nothing, so the time
// is the integrator's alone.
//
//   bench_integrators [--backend cuda|cpu|auto] [google-benchmark flags]
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <memory>
#include <random>
#include <vector>

#include "bench/bench_main.hpp"
#include "cuda/backend.hpp"
#include "kernels/integrate/mtk_npt.hpp"
#include "kernels/integrate/nose_hoover_nvt.hpp"
#include "kernels/integrate/velocity_verlet.hpp"
#include "kernels/potential.hpp"
#include "kernels/system.hpp"

namespace {

using namespace vitra;
using namespace vitra::integrate;

// Forces set once and left alone; energy and virial zero.
class FixedForces : public Potential {
 public:
  std::string name() const override { return "fixed-forces"; }
  double cutoff() const override { return 0.0; }
  ComputeResult compute(System&, const ComputeRequest&) override { return {}; }
};

System make_system(std::size_t n) {
  std::mt19937_64 rng(99 + n);
  const double edge = std::cbrt(static_cast<double>(n) / 0.08);
  std::uniform_real_distribution<double> u(0.0, edge);
  std::normal_distribution<double> g(0.0, 5.0);
  std::vector<Vec3> x(n), v(n), f(n);
  for (std::size_t i = 0; i < n; ++i) {
    x[i] = {u(rng), u(rng), u(rng)};
    v[i] = {g(rng), g(rng), g(rng)};
    f[i] = {0.01 * g(rng), 0.01 * g(rng), 0.01 * g(rng)};
  }
  TypeMap tm;
  tm.names = {"O", "B", "Li"};
  tm.masses = {15.999, 10.81, 6.94};
  std::vector<int> t(n);
  for (std::size_t i = 0; i < n; ++i) t[i] = static_cast<int>(rng() % 3);
  System s(Box::orthorhombic(edge, edge, edge), tm, t, x, v);
  std::vector<double> blocked(3 * n);
  for (std::size_t i = 0; i < n; ++i)
    for (int k = 0; k < 3; ++k) blocked[i + k * n] = f[i][k];
  s.forces.copy_from_host(blocked);
  return s;
}

template <class Make>
void run(benchmark::State& state, Make make) {
  System s = make_system(static_cast<std::size_t>(state.range(0)));
  FixedForces pot;
  std::unique_ptr<Integrator> integ = make();
  StepTargets t;
  t.temperature = 300.0;
  integ->setup(s, pot, t, {});
  const ComputeRequest forces_only{false, false};
  for (auto _ : state) {
    integ->step(s, pot, t, forces_only);
    synchronize();
  }
  // (1e-6 · iterations / time)⁻¹ = microseconds per step.
  state.counters["us/step"] = benchmark::Counter(1e-6, benchmark::Counter::kIsIterationInvariantRate |
                                                            benchmark::Counter::kInvert);
  state.counters["atom-steps/s"] =
      benchmark::Counter(static_cast<double>(s.size()), benchmark::Counter::kIsIterationInvariantRate);
}

void BM_StepNve(benchmark::State& state) {
  run(state, [] { return std::make_unique<VelocityVerlet>(0.001); });
}
void BM_StepNvt(benchmark::State& state) {
  run(state, [] { return std::make_unique<NoseHooverNvt>(0.001, NhcSettings{}); });
}
void BM_StepNptIso(benchmark::State& state) {
  run(state, [] { return std::make_unique<MtkNpt>(0.001, NhcSettings{}, BarostatSettings{}); });
}
void BM_StepNptTri(benchmark::State& state) {
  run(state, [] {
    BarostatSettings b;
    b.coupling = Coupling::Tri;
    return std::make_unique<MtkNpt>(0.001, NhcSettings{}, b);
  });
}

}  // namespace

int main(int argc, char** argv) {
  return vitra::bench::run_benchmarks(argc, argv, "bench_integrators", [] {
    for (long n : {10000L, 100000L, 1000000L})
      for (auto [name, fn] : {std::pair{"BM_StepNve", BM_StepNve}, std::pair{"BM_StepNvt", BM_StepNvt},
                              std::pair{"BM_StepNptIso", BM_StepNptIso}, std::pair{"BM_StepNptTri", BM_StepNptTri}})
        benchmark::RegisterBenchmark(name, fn)->Arg(n)->Unit(benchmark::kMicrosecond)->UseRealTime()->MinTime(0.2);
  });
}
