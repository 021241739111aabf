#pragma once
// A fresh random seed per test run: tests draw new inputs every time and
// print the seed (SCOPED_TRACE) so that a failure can be replayed by setting
// VITRA_TEST_SEED to it.
#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>

namespace vitra::test {

inline std::uint64_t fresh_seed() {
  if (const char* fixed = std::getenv("VITRA_TEST_SEED")) return std::stoull(fixed);
  std::random_device rd;
  return rd() | (std::uint64_t(rd()) << 32);
}

}  // namespace vitra::test
