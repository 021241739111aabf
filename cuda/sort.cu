#include "cuda/sort.hpp"

#include <algorithm>
#include <numeric>
#include <vector>

#include "cuda/check.hpp"
#if defined(__CUDACC__)
#include <cub/device/device_radix_sort.cuh>
#include <cub/device/device_scan.cuh>

#include "cuda/stream.hpp"
#endif

namespace vitra {

void sort_pairs(DeviceArray<std::uint32_t>& keys, DeviceArray<int>& values, int key_bits) {
  if (keys.size() != values.size())
    throw std::invalid_argument("sort_pairs: keys and values differ in size");
  const std::size_t n = keys.size();
  if (n < 2) return;
  if (keys.backend() == Backend::Cuda) {
#if defined(__CUDACC__)
    DeviceArray<std::uint32_t> keys_out(n, Backend::Cuda);
    DeviceArray<int> values_out(n, Backend::Cuda);
    std::size_t temp_bytes = 0;
    VITRA_CUDA_CHECK(cub::DeviceRadixSort::SortPairs(nullptr, temp_bytes, keys.data(), keys_out.data(),
                                                     values.data(), values_out.data(), static_cast<int>(n),
                                                     0, key_bits, stream()));
    DeviceArray<unsigned char> temp(temp_bytes, Backend::Cuda);
    VITRA_CUDA_CHECK(cub::DeviceRadixSort::SortPairs(temp.data(), temp_bytes, keys.data(), keys_out.data(),
                                                     values.data(), values_out.data(), static_cast<int>(n),
                                                     0, key_bits, stream()));
    keys = std::move(keys_out);
    values = std::move(values_out);
    return;
#else
    throw DeviceError("sort_pairs on CUDA memory in a build without the CUDA backend");
#endif
  }
  const std::uint32_t mask = key_bits >= 32 ? 0xffffffffu : ((1u << key_bits) - 1u);
  std::uint32_t* k = keys.data();
  int* v = values.data();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return (k[a] & mask) < (k[b] & mask); });
  std::vector<std::uint32_t> ks(n);
  std::vector<int> vs(n);
  for (std::size_t i = 0; i < n; ++i) {
    ks[i] = k[order[i]];
    vs[i] = v[order[i]];
  }
  std::copy(ks.begin(), ks.end(), k);
  std::copy(vs.begin(), vs.end(), v);
}

long long exclusive_scan(const DeviceArray<int>& in, DeviceArray<int>& out) {
  const std::size_t n = in.size();
  if (out.size() != n || out.backend() != in.backend()) out = DeviceArray<int>(n, in.backend());
  if (n == 0) return 0;
  if (in.backend() == Backend::Cuda) {
#if defined(__CUDACC__)
    const int last_in = in.get(n - 1);  // read before out may overwrite it
    std::size_t temp_bytes = 0;
    VITRA_CUDA_CHECK(cub::DeviceScan::ExclusiveSum(nullptr, temp_bytes, in.data(), out.data(),
                                                   static_cast<int>(n), stream()));
    DeviceArray<unsigned char> temp(temp_bytes, Backend::Cuda);
    VITRA_CUDA_CHECK(cub::DeviceScan::ExclusiveSum(temp.data(), temp_bytes, in.data(), out.data(),
                                                   static_cast<int>(n), stream()));
    return static_cast<long long>(out.get(n - 1)) + last_in;
#else
    throw DeviceError("exclusive_scan on CUDA memory in a build without the CUDA backend");
#endif
  }
  const int* a = in.data();
  int* b = out.data();
  long long running = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const int x = a[i];
    b[i] = static_cast<int>(running);
    running += x;
  }
  return running;
}

}  // namespace vitra
