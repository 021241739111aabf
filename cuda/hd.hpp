#pragma once
// VITRA_HD marks per-element math that both backends run: __host__ __device__
// under nvcc, a plain inline function under a C++ compiler. The CPU backend
// therefore executes the very lines the GPU runs.
#if defined(__CUDACC__)
#define VITRA_HD __host__ __device__ inline
#define VITRA_HD_LAMBDA __host__ __device__
#else
#define VITRA_HD inline
#define VITRA_HD_LAMBDA
#endif
