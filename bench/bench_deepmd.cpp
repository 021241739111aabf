// se_e2_a inference throughput (DeepPotential) for the reference
// hyperparameters (bench/deepmd_reference.hpp: O/B/Li/Si, rcut 6 Å, sel
// [72, 48, 32, 12], embedding [25, 50, 100], axis_neuron 16, fitting
// [240, 240, 240]) on random LB67 glasses at 2.22 g/cm³ of 10³, 10⁴ and 10⁵
// atoms, in float64 and float32:
//
//   DeepMD/<precision>/forces/<N>         compute() with forces only: the MD
//                                         step's cost (rebuild check and
//                                         sel-sorted list included)
//   DeepMD/<precision>/energy_virial/<N>  compute() with energy and virial
//   DeepMD/<precision>/network/<N>        compute_on_list() on a list built
//                                         beforehand: the network passes only
//   DeepMD/sel_list/<N>                   what compute() does before them:
//                                         rebuild check + sel-sorted list
//
// Counters: atoms; atom_evals_per_s; ns_per_day (steps/s at 1 fs);
// flops_per_atom (bench/deepmd_flops.hpp: the work of the path that ran,
// fused or generic), flops_per_atom_min (no padding slots through the net,
// no recompute) and flops_per_atom_deepmd_kit (padding, no recompute: what
// DeePMD-kit's autograd does), gflops (= flops_per_atom × atom_evals_per_s);
// fused (1: the fused descriptor blocks + fitting GEMMs ran, 0: the generic
// passes); neighbors (mean occupied slots) and nnei; chunk_atoms (atoms per
// pass);
// peak_bytes_per_atom: memory the potential holds on the backend after a
// warm-up evaluation (neighbor lists, per-chunk buffers, outputs, weights)
// per atom, from cudaMemGetInfo on the GPU and from glibc's mallinfo2 (heap
// bytes in use) on the CPU backend, where it also counts the host copy of the
// model that DeviceSeE2a keeps. Scratch allocated and freed inside an
// evaluation (CUB temporaries) is not seen: it is the resident footprint. The
// weights (model_bytes, in the model's precision; twice that on the CPU with
// the float64 host copy) are a fixed cost: about a third of the figure at
// 10³ atoms in float64 on the CPU, little at 10⁵.
//
//   bench_deepmd [--backend cuda|cpu|auto] [google-benchmark flags]
//   bench_deepmd --export DIR [--export-sizes 1000,10000,100000]
//
// Sizes: all three on the GPU; 10³ only on the CPU backend unless
// VITRA_BENCH_LARGE=1 (on two cores, 10³ atoms take ~1.3 s per evaluation,
// 10⁴ ~13 s, 10⁵ ~2 min). VITRA_BENCH_DEEPMD_SIZES=1000,10000 picks sizes explicitly.
// VITRA_BENCH_DEEPMD_MODEL=FILE times a model file (.yaml/.dp/.vdp) instead
// of the random reference model (its type map must hold O, B and Li);
// VITRA_BENCH_DEEPMD_BUDGET_GIB sets DeepPotential's per-chunk memory budget
// (default 1 GiB); VITRA_BENCH_DEEPMD_KERNELS=auto|generic|fused the path
// (default auto: the fused path on both backends).
//
// --export writes what a peer engine needs to evaluate the same thing
// (bench/compare_deepmd.py): se_e2_a_float64.yaml and se_e2_a_float32.yaml
// (DeePMD-kit's dpmodel YAML), lb67_<N>.extxyz per size, and manifest.json
// (files, atom counts, neighbor statistics, FLOPs per atom), then exits.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#if defined(__GLIBC__)
#include <malloc.h>
#endif
#if defined(VITRA_WITH_CUDA)
#include <cuda_runtime_api.h>
#endif

#include "bench/bench_main.hpp"
#include "bench/deepmd_flops.hpp"
#include "bench/deepmd_reference.hpp"
#include "cuda/backend.hpp"
#include "host/io/structure_io.hpp"
#include "host/model/deepmd_model_io.hpp"
#include "host/structure.hpp"
#include "kernels/deepmd/deep_potential.hpp"
#include "kernels/neighbor/neighbor_list.hpp"
#include "kernels/system.hpp"

namespace {

using namespace vitra;
using deepmd::Precision;

const char* precision_name(Precision p) { return p == Precision::Float32 ? "float32" : "float64"; }

std::vector<long> parse_sizes(const std::string& text) {
  std::vector<long> sizes;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (item.empty()) continue;
    char* end = nullptr;
    const long n = std::strtol(item.c_str(), &end, 10);
    if (end == item.c_str() || *end != '\0' || n < 10)
      throw std::invalid_argument("bad size '" + item + "' in '" + text + "' (atom counts >= 10, comma-separated)");
    sizes.push_back(n);
  }
  return sizes;
}

// The model of a precision: the reference one, or VITRA_BENCH_DEEPMD_MODEL
// with its precision set.
const deepmd::SeE2aModel& bench_model(Precision p) {
  static std::map<Precision, deepmd::SeE2aModel> cache;
  auto it = cache.find(p);
  if (it != cache.end()) return it->second;
  deepmd::SeE2aModel m;
  if (const char* file = std::getenv("VITRA_BENCH_DEEPMD_MODEL")) {
    m = read_model(file);
    m.precision = p;
  } else {
    m = bench::reference_se_e2_a(p);
  }
  return cache.emplace(p, std::move(m)).first->second;
}

// Structures by target size (host memory; 10⁵ atoms is a few MB).
const Structure& bench_structure(long target) {
  static std::map<long, Structure> cache;
  auto it = cache.find(target);
  if (it == cache.end()) it = cache.emplace(target, bench::lb67_glass(target)).first;
  return it->second;
}

DeepPotentialOptions potential_options() {
  DeepPotentialOptions o;
  o.truncate_sel = true;  // as DeePMD-kit: never stop a benchmark on a crowded atom
  if (const char* b = std::getenv("VITRA_BENCH_DEEPMD_BUDGET_GIB")) o.memory_budget_gib = std::atof(b);
  if (const char* k = std::getenv("VITRA_BENCH_DEEPMD_KERNELS")) {
    const std::string v = k;
    if (v == "generic") o.kernels = DeepKernels::Generic;
    else if (v == "fused") o.kernels = DeepKernels::Fused;
    else if (v == "auto") o.kernels = DeepKernels::Auto;
    else throw std::invalid_argument("VITRA_BENCH_DEEPMD_KERNELS=" + v + ": expected auto, generic or fused");
  }
  return o;
}

// Whether DeepPotential runs the fused path with these options (everything
// but Generic: see DeepKernels).
bool fused_path(const DeepPotentialOptions& o) { return o.kernels != DeepKernels::Generic; }

NeighborParams list_params(const deepmd::SeE2aModel& m, const DeepPotentialOptions& o) {
  NeighborParams p;
  p.rcut = m.rcut;
  p.skin = o.skin;
  p.sel = m.sel;
  p.truncate_sel = true;
  return p;
}

// Bytes in use on the active backend (device memory on the GPU, the heap on
// the CPU backend); 0 where it cannot be read.
std::size_t bytes_in_use() {
  synchronize();
  if (active_backend() == Backend::Cuda) {
#if defined(VITRA_WITH_CUDA)
    std::size_t free_b = 0, total_b = 0;
    if (cudaMemGetInfo(&free_b, &total_b) == cudaSuccess) return total_b - free_b;
#endif
    return 0;
  }
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
  const struct mallinfo2 mi = mallinfo2();
  return mi.uordblks + mi.hblkhd;
#else
  return 0;
#endif
}

// Occupied slots: per neighbor type, mean over atoms of min(count, sel[t]),
// and the share of atoms of each model type. The System's types follow the
// model's type map (to_system(structure, model.type_map)).
struct NeighborCensus {
  std::vector<double> real_per_type;
  std::vector<double> centre_fraction;
  double real = 0;
  long long overflow_atoms = 0;
};

NeighborCensus census(const System& s, const NeighborList& nl, const deepmd::SeE2aModel& m) {
  const int nt = m.ntypes();
  const std::vector<int> counts = nl.host_type_counts(s);
  const std::vector<int> types = s.host_types();
  const std::size_t n = s.size();
  NeighborCensus c;
  c.real_per_type.assign(nt, 0.0);
  c.centre_fraction.assign(nt, 0.0);
  const int ns = static_cast<int>(counts.size() / std::max<std::size_t>(n, 1));
  for (std::size_t i = 0; i < n; ++i) {
    bool over = false;
    for (int t = 0; t < std::min(nt, ns); ++t) {
      const int k = counts[i * ns + t];
      c.real_per_type[t] += std::min(k, m.sel[t]);
      over = over || k > m.sel[t];
    }
    if (types[i] < nt) c.centre_fraction[types[i]] += 1.0;
    c.overflow_atoms += over;
  }
  for (int t = 0; t < nt; ++t) {
    c.real_per_type[t] /= static_cast<double>(n);
    c.centre_fraction[t] /= static_cast<double>(n);
    c.real += c.real_per_type[t];
  }
  return c;
}

enum class Mode { Forces, EnergyVirial, Network };

void set_counters(benchmark::State& state, std::size_t n, const deepmd::SeE2aModel& m, const NeighborCensus& c,
                  std::size_t bytes) {
  const bench::SeE2aFlops f = bench::se_e2_a_flops(m, c.real_per_type, c.centre_fraction);
  const double dn = static_cast<double>(n);
  using benchmark::Counter;
  state.counters["atoms"] = dn;
  state.counters["atom_evals_per_s"] = Counter(dn, Counter::kIsIterationInvariantRate);
  state.counters["ns_per_day"] = Counter(1e-6 * 86400.0, Counter::kIsIterationInvariantRate);  // 1 fs steps
  const bool fused = fused_path(potential_options());
  const double flops = fused ? f.vitra_fused() : f.vitra_generic();
  state.counters["fused"] = fused ? 1 : 0;
  state.counters["flops_per_atom"] = flops;
  state.counters["flops_per_atom_min"] = f.minimal();
  state.counters["flops_per_atom_deepmd_kit"] = f.deepmd_kit();
  state.counters["gflops"] = Counter(dn * flops * 1e-9, Counter::kIsIterationInvariantRate);
  state.counters["peak_bytes_per_atom"] = static_cast<double>(bytes) / dn;
  state.counters["neighbors"] = c.real;
  state.counters["nnei"] = m.nnei();
  if (c.overflow_atoms > 0) state.counters["sel_overflow_atoms"] = static_cast<double>(c.overflow_atoms);
}

// One benchmark's potential, system and lists, kept across its repetitions
// (the warm-up evaluation is as long as a timed one); one at a time.
struct Setup {
  Precision precision = Precision::Float64;
  Mode mode = Mode::Forces;
  long target = 0;
  std::unique_ptr<System> s;
  std::unique_ptr<DeepPotential> pot;
  std::unique_ptr<NeighborList> own;  // Mode::Network: a list built once, outside the loop
  NeighborCensus census;
  std::size_t bytes = 0;
};

Setup& setup_for(Precision precision, Mode mode, long target, const ComputeRequest& req) {
  static std::unique_ptr<Setup> cur;
  if (cur && cur->precision == precision && cur->mode == mode && cur->target == target) return *cur;
  cur.reset();
  auto su = std::make_unique<Setup>();
  su->precision = precision;
  su->mode = mode;
  su->target = target;
  const deepmd::SeE2aModel& model = bench_model(precision);
  su->s = std::make_unique<System>(to_system(bench_structure(target), model.type_map));
  System& s = *su->s;
  const DeepPotentialOptions opt = potential_options();
  su->pot = std::make_unique<DeepPotential>(model, opt);
  // From here: what the potential holds on the backend (the host copy of the
  // model the DeepPotential keeps is not counted).
  const std::size_t before = bytes_in_use();
  if (mode == Mode::Network) {
    su->own = std::make_unique<NeighborList>(list_params(model, opt));
    su->own->build(s);
    su->own->build_sel(s, su->pot->model_types(s).data(), model.ntypes());
    su->pot->compute_on_list(s, *su->own, req, s.forces.data());
  } else {
    su->pot->compute(s, req);  // builds the lists and sizes the buffers, as the first step of a run
  }
  const std::size_t after = bytes_in_use();
  su->bytes = after > before ? after - before : 0;
  su->census = census(s, su->own ? *su->own : su->pot->neighbor_list(), model);
  cur = std::move(su);
  return *cur;
}

void run_deepmd(benchmark::State& state, Precision precision, Mode mode) {
  ComputeRequest req;
  req.energy = req.virial = mode == Mode::EnergyVirial;
  Setup& su = setup_for(precision, mode, state.range(0), req);
  System& s = *su.s;
  DeepPotential& pot = *su.pot;
  for (auto _ : state) {
    if (mode == Mode::Network) benchmark::DoNotOptimize(pot.compute_on_list(s, *su.own, req, s.forces.data()));
    else benchmark::DoNotOptimize(pot.compute(s, req));
    synchronize();
  }
  const deepmd::SeE2aModel& model = pot.model();
  set_counters(state, s.size(), model, su.census, su.bytes);
  state.counters["chunk_atoms"] = static_cast<double>(pot.chunk_atoms());
  state.counters["model_bytes"] = static_cast<double>(model.parameter_count()) *
                                  (precision == Precision::Float32 ? sizeof(float) : sizeof(double));
}

void BM_DeepMD(benchmark::State& state, Precision precision, Mode mode) {
  try {
    run_deepmd(state, precision, mode);
  } catch (const std::exception& e) {  // a model file that cannot be read, a structure it cannot evaluate
    state.SkipWithError(e.what());
  }
}

void BM_DeepMDSelList(benchmark::State& state) {
  const deepmd::SeE2aModel& model = bench_model(Precision::Float64);
  System s = to_system(bench_structure(state.range(0)), model.type_map);
  const DeepPotentialOptions opt = potential_options();
  DeepPotential pot(model, opt);
  const int* types = pot.model_types(s).data();
  NeighborList nl(list_params(model, opt));
  nl.update(s);
  nl.build_sel(s, types, model.ntypes());
  synchronize();
  for (auto _ : state) {
    nl.update(s);  // the rebuild check (no rebuild: nothing moves)
    nl.build_sel(s, types, model.ntypes());
    synchronize();
  }
  using benchmark::Counter;
  state.counters["atoms"] = static_cast<double>(s.size());
  state.counters["atom_evals_per_s"] = Counter(static_cast<double>(s.size()), Counter::kIsIterationInvariantRate);
  state.counters["nnei"] = model.nnei();
}

std::vector<long> default_sizes() {
  if (const char* e = std::getenv("VITRA_BENCH_DEEPMD_SIZES")) return parse_sizes(e);
  if (active_backend() == Backend::Cuda || std::getenv("VITRA_BENCH_LARGE") != nullptr) return {1000, 10000, 100000};
  return {1000};
}

void register_cases() {
  for (long n : default_sizes()) {
    for (Precision p : {Precision::Float64, Precision::Float32}) {
      const std::string base = std::string("DeepMD/") + precision_name(p);
      const struct {
        const char* name;
        Mode mode;
      } cases[] = {{"/forces", Mode::Forces}, {"/energy_virial", Mode::EnergyVirial}, {"/network", Mode::Network}};
      for (const auto& c : cases)
        benchmark::RegisterBenchmark((base + c.name).c_str(), BM_DeepMD, p, c.mode)
            ->Arg(n)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(0.3);
    }
    benchmark::RegisterBenchmark("DeepMD/sel_list", BM_DeepMDSelList)->Arg(n)->Unit(benchmark::kMillisecond)
        ->UseRealTime()->MinTime(0.2);
  }
}

// --export DIR: models, structures and a manifest for bench/compare_deepmd.py.
int export_inputs(const std::string& dir, const std::vector<long>& sizes, const std::string& device) {
  select_backend(device);
  namespace fs = std::filesystem;
  fs::create_directories(dir);
  nlohmann::ordered_json man;
  man["generator"] = "bench_deepmd --export";
  man["composition"] = bench::kLb67Composition;
  man["density_g_cm3"] = bench::kLb67Density;
  const deepmd::SeE2aModel& m64 = bench_model(Precision::Float64);
  man["type_map"] = m64.type_map;
  man["rcut"] = m64.rcut;
  man["rcut_smth"] = m64.rcut_smth;
  man["sel"] = m64.sel;
  man["nnei"] = m64.nnei();
  man["neuron"] = m64.neuron;
  man["axis_neuron"] = m64.axis_neuron;
  man["model_source"] = std::getenv("VITRA_BENCH_DEEPMD_MODEL") ? std::getenv("VITRA_BENCH_DEEPMD_MODEL")
                                                                 : "bench/deepmd_reference.hpp (random weights)";
  for (Precision p : {Precision::Float64, Precision::Float32}) {
    const std::string file = std::string("se_e2_a_") + precision_name(p) + ".yaml";
    write_model((fs::path(dir) / file).string(), bench_model(p));
    man["models"][precision_name(p)] = file;
  }
  for (long target : sizes) {
    const Structure& st = bench_structure(target);
    const std::string file = "lb67_" + std::to_string(target) + ".extxyz";
    write_structure((fs::path(dir) / file).string(), st);
    System s = to_system(st, m64.type_map);
    NeighborList nl(list_params(m64, potential_options()));
    nl.build(s);
    const NeighborCensus c = census(s, nl, m64);
    const bench::SeE2aFlops f = bench::se_e2_a_flops(m64, c.real_per_type, c.centre_fraction);
    nlohmann::ordered_json e;
    e["target"] = target;
    e["atoms"] = s.size();
    e["file"] = file;
    e["cell_edge"] = st.cell.m[0][0];
    e["neighbors"] = c.real;
    e["neighbors_per_type"] = c.real_per_type;
    e["sel_overflow_atoms"] = c.overflow_atoms;
    e["flops_per_atom_vitra_generic"] = f.vitra_generic();
    e["flops_per_atom_vitra_fused"] = f.vitra_fused();
    e["flops_per_atom_deepmd_kit"] = f.deepmd_kit();
    e["flops_per_atom_min"] = f.minimal();
    man["structures"].push_back(e);
    std::cout << "bench_deepmd: " << file << ": " << s.size() << " atoms, " << c.real
              << " neighbors within rcut per atom (nnei " << m64.nnei() << ")\n";
  }
  std::ofstream(fs::path(dir) / "manifest.json") << man.dump(2) << "\n";
  std::cout << "bench_deepmd: wrote the models, structures and manifest.json to " << dir << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // Our own flags first; the rest goes to run_benchmarks / Google Benchmark.
  std::string export_dir;
  std::vector<long> export_sizes = {1000, 10000, 100000};
  std::string device = std::getenv("VITRA_BENCH_DEVICE") ? std::getenv("VITRA_BENCH_DEVICE") : "auto";
  std::vector<char*> rest;
  try {
    for (int i = 0; i < argc; ++i) {
      const std::string a = argv[i];
      if (a == "--export" && i + 1 < argc) export_dir = argv[++i];
      else if (a.rfind("--export=", 0) == 0) export_dir = a.substr(9);
      else if (a == "--export-sizes" && i + 1 < argc) export_sizes = parse_sizes(argv[++i]);
      else if (a.rfind("--export-sizes=", 0) == 0) export_sizes = parse_sizes(a.substr(15));
      else {
        if (a == "--backend" && i + 1 < argc) device = argv[i + 1];
        else if (a.rfind("--backend=", 0) == 0) device = a.substr(10);
        rest.push_back(argv[i]);
      }
    }
    if (!export_dir.empty()) return export_inputs(export_dir, export_sizes, device);
    if (const char* e = std::getenv("VITRA_BENCH_DEEPMD_SIZES")) parse_sizes(e);  // checked here, used later
    potential_options();                                                          // likewise
  } catch (const std::exception& e) {
    std::cerr << "bench_deepmd: " << e.what() << "\n";
    return 2;
  }
  return vitra::bench::run_benchmarks(static_cast<int>(rest.size()), rest.data(), "bench_deepmd", register_cases);
}
