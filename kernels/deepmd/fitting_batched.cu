#include "kernels/deepmd/fitting_batched.hpp"

#include "cuda/blas.hpp"
#include "cuda/for_each.cuh"
#include "cuda/memory.hpp"

namespace vitra::deepmd {

namespace {

// Y (rows × out) holds X·W on entry; adds the bias, applies the activation,
// idt and the shortcut from X (rows × in); stores act'·idt in D.
template <class T>
struct LayerEpilogue {
  LayerDesc L;
  const T* p;
  const T* x;
  T* y;
  T* d;
  VITRA_HD void operator()(std::size_t k) const {
    const std::size_t r = k / L.out;
    const int o = static_cast<int>(k % L.out);
    y[k] = layer_output(L, p, x + r * L.in, o, y[k] + layer_bias(L, p, o), &d[k]);
  }
};

// g ← g ⊙ d (elementwise, rows × out).
template <class T>
struct ScaleBySlope {
  T* g;
  const T* d;
  VITRA_HD void operator()(std::size_t k) const { g[k] *= d[k]; }
};

// gx (rows × in) += shortcut part of gy (rows × out), given gy before scaling.
template <class T>
struct ShortcutGradient {
  LayerDesc L;
  const T* gy;
  T* gx;
  VITRA_HD void operator()(std::size_t k) const {
    const std::size_t r = k / L.in;
    const int i = static_cast<int>(k % L.in);
    const T* row = gy + r * L.out;
    gx[k] += (L.flags & kShortcutSame) ? row[i] : row[i] + row[i + L.in];
  }
};

template <class T>
struct StoreEnergies {
  const T* y;
  const int* order;
  std::size_t first;
  double bias;
  double* atom_e;
  VITRA_HD void operator()(std::size_t r) const { atom_e[order[first + r]] = static_cast<double>(y[r]) + bias; }
};

struct StoreZeroEnergies {
  const int* order;
  std::size_t first;
  double* atom_e;
  VITRA_HD void operator()(std::size_t r) const { atom_e[order[first + r]] = 0.0; }
};

template <class T>
struct Fill {
  T* a;
  T v;
  VITRA_HD void operator()(std::size_t k) const { a[k] = v; }
};

}  // namespace

template <class T>
void FittingBatchBuffers<T>::ensure(std::size_t n, const NetScratch& s) {
  if (n <= rows && !ys.empty() && ys.backend() == active_backend()) return;
  rows = n;
  ys.resize(n * s.sum_out);
  dz.resize(n * s.sum_out);
  g0.resize(n * s.widest);
  g1.resize(n * s.widest);
}

template <class T>
void fitting_batched(const DeviceSeE2a<T>& model, int t, const int* order, std::size_t a0, std::size_t r0,
                     std::size_t rows, const T* desc, T* ddesc, double* atom_e, FittingBatchBuffers<T>& buf) {
  if (rows == 0) return;
  const SeE2aModel& m = model.model();
  const std::size_t nd = static_cast<std::size_t>(m.descriptor_size());
  const T* x0 = desc + r0 * nd;
  T* dx0 = ddesc + r0 * nd;
  if (m.atom_excluded(t)) {
    memory::zero(dx0, rows * nd * sizeof(T), active_backend());
    for_each(rows, StoreZeroEnergies{order, a0 + r0, atom_e});
    return;
  }
  buf.ensure(rows, model.fitting_scratch());
  const NetRef net = model.host_fitting()[t];
  const LayerDesc* layers = model.host_layers().data() + net.first;
  const T* p = model.params();
  const int n = static_cast<int>(rows);

  // Forward, keeping every layer's output and slope.
  const T* x = x0;
  std::size_t off = 0;
  for (int l = 0; l < net.count; ++l) {
    const LayerDesc& L = layers[l];
    T* y = buf.ys.data() + off;
    T* d = buf.dz.data() + off;
    gemm<T>(false, false, n, L.out, L.in, T(1), x, L.in, p + L.w, L.out, T(0), y, L.out);
    for_each(rows * L.out, LayerEpilogue<T>{L, p, x, y, d});
    x = y;
    off += rows * L.out;
  }
  for_each(rows, StoreEnergies<T>{x, order, a0 + r0, m.bias_atom_e[t] + m.out_bias[t], atom_e});

  // Backward from dE/dy_L = 1.
  T* g = buf.g0.data();
  T* other = buf.g1.data();
  for_each(rows, Fill<T>{g, T(1)});
  for (int l = net.count - 1; l >= 0; --l) {
    const LayerDesc& L = layers[l];
    off -= rows * L.out;
    const bool shortcut = (L.flags & (kShortcutSame | kShortcutDouble)) != 0;
    T* gx = l == 0 ? dx0 : other;
    // The shortcut takes dE/dy before the slope scaling: add it after the
    // product, from a copy kept in the spare buffer when needed.
    if (shortcut && l == 0) {
      // gx is the output; the spare buffer is free for the unscaled gradient.
      memory::copy_within(other, g, rows * L.out * sizeof(T), active_backend());
    }
    const T* unscaled = l == 0 ? other : nullptr;
    if (shortcut && l > 0) {
      // gx = other: compute the shortcut into gx first, then accumulate the product.
      memory::zero(gx, rows * L.in * sizeof(T), active_backend());
      for_each(rows * L.in, ShortcutGradient<T>{L, g, gx});
    }
    for_each(rows * L.out, ScaleBySlope<T>{g, buf.dz.data() + off});
    const T beta = (shortcut && l > 0) ? T(1) : T(0);
    gemm<T>(false, true, n, L.in, L.out, T(1), g, L.out, p + L.w, L.out, beta, gx, L.in);
    if (shortcut && l == 0) for_each(rows * L.in, ShortcutGradient<T>{L, unscaled, gx});
    other = g;
    g = gx;
  }
}

template struct FittingBatchBuffers<double>;
template struct FittingBatchBuffers<float>;
template void fitting_batched<double>(const DeviceSeE2a<double>&, int, const int*, std::size_t, std::size_t,
                                      std::size_t, const double*, double*, double*, FittingBatchBuffers<double>&);
template void fitting_batched<float>(const DeviceSeE2a<float>&, int, const int*, std::size_t, std::size_t,
                                     std::size_t, const float*, float*, double*, FittingBatchBuffers<float>&);

}  // namespace vitra::deepmd
