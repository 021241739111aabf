#pragma once
// Dense matrix products for the network layers: cuBLAS on the GPU, an OpenMP
// loop on the host. Row-major storage throughout (as the models store their
// weights): C[m×n] = alpha · op(A) · op(B) + beta · C, op(X) = X or Xᵀ,
// with leading dimensions counted in elements of a row.
namespace vitra {

template <class T>
void gemm(bool trans_a, bool trans_b, int m, int n, int k, T alpha, const T* a, int lda, const T* b, int ldb,
          T beta, T* c, int ldc);

extern template void gemm<double>(bool, bool, int, int, int, double, const double*, int, const double*, int,
                                  double, double*, int);
extern template void gemm<float>(bool, bool, int, int, int, float, const float*, int, const float*, int, float,
                                 float*, int);

}  // namespace vitra
