#pragma once
// A fresh random seed per test run: tests draw new inputs every time and
// print the seed (SCOPED_TRACE) so that a failure can be replayed.
#include <cstdint>
#include <random>

namespace vitra::test {

inline std::uint64_t fresh_seed() {
  std::random_device rd;
  return rd() | (std::uint64_t(rd()) << 32);
}

}  // namespace vitra::test
