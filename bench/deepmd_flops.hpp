#pragma once
// Floating-point operations of one se_e2_a energy + force evaluation per atom,
// counted from the model's layers, so that a measured rate (atom evaluations
// per second) can be turned into GFLOP/s and set against a device's peak.
//
// The model (per centre atom; nnei = Σ sel slots, of which `real` hold a
// neighbor within rcut; M1 = last embedding width, M2 = axis_neuron):
//
//   A multiply-add counts 2. A dense layer x(in) -> y(out) costs
//     forward   2·in·out  + out·(1 bias + 1 activation [+ 1 timestep idt]
//                               [+ 1 shortcut])
//     backward  2·in·out  + out (gradient times the stored act'·idt)
//                         [+ in or 2·in for the shortcut]
//   The backward pass of inference needs the gradient with respect to the
//   layer input only (weights are constants), so it costs about one forward,
//   not the two of a training step (input and weight gradients). An
//   activation (tanh) counts as one operation, though it takes several
//   instructions; the elementwise terms are ~3 % of the total.
//
//   descriptor forward, per slot: embedding forward F_emb + env row and
//     normalisation (~40) + Gᵀ R̂ accumulation 2·4·M1. Real slots always;
//     padding slots (row −davg/dstd) when the implementation runs the net on
//     them (DeePMD-kit and vitra's generic path do; vitra's fused path adds a
//     per-(centre type, slot) sum made once at upload instead).
//   T /= nnei 4·M1;  D = T · T[:M2]ᵀ  2·4·M1·M2
//   fitting net forward + backward (input gradient), per centre atom
//   dE/dT = dE/dD · T[:M2] + (dE/dD)ᵀ · T   2·2·4·M1·M2
//   per real slot: dE/dG = dE/dT · R̂ and dE/dR̂ = Gᵀ dE/dT  2·2·4·M1;
//     embedding backward B_emb; chain to r_ij through the 4×3 Jacobian of the
//     env row and force/virial accumulation (~60, with the Jacobian)
//   recompute: vitra's generic and fused paths run the embedding forward of
//     every real slot again in the backward pass instead of storing nnei ×
//     Σ widths activations per atom (DeePMD-kit's autograd stores them): F_emb
//     per real slot more.
//
// For the reference hyperparameters (embedding [25, 50, 100], M2 16, fitting
// [240, 240, 240], sel [72, 48, 32, 12] → nnei 164, 92 real neighbors in
// LB67 at 2.22 g/cm³ within rcut 6 Å): F_emb ≈ 13.1 kFLOP, B_emb ≈ 12.9
// kFLOP, fitting 1.0 + 1.0 MFLOP. Per atom: minimal (real slots only, no
// recompute) 4.66 MFLOP; DeePMD-kit (padding, no recompute) 5.66; vitra
// fused (no padding, recompute) 5.86; vitra generic (padding, recompute)
// 6.86.
#include <algorithm>
#include <cstddef>
#include <vector>

#include "kernels/deepmd/se_e2_a_model.hpp"

namespace vitra::bench {

struct SeE2aFlops {
  double embedding_forward = 0;   // real slots: net, env row, Gᵀ R̂
  double padding_forward = 0;     // padding slots: net, normalisation, Gᵀ R̂
  double descriptor = 0;          // T scaling, D = T T<ᵀ, dE/dT
  double fitting = 0;             // forward + backward
  double embedding_backward = 0;  // real slots: dE/dG, dE/dR̂, net backward, chain to r_ij
  double embedding_recompute = 0; // real slots: the forward again

  // Work of an implementation that does (or not) run the embedding net on
  // padding slots and recompute the embedding forward in the backward pass.
  double total(bool padding, bool recompute) const {
    return embedding_forward + descriptor + fitting + embedding_backward + (padding ? padding_forward : 0.0) +
           (recompute ? embedding_recompute : 0.0);
  }
  double minimal() const { return total(false, false); }         // the essential work
  double deepmd_kit() const { return total(true, false); }       // DeePMD-kit's pt backend
  double vitra_generic() const { return total(true, true); }     // se_e2_a_generic.hpp
  double vitra_fused() const { return total(false, true); }      // se_e2_a_fused.hpp
};

// Operations of one dense layer's forward and backward (input gradient) pass.
inline double dense_forward_flops(const deepmd::DenseLayer& L) {
  const double in = L.in, out = L.out;
  double f = 2.0 * in * out + out;  // matrix product, activation
  if (!L.b.empty()) f += out;
  if (!L.idt.empty()) f += 2.0 * out;  // y ⊙ idt and the stored slope act'·idt
  if (L.resnet && (L.out == L.in || L.out == 2 * L.in)) f += out;
  return f;
}

inline double dense_backward_flops(const deepmd::DenseLayer& L) {
  const double in = L.in, out = L.out;
  double f = 2.0 * in * out + out;  // gradient ⊙ slope, transposed product
  if (L.resnet && L.out == L.in) f += in;
  if (L.resnet && L.out == 2 * L.in) f += 2.0 * in;
  return f;
}

inline double net_forward_flops(const deepmd::DenseNet& net) {
  double f = 0;
  for (const deepmd::DenseLayer& L : net.layers) f += dense_forward_flops(L);
  return f;
}

inline double net_backward_flops(const deepmd::DenseNet& net) {
  double f = 0;
  for (const deepmd::DenseLayer& L : net.layers) f += dense_backward_flops(L);
  return f;
}

// FLOPs per atom. real_per_type[t]: mean occupied slots of neighbor type t
// (within rcut, at most sel[t]) per centre atom; centre_fraction[t]: share
// of the atoms of model type t (empty: all atoms of type 0). Excluded type
// pairs and atom_exclude_types are counted as if they were on.
inline SeE2aFlops se_e2_a_flops(const deepmd::SeE2aModel& m, const std::vector<double>& real_per_type,
                                const std::vector<double>& centre_fraction = {}) {
  constexpr double kEnvRow = 40;     // r, switch, row, normalisation
  constexpr double kPairChain = 60;  // Jacobian, dE/dr_ij, forces, virial
  const int nt = m.ntypes();
  const double m1 = m.m1(), m2 = m.axis_neuron;
  SeE2aFlops out;
  for (int ti = 0; ti < nt; ++ti) {
    const double w = centre_fraction.empty() ? (ti == 0 ? 1.0 : 0.0)
                                             : (ti < static_cast<int>(centre_fraction.size()) ? centre_fraction[ti] : 0.0);
    if (w == 0.0) continue;
    for (int tj = 0; tj < nt; ++tj) {
      const deepmd::DenseNet& net = m.embedding(ti, tj);
      const double real = tj < static_cast<int>(real_per_type.size())
                              ? std::min(real_per_type[tj], static_cast<double>(m.sel[tj])) : 0.0;
      const double f = net_forward_flops(net);
      out.embedding_forward += w * real * (f + kEnvRow + 2.0 * 4.0 * m1);
      out.padding_forward += w * (m.sel[tj] - real) * (f + kEnvRow + 2.0 * 4.0 * m1);
      out.embedding_backward += w * real * (net_backward_flops(net) + 2.0 * 2.0 * 4.0 * m1 + kPairChain);
      out.embedding_recompute += w * real * f;
    }
    const deepmd::DenseNet& fit = m.fittings[ti];
    out.fitting += w * (net_forward_flops(fit) + net_backward_flops(fit));
    out.descriptor += w * (2.0 * 4.0 * m1 + 2.0 * 4.0 * m1 * m2 + 2.0 * 2.0 * 4.0 * m1 * m2);
  }
  return out;
}

// The same with `real_neighbors` occupied slots in all, spread over the
// neighbor types in proportion to sel.
inline SeE2aFlops se_e2_a_flops(const deepmd::SeE2aModel& m, double real_neighbors,
                                const std::vector<double>& centre_fraction = {}) {
  std::vector<double> per_type(m.sel.size());
  const double nnei = m.nnei();
  for (std::size_t t = 0; t < per_type.size(); ++t) per_type[t] = nnei > 0 ? real_neighbors * m.sel[t] / nnei : 0.0;
  return se_e2_a_flops(m, per_type, centre_fraction);
}

}  // namespace vitra::bench
