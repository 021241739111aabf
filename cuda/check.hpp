#pragma once
// Error checking for CUDA runtime calls. Every call goes through
// VITRA_CUDA_CHECK, which throws with the call's text, file and line.
#include <stdexcept>
#include <string>

namespace vitra {

// Thrown for failures of the device runtime (CUDA calls, missing backend).
class DeviceError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

[[noreturn]] void throw_cuda_error(int code, const char* call, const char* file, int line);

}  // namespace vitra

#if defined(VITRA_WITH_CUDA)
#include <cuda_runtime_api.h>
#define VITRA_CUDA_CHECK(call)                                                        \
  do {                                                                                \
    const cudaError_t vitra_err_ = (call);                                            \
    if (vitra_err_ != cudaSuccess)                                                    \
      ::vitra::throw_cuda_error(static_cast<int>(vitra_err_), #call, __FILE__, __LINE__); \
  } while (0)
#endif
