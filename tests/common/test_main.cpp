// GoogleTest entry point shared by all suites. The backend comes from
// VITRA_TEST_DEVICE (cpu by default, so CPU suites never touch a GPU); GPU
// suites switch to CUDA themselves through RequireCuda().
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "cuda/backend.hpp"

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  const char* dev = std::getenv("VITRA_TEST_DEVICE");
  vitra::select_backend(dev ? dev : "cpu");
  return RUN_ALL_TESTS();
}
