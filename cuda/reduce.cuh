#pragma once
// transform_reduce(n, init, f, op): op-reduction of f(i) over i in [0, n).
// Thrust on the GPU; on the host a fixed-chunk reduction whose result does
// not depend on the number of OpenMP threads (runs are reproducible).
#include <cstddef>
#include <vector>

#include "cuda/backend.hpp"
#include "cuda/check.hpp"
#include "cuda/hd.hpp"
#if defined(__CUDACC__)
#include <thrust/execution_policy.h>
#include <thrust/iterator/counting_iterator.h>
#include <thrust/transform_reduce.h>

#include "cuda/stream.hpp"
#endif

namespace vitra {

struct Plus {
  template <class T>
  VITRA_HD T operator()(const T& a, const T& b) const { return a + b; }
};
struct Max {
  template <class T>
  VITRA_HD T operator()(const T& a, const T& b) const { return a < b ? b : a; }
};
struct Min {
  template <class T>
  VITRA_HD T operator()(const T& a, const T& b) const { return b < a ? b : a; }
};

template <class T, class F, class Op>
T transform_reduce(std::size_t n, T init, F f, Op op) {
  if (n == 0) return init;
  if (active_backend() == Backend::Cuda) {
#if defined(__CUDACC__)
    const thrust::counting_iterator<std::size_t> first(0);
    const T r = thrust::transform_reduce(thrust::cuda::par.on(stream()), first, first + n, f, init, op);
    VITRA_CUDA_CHECK(cudaGetLastError());
    return r;
#else
    throw DeviceError("transform_reduce on the CUDA backend from code not compiled by nvcc");
#endif
  }
  constexpr std::size_t chunk = 4096;
  const std::size_t nchunks = (n + chunk - 1) / chunk;
  std::vector<T> partial(nchunks, init);
  const long long nc = static_cast<long long>(nchunks);
#pragma omp parallel for schedule(static)
  for (long long c = 0; c < nc; ++c) {
    const std::size_t begin = static_cast<std::size_t>(c) * chunk;
    const std::size_t end = begin + chunk < n ? begin + chunk : n;
    T acc = f(begin);
    for (std::size_t i = begin + 1; i < end; ++i) acc = op(acc, f(i));
    partial[c] = acc;
  }
  T total = init;
  for (const T& p : partial) total = op(total, p);
  return total;
}

}  // namespace vitra
