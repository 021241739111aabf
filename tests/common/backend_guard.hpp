#pragma once
// Test helpers to run a block under a chosen backend.
#include <gtest/gtest.h>

#include "cuda/backend.hpp"

namespace vitra::test {

// Switches the active backend for the lifetime of the guard.
class BackendGuard {
 public:
  explicit BackendGuard(Backend b) : saved_(active_backend()) { set_backend(b); }
  ~BackendGuard() { set_backend(saved_); }
  BackendGuard(const BackendGuard&) = delete;
  BackendGuard& operator=(const BackendGuard&) = delete;

 private:
  Backend saved_;
};

}  // namespace vitra::test

// Skips the current test, with the reason, when no CUDA device can be used.
#define VITRA_REQUIRE_CUDA()                                                     \
  do {                                                                           \
    const std::string vitra_why_ = ::vitra::cuda_unavailable_reason();           \
    if (!vitra_why_.empty()) GTEST_SKIP() << "no GPU for this test: " << vitra_why_; \
  } while (0)
