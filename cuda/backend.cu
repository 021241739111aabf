#include "cuda/backend.hpp"

#include <omp.h>

#include <string>

#include "cuda/check.hpp"
#include "cuda/stream.hpp"

namespace vitra {

namespace {
Backend g_backend = Backend::Cpu;
int g_device = 0;
#if defined(VITRA_WITH_CUDA)
cudaStream_t g_stream = nullptr;
#endif
}  // namespace

void throw_cuda_error(int code, const char* call, const char* file, int line) {
#if defined(VITRA_WITH_CUDA)
  const auto err = static_cast<cudaError_t>(code);
  throw DeviceError(std::string("CUDA error ") + cudaGetErrorName(err) + " (" +
                    cudaGetErrorString(err) + ") in " + call + " at " + file + ":" +
                    std::to_string(line));
#else
  throw DeviceError(std::string("CUDA error ") + std::to_string(code) + " in " + call + " at " +
                    file + ":" + std::to_string(line));
#endif
}

const char* backend_name(Backend b) { return b == Backend::Cuda ? "cuda" : "cpu"; }

bool cuda_compiled() {
#if defined(VITRA_WITH_CUDA)
  return true;
#else
  return false;
#endif
}

std::string cuda_unavailable_reason() {
#if defined(VITRA_WITH_CUDA)
  int n = 0;
  const cudaError_t err = cudaGetDeviceCount(&n);
  if (err != cudaSuccess) {
    cudaGetLastError();  // clear the sticky error so later queries work
    if (err == cudaErrorInsufficientDriver || err == cudaErrorNoDevice)
      return "no NVIDIA GPU with a recent enough driver was found (" +
             std::string(cudaGetErrorString(err)) + ")";
    return std::string("no usable CUDA device (") + cudaGetErrorString(err) + ")";
  }
  if (n == 0) return "no CUDA device present";
  return "";
#else
  return "this build has no CUDA backend (nvcc was not found when it was configured)";
#endif
}

int cuda_device_count() {
#if defined(VITRA_WITH_CUDA)
  int n = 0;
  if (cudaGetDeviceCount(&n) != cudaSuccess) {
    cudaGetLastError();
    return 0;
  }
  return n;
#else
  return 0;
#endif
}

void set_backend(Backend b) {
  if (b == Backend::Cuda) {
#if defined(VITRA_WITH_CUDA)
    const std::string why = cuda_unavailable_reason();
    if (!why.empty()) throw DeviceError("the CUDA backend cannot be used: " + why);
    VITRA_CUDA_CHECK(cudaSetDevice(g_device));
    if (!g_stream) VITRA_CUDA_CHECK(cudaStreamCreateWithFlags(&g_stream, cudaStreamNonBlocking));
#else
    throw DeviceError("the CUDA backend cannot be used: " + cuda_unavailable_reason());
#endif
  }
  g_backend = b;
}

Backend select_backend(const std::string& which, int device_id) {
  g_device = device_id;
  if (which == "cpu") {
    set_backend(Backend::Cpu);
  } else if (which == "cuda" || which == "gpu") {
    set_backend(Backend::Cuda);
  } else if (which == "auto") {
    set_backend(cuda_device_count() > 0 ? Backend::Cuda : Backend::Cpu);
  } else {
    throw DeviceError("unknown device '" + which + "': expected auto, cuda or cpu");
  }
  return g_backend;
}

Backend active_backend() { return g_backend; }

#if defined(VITRA_WITH_CUDA)
cudaStream_t stream() { return g_stream; }
#endif

void synchronize() {
#if defined(VITRA_WITH_CUDA)
  if (g_backend == Backend::Cuda) VITRA_CUDA_CHECK(cudaStreamSynchronize(g_stream));
#endif
}

DeviceInfo device_info() {
  DeviceInfo info;
  info.host_threads = omp_get_max_threads();
#if defined(VITRA_WITH_CUDA)
  if (g_backend == Backend::Cuda) {
    cudaDeviceProp p{};
    VITRA_CUDA_CHECK(cudaGetDeviceProperties(&p, g_device));
    info.name = p.name;
    info.compute_major = p.major;
    info.compute_minor = p.minor;
    info.memory_gib = static_cast<double>(p.totalGlobalMem) / (1024.0 * 1024.0 * 1024.0);
    info.multiprocessors = p.multiProcessorCount;
    return info;
  }
#endif
  info.name = "host CPU (" + std::to_string(info.host_threads) + " OpenMP threads)";
  return info;
}

}  // namespace vitra
