#pragma once
// Which backend runs the numerics: CUDA on a GPU, or OpenMP host threads.
// The choice is made once at start-up (`--device auto|cuda|cpu`); memory
// allocated afterwards lives where the chosen backend computes.
#include <string>

namespace vitra {

enum class Backend { Cpu, Cuda };

const char* backend_name(Backend b);

// True when this build contains the CUDA backend (nvcc was found).
bool cuda_compiled();
// Number of usable CUDA devices (0 without the CUDA backend or without a GPU).
int cuda_device_count();

// Selects the backend from "auto", "cuda" or "cpu". "auto" takes CUDA when a
// device is present. Asking for "cuda" where none exists throws DeviceError
// saying why (not compiled in, no device, driver error).
Backend select_backend(const std::string& which, int device_id = 0);
void set_backend(Backend b);
Backend active_backend();

struct DeviceInfo {
  std::string name;           // "NVIDIA H100 80GB HBM3" or the CPU's description
  int compute_major = 0;      // CUDA compute capability
  int compute_minor = 0;
  double memory_gib = 0.0;    // device memory
  int multiprocessors = 0;
  int host_threads = 0;       // OpenMP threads of the CPU backend
};
DeviceInfo device_info();

// Why the CUDA backend is unavailable, or an empty string when it is.
std::string cuda_unavailable_reason();

// Waits for all queued device work (no-op on the CPU backend).
void synchronize();

}  // namespace vitra
