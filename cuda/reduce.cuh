#pragma once
// transform_reduce(n, init, f, op): op-reduction of f(i) over i in [0, n).
// Thrust on the GPU; on the host a fixed-chunk reduction whose result does
// not depend on the number of OpenMP threads (runs are reproducible).
//
// transform_reduce_into(out, n, init, f, op, scratch) writes the same result
// into device memory instead of returning it, so that a time step can feed a
// reduction (kinetic energy -> thermostat) to the next kernel without a
// device->host copy or a synchronisation. CUB's reduction is deterministic
// for a given device and size, which keeps restarts bit-for-bit.
#include <cstddef>
#include <vector>

#include "cuda/backend.hpp"
#include "cuda/check.hpp"
#include "cuda/device_array.hpp"
#include "cuda/hd.hpp"
#if defined(__CUDACC__)
#include <cub/device/device_reduce.cuh>
#include <thrust/execution_policy.h>
#include <thrust/iterator/transform_iterator.h>
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

// Same reduction, result stored at out (memory of the active backend).
// scratch is CUB's temporary storage: it grows on the first call, so a
// caller that keeps it can later capture the call into a CUDA graph.
template <class T, class F, class Op>
void transform_reduce_into(T* out, std::size_t n, T init, F f, Op op,
                           DeviceArray<unsigned char>& scratch) {
  if (active_backend() == Backend::Cuda) {
#if defined(__CUDACC__)
    if (n == 0) {
      VITRA_CUDA_CHECK(cudaMemcpyAsync(out, &init, sizeof(T), cudaMemcpyHostToDevice, stream()));
      VITRA_CUDA_CHECK(cudaStreamSynchronize(stream()));  // init lives on this stack frame
      return;
    }
    const auto in = thrust::make_transform_iterator(thrust::counting_iterator<std::size_t>(0), f);
    std::size_t bytes = 0;
    VITRA_CUDA_CHECK(cub::DeviceReduce::Reduce(nullptr, bytes, in, out, n, op, init, stream()));
    if (scratch.size() < bytes) scratch = DeviceArray<unsigned char>(bytes);
    VITRA_CUDA_CHECK(cub::DeviceReduce::Reduce(scratch.data(), bytes, in, out, n, op, init, stream()));
    return;
#else
    throw DeviceError("transform_reduce_into on the CUDA backend from code not compiled by nvcc");
#endif
  }
  *out = transform_reduce(n, init, f, op);
}

}  // namespace vitra
