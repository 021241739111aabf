#pragma once
// Sorts and scans over DeviceArrays: CUB on the GPU, the standard library on
// the host. Both sorts are stable, so both backends give identical orders.
#include <cstdint>

#include "cuda/device_array.hpp"

namespace vitra {

// Sorts (keys, values) by key in place, stably. Only the low `key_bits` bits
// of the keys are compared (fewer bits = fewer radix passes on the GPU).
void sort_pairs(DeviceArray<std::uint32_t>& keys, DeviceArray<int>& values, int key_bits = 32);

// out[i] = sum of in[0..i); returns the total sum. out may alias in.
long long exclusive_scan(const DeviceArray<int>& in, DeviceArray<int>& out);

}  // namespace vitra
