#pragma once
// Forward and backward passes of one DeePMD-kit dense network for one input
// row, run by one thread (the generic path both backends share; the fast
// CUDA kernels are checked against it).
//
// A network is `count` consecutive LayerDesc entries; their weights live in
// one flat parameter array p of the model's precision T. Layer l maps x (in)
// to y (out):  z = x·W + b,  y = act(z) ⊙ idt  (+ x if out == in, + (x, x) if
// out == 2·in, when the layer has a shortcut).
#include "cuda/hd.hpp"
#include "kernels/deepmd/activation.hpp"

namespace vitra::deepmd {

enum LayerFlags : int {
  kHasBias = 1,
  kHasIdt = 2,
  kShortcutSame = 4,    // y += x
  kShortcutDouble = 8,  // y += (x, x)
};

struct LayerDesc {
  int in = 0;
  int out = 0;
  int flags = 0;
  Activation activation = Activation::Tanh;
  long long w = 0;    // offset of W (in × out, row-major) in the parameter array
  long long b = 0;    // offset of b (out), when kHasBias
  long long idt = 0;  // offset of idt (out), when kHasIdt
};

// A network: layers [first, first + count) of the model's layer table.
struct NetRef {
  int first = 0;
  int count = 0;  // 0: no network (an excluded type pair)
};

// Forward pass. x0: the input row (layers[0].in values). Writes every
// layer's output y_l and act'(z_l)·idt_l, concatenated layer after layer,
// into ys and dz (each Σ_l out_l long). Returns a pointer to the last output.
template <class T>
VITRA_HD const T* net_forward(const LayerDesc* layers, int count, const T* p, const T* x0, T* ys,
                              T* dz) {
  const T* x = x0;
  T* y = ys;
  T* d = dz;
  for (int l = 0; l < count; ++l) {
    const LayerDesc L = layers[l];
    const T* w = p + L.w;
    for (int o = 0; o < L.out; ++o) {
      T z = (L.flags & kHasBias) ? p[L.b + o] : T(0);
      for (int k = 0; k < L.in; ++k) z += x[k] * w[static_cast<long long>(k) * L.out + o];
      T slope;
      T v = activate(L.activation, z, &slope);
      if (L.flags & kHasIdt) {
        v *= p[L.idt + o];
        slope *= p[L.idt + o];
      }
      if (L.flags & kShortcutSame) v += x[o];
      if (L.flags & kShortcutDouble) v += x[o % L.in];
      y[o] = v;
      d[o] = slope;
    }
    x = y;
    y += L.out;
    d += L.out;
  }
  return x;
}

// Backward pass after net_forward: dz is what it wrote (the weights and the
// activation slopes are all the gradient needs). gy: dE/dy of the last layer
// (overwritten); g2: scratch as wide as the widest layer. Returns a pointer
// (gy or g2) holding dE/dx0, layers[0].in values.
template <class T>
VITRA_HD T* net_backward(const LayerDesc* layers, int count, const T* p, const T* dz, T* gy, T* g2) {
  long long off = 0;
  for (int l = 0; l < count; ++l) off += layers[l].out;
  T* g = gy;
  T* gx = g2;
  for (int l = count - 1; l >= 0; --l) {
    const LayerDesc L = layers[l];
    off -= L.out;
    const T* d = dz + off;
    const T* w = p + L.w;
    for (int k = 0; k < L.in; ++k) {
      T s = T(0);
      const T* wk = w + static_cast<long long>(k) * L.out;
      for (int o = 0; o < L.out; ++o) s += g[o] * d[o] * wk[o];
      if (L.flags & kShortcutSame) s += g[k];
      if (L.flags & kShortcutDouble) s += g[k] + g[k + L.in];
      gx[k] = s;
    }
    T* t = g;
    g = gx;
    gx = t;
  }
  return g;
}

}  // namespace vitra::deepmd
