#pragma once
// The main() every vitra benchmark shares: picks the backend from
// `--backend cuda|cpu|auto` (or VITRA_BENCH_DEVICE), records it and the
// device in the benchmark context, lets the benchmark register its cases for
// that backend, then hands the remaining flags to Google Benchmark.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <cstring>
#include <exception>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include "cuda/backend.hpp"

namespace vitra::bench {

inline int run_benchmarks(int argc, char** argv, const char* name, const std::function<void()>& register_cases) {
  std::string device = std::getenv("VITRA_BENCH_DEVICE") ? std::getenv("VITRA_BENCH_DEVICE") : "auto";
  std::vector<char*> args;
  for (int i = 0; i < argc; ++i) {
    if (std::strcmp(argv[i], "--backend") == 0 && i + 1 < argc) {
      device = argv[++i];
    } else if (std::strncmp(argv[i], "--backend=", 10) == 0) {
      device = argv[i] + 10;
    } else {
      args.push_back(argv[i]);
    }
  }
  try {
    select_backend(device);
  } catch (const std::exception& e) {
    std::cerr << name << ": " << e.what() << "\n";
    return 2;
  }
  benchmark::AddCustomContext("vitra_backend", backend_name(active_backend()));
  benchmark::AddCustomContext("vitra_device", device_info().name);
  register_cases();
  int nargs = static_cast<int>(args.size());
  args.push_back(nullptr);
  benchmark::Initialize(&nargs, args.data());
  if (benchmark::ReportUnrecognizedArguments(nargs, args.data())) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

}  // namespace vitra::bench
