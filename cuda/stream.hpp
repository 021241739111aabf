#pragma once
// The stream every vitra kernel and copy is issued on. One stream, created
// when the CUDA backend is selected, so a step's work can later be captured
// into a CUDA graph.
#if defined(VITRA_WITH_CUDA)
#include <cuda_runtime_api.h>
namespace vitra {
cudaStream_t stream();
}
#endif
