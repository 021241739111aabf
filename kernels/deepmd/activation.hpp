#pragma once
// Activation functions of DeePMD-kit networks with their derivatives, in the
// forms of deepmd/dpmodel/utils/network.py (get_activation_fn): the same
// formulas, so that float64 results agree to round-off.
#include <cmath>

#include "cuda/hd.hpp"
#include "kernels/deepmd/se_e2_a_model.hpp"

namespace vitra::deepmd {

// y = act(z); *dy = act'(z).
template <class T>
VITRA_HD T activate(Activation a, T z, T* dy) {
  using std::exp;
  using std::log;
  using std::tanh;
  switch (a) {
    case Activation::Tanh: {
      const T y = tanh(z);
      *dy = T(1) - y * y;
      return y;
    }
    case Activation::Relu:
      *dy = z > T(0) ? T(1) : T(0);
      return z > T(0) ? z : T(0);
    case Activation::Relu6:
      *dy = (z > T(0) && z < T(6)) ? T(1) : T(0);
      return z < T(0) ? T(0) : (z > T(6) ? T(6) : z);
    case Activation::Softplus: {
      // log(1 + e^z), stable: z + log(1 + e^-z) for z > 0.
      const T e = exp(z > T(0) ? -z : z);
      const T sig = z > T(0) ? T(1) / (T(1) + e) : e / (T(1) + e);
      *dy = sig;
      return z > T(0) ? z + log(T(1) + e) : log(T(1) + e);
    }
    case Activation::Sigmoid: {
      const T y = T(1) / (T(1) + exp(-z));
      *dy = y * (T(1) - y);
      return y;
    }
    case Activation::Silu: {
      const T s = T(1) / (T(1) + exp(-z));
      *dy = s + z * s * (T(1) - s);
      return z * s;
    }
    case Activation::Gelu: {
      // 0.5 z (1 + tanh(√(2/π) (z + 0.044715 z³)))
      const T c = T(0.7978845608028654);  // √(2/π)
      const T u = c * (z + T(0.044715) * z * z * z);
      const T t = tanh(u);
      *dy = T(0.5) * (T(1) + t) + T(0.5) * z * (T(1) - t * t) * c * (T(1) + T(3 * 0.044715) * z * z);
      return T(0.5) * z * (T(1) + t);
    }
    case Activation::Linear:
    default:
      *dy = T(1);
      return z;
  }
}

}  // namespace vitra::deepmd
