#include "cuda/blas.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "cuda/backend.hpp"
#include "cuda/check.hpp"
#if defined(__CUDACC__)
#include <cublas_v2.h>

#include "cuda/stream.hpp"
#endif

namespace vitra {

namespace {

#if defined(__CUDACC__)
void check_cublas(cublasStatus_t s, const char* call) {
  if (s != CUBLAS_STATUS_SUCCESS)
    throw DeviceError(std::string("cuBLAS call failed: ") + call + " (status " + std::to_string(static_cast<int>(s)) +
                      ")");
}

// One handle per host thread, bound to vitra's stream. Math mode stays the
// default (no TF32 for float: results must follow IEEE float32).
cublasHandle_t handle() {
  thread_local cublasHandle_t h = nullptr;
  if (!h) check_cublas(cublasCreate(&h), "cublasCreate");
  check_cublas(cublasSetStream(h, stream()), "cublasSetStream");
  return h;
}

// Row-major C = op(A) op(B) is column-major Cᵀ = op(B)ᵀ op(A)ᵀ: the same
// call with the operands swapped.
void device_gemm(bool ta, bool tb, int m, int n, int k, double alpha, const double* a, int lda, const double* b,
                 int ldb, double beta, double* c, int ldc) {
  check_cublas(cublasDgemm(handle(), tb ? CUBLAS_OP_T : CUBLAS_OP_N, ta ? CUBLAS_OP_T : CUBLAS_OP_N, n, m, k,
                           &alpha, b, ldb, a, lda, &beta, c, ldc),
               "cublasDgemm");
}
void device_gemm(bool ta, bool tb, int m, int n, int k, float alpha, const float* a, int lda, const float* b,
                 int ldb, float beta, float* c, int ldc) {
  check_cublas(cublasSgemm(handle(), tb ? CUBLAS_OP_T : CUBLAS_OP_N, ta ? CUBLAS_OP_T : CUBLAS_OP_N, n, m, k,
                           &alpha, b, ldb, a, lda, &beta, c, ldc),
               "cublasSgemm");
}
#endif

}  // namespace

template <class T>
void gemm(bool trans_a, bool trans_b, int m, int n, int k, T alpha, const T* a, int lda, const T* b, int ldb,
          T beta, T* c, int ldc) {
  if (m <= 0 || n <= 0) return;
  if (active_backend() == Backend::Cuda) {
#if defined(__CUDACC__)
    device_gemm(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    return;
#else
    throw DeviceError("gemm on the CUDA backend from code not compiled by nvcc");
#endif
  }
  // Host: one row of C at a time, each element summed over p in order (the
  // same sums as a plain dot product), with the loops ordered so that B is
  // read along its rows (contiguous) rather than with a stride of ldb.
#pragma omp parallel
  {
    std::vector<T> acc(static_cast<std::size_t>(n));
#pragma omp for schedule(static)
    for (int i = 0; i < m; ++i) {
      if (trans_b && !trans_a) {  // rows of A and of B are both contiguous: dot products
        const T* arow = a + static_cast<long long>(i) * lda;
        for (int j = 0; j < n; ++j) {
          const T* brow = b + static_cast<long long>(j) * ldb;
          T sum = T(0);
          for (int p = 0; p < k; ++p) sum += arow[p] * brow[p];
          acc[j] = sum;
        }
      } else {
        std::fill(acc.begin(), acc.end(), T(0));
        for (int p = 0; p < k; ++p) {
          const T av = trans_a ? a[static_cast<long long>(p) * lda + i] : a[static_cast<long long>(i) * lda + p];
          if (trans_b) {
            for (int j = 0; j < n; ++j) acc[j] += av * b[static_cast<long long>(j) * ldb + p];
          } else {
            const T* brow = b + static_cast<long long>(p) * ldb;
            for (int j = 0; j < n; ++j) acc[j] += av * brow[j];
          }
        }
      }
      T* crow = c + static_cast<long long>(i) * ldc;
      for (int j = 0; j < n; ++j) crow[j] = alpha * acc[j] + (beta == T(0) ? T(0) : beta * crow[j]);
    }
  }
}

template void gemm<double>(bool, bool, int, int, int, double, const double*, int, const double*, int, double,
                           double*, int);
template void gemm<float>(bool, bool, int, int, int, float, const float*, int, const float*, int, float, float*,
                          int);

}  // namespace vitra
