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

// The bias of output o (0 without one): where a pre-activation sum starts.
template <class T>
VITRA_HD T layer_bias(const LayerDesc& L, const T* p, int o) {
  return (L.flags & kHasBias) ? p[L.b + o] : T(0);
}

// Output o of layer L from its pre-activation z = (x·W)[o] + b[o]: the
// activation, idt and the shortcut from the layer's input row x; the slope
// act'(z)·idt goes to *slope. Every path (one row, a tile of slots, a batch
// of atoms) evaluates its layers through this.
template <class T>
VITRA_HD T layer_output(const LayerDesc& L, const T* p, const T* x, int o, T z, T* slope) {
  T v = activate(L.activation, z, slope);
  if (L.flags & kHasIdt) {
    v *= p[L.idt + o];
    *slope *= p[L.idt + o];
  }
  if (L.flags & kShortcutSame) v += x[o];
  if (L.flags & kShortcutDouble) v += x[o % L.in];
  return v;
}

// dE/dx[i] of layer L from gy = dE/dy and d = the slopes of its outputs:
// Σ_o gy[o]·d[o]·W[i][o], plus the shortcut terms of gy.
template <class T>
VITRA_HD T layer_input_gradient(const LayerDesc& L, const T* p, const T* gy, const T* d, int i) {
  const T* wi = p + L.w + static_cast<long long>(i) * L.out;
  T v = T(0);
  for (int o = 0; o < L.out; ++o) v += gy[o] * d[o] * wi[o];
  if (L.flags & kShortcutSame) v += gy[i];
  if (L.flags & kShortcutDouble) v += gy[i] + gy[i + L.in];
  return v;
}

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
      T z = layer_bias(L, p, o);
      for (int k = 0; k < L.in; ++k) z += x[k] * w[static_cast<long long>(k) * L.out + o];
      y[o] = layer_output(L, p, x, o, z, &d[o]);
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
    for (int k = 0; k < L.in; ++k) gx[k] = layer_input_gradient(L, p, g, dz + off, k);
    T* t = g;
    g = gx;
    gx = t;
  }
  return g;
}

}  // namespace vitra::deepmd
