#pragma once
// Untyped allocation and copies in the memory of a backend. DeviceArray is
// the typed, owning interface; these are its building blocks.
#include <cstddef>

#include "cuda/backend.hpp"

namespace vitra::memory {

void* allocate(std::size_t bytes, Backend where);
void release(void* ptr, Backend where) noexcept;
// Copies between host memory and memory of `where` (host<->host on the CPU backend).
void copy_to(void* dst, Backend where, const void* host_src, std::size_t bytes);
void copy_from(void* host_dst, const void* src, Backend where, std::size_t bytes);
// Copies inside the memory of one backend.
void copy_within(void* dst, const void* src, std::size_t bytes, Backend where);
void zero(void* ptr, std::size_t bytes, Backend where);

}  // namespace vitra::memory
