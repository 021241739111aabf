#include "cuda/memory.hpp"

#include <cstdlib>
#include <cstring>
#include <new>

#include "cuda/check.hpp"
#include "cuda/stream.hpp"

namespace vitra::memory {

namespace {
constexpr std::size_t kHostAlignment = 64;  // a cache line; also enough for AVX-512 loads
}

void* allocate(std::size_t bytes, Backend where) {
  if (bytes == 0) return nullptr;
  if (where == Backend::Cuda) {
#if defined(VITRA_WITH_CUDA)
    void* p = nullptr;
    VITRA_CUDA_CHECK(cudaMalloc(&p, bytes));
    return p;
#else
    throw DeviceError("device memory requested in a build without the CUDA backend");
#endif
  }
  const std::size_t rounded = (bytes + kHostAlignment - 1) / kHostAlignment * kHostAlignment;
  void* p = std::aligned_alloc(kHostAlignment, rounded);
  if (!p) throw std::bad_alloc();
  return p;
}

void release(void* ptr, Backend where) noexcept {
  if (!ptr) return;
#if defined(VITRA_WITH_CUDA)
  if (where == Backend::Cuda) {
    cudaFree(ptr);  // errors here cannot be thrown from a destructor
    return;
  }
#endif
  (void)where;
  std::free(ptr);
}

void copy_to(void* dst, Backend where, const void* host_src, std::size_t bytes) {
  if (bytes == 0) return;
#if defined(VITRA_WITH_CUDA)
  if (where == Backend::Cuda) {
    VITRA_CUDA_CHECK(cudaMemcpyAsync(dst, host_src, bytes, cudaMemcpyHostToDevice, stream()));
    VITRA_CUDA_CHECK(cudaStreamSynchronize(stream()));  // host_src may be freed right after
    return;
  }
#endif
  (void)where;
  std::memcpy(dst, host_src, bytes);
}

void copy_from(void* host_dst, const void* src, Backend where, std::size_t bytes) {
  if (bytes == 0) return;
#if defined(VITRA_WITH_CUDA)
  if (where == Backend::Cuda) {
    VITRA_CUDA_CHECK(cudaMemcpyAsync(host_dst, src, bytes, cudaMemcpyDeviceToHost, stream()));
    VITRA_CUDA_CHECK(cudaStreamSynchronize(stream()));
    return;
  }
#endif
  (void)where;
  std::memcpy(host_dst, src, bytes);
}

void copy_within(void* dst, const void* src, std::size_t bytes, Backend where) {
  if (bytes == 0) return;
#if defined(VITRA_WITH_CUDA)
  if (where == Backend::Cuda) {
    VITRA_CUDA_CHECK(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToDevice, stream()));
    return;
  }
#endif
  (void)where;
  std::memcpy(dst, src, bytes);
}

void zero(void* ptr, std::size_t bytes, Backend where) {
  if (bytes == 0) return;
#if defined(VITRA_WITH_CUDA)
  if (where == Backend::Cuda) {
    VITRA_CUDA_CHECK(cudaMemsetAsync(ptr, 0, bytes, stream()));
    return;
  }
#endif
  (void)where;
  std::memset(ptr, 0, bytes);
}

}  // namespace vitra::memory
