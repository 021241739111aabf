#pragma once
// for_each(n, f): runs the VITRA_HD functor f(i) for i in [0, n), as a CUDA
// kernel when the CUDA backend is active and as an OpenMP loop otherwise.
// Include it only from .cu files: under nvcc both paths are compiled, under a
// plain C++ compiler (CPU-only build) the CUDA path is absent.
#include <cstddef>

#include "cuda/backend.hpp"
#include "cuda/check.hpp"
#include "cuda/hd.hpp"
#if defined(__CUDACC__)
#include "cuda/stream.hpp"
#endif

namespace vitra {

#if defined(__CUDACC__)
namespace detail {
template <class F>
__global__ void for_each_kernel(std::size_t n, F f) {
  const std::size_t i = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i < n) f(i);
}
}  // namespace detail
#endif

constexpr int kForEachBlock = 256;

template <class F>
void for_each(std::size_t n, F f) {
  if (n == 0) return;
  if (active_backend() == Backend::Cuda) {
#if defined(__CUDACC__)
    const unsigned blocks = static_cast<unsigned>((n + kForEachBlock - 1) / kForEachBlock);
    detail::for_each_kernel<<<blocks, kForEachBlock, 0, stream()>>>(n, f);
    VITRA_CUDA_CHECK(cudaGetLastError());
    return;
#else
    throw DeviceError("for_each on the CUDA backend from code not compiled by nvcc");
#endif
  }
  const long long count = static_cast<long long>(n);
#pragma omp parallel for schedule(static)
  for (long long i = 0; i < count; ++i) f(static_cast<std::size_t>(i));
}

}  // namespace vitra
