#pragma once
// SeE2aModel: every number of a DeePMD-kit se_e2_a energy model, as plain
// host arrays in float64 (the file readers in host/model/ fill it; the
// inference in kernels/deepmd/ uploads it in the model's precision).
//
// Layout follows DeePMD-kit v3's dpmodel serialization
// (deepmd/dpmodel/descriptor/se_e2_a.py, utils/network.py,
// fitting/general_fitting.py, atomic_model/base_atomic_model.py):
//   - A layer computes y = act(x·W + b) [⊙ idt] [+ x | + (x, x)]: W is
//     in×out row-major (x is a row vector), the shortcut applies when
//     `resnet` is set and out == in (y += x) or out == 2·in (y += (x, x)).
//   - Embedding nets: type_one_side, one per neighbor type t at [t]; else one
//     per (centre type ti, neighbor type tj) at [ti + ntypes·tj] (DeePMD-kit's
//     NetworkCollection key order). A net for an excluded pair may be empty.
//   - davg, dstd: [ntypes][nnei][4] row-major (centre type, slot, component).
//   - Atomic energy E_i = fit_{t_i}(D_i) + bias_atom_e[t_i] + out_bias[t_i];
//     out_std is stored for round trips and does not enter the energy.
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace vitra::deepmd {

// Activation functions DeePMD-kit names; the readers reject the others.
// Gelu is the tanh approximation DeePMD-kit uses for "gelu" and "gelu_tf".
enum class Activation { Linear, Tanh, Relu, Relu6, Softplus, Sigmoid, Silu, Gelu };

struct DenseLayer {
  int in = 0;
  int out = 0;
  std::vector<double> w;    // in × out, row-major
  std::vector<double> b;    // out, or empty (no bias)
  std::vector<double> idt;  // out, or empty (no timestep scaling)
  bool resnet = false;      // shortcut when out == in or out == 2·in
  Activation activation = Activation::Tanh;
};

struct DenseNet {
  std::vector<DenseLayer> layers;
  bool empty() const { return layers.empty(); }
  int in() const { return layers.empty() ? 0 : layers.front().in; }
  int out() const { return layers.empty() ? 0 : layers.back().out; }
};

enum class Precision { Float64, Float32 };

struct SeE2aModel {
  std::vector<std::string> type_map;
  double rcut = 0.0;
  double rcut_smth = 0.0;
  double env_protection = 0.0;
  std::vector<int> sel;       // slots per neighbor type
  std::vector<int> neuron;    // embedding widths; M1 = neuron.back()
  int axis_neuron = 0;        // M2
  bool type_one_side = false;
  std::vector<std::pair<int, int>> exclude_types;  // descriptor type pairs (both orders excluded)
  std::vector<int> atom_exclude_types;             // atoms of these types have zero energy
  Precision precision = Precision::Float64;
  std::vector<double> davg, dstd;   // [ntypes][nnei][4]
  std::vector<DenseNet> embeddings; // see above
  std::vector<DenseNet> fittings;   // one per centre type
  std::vector<double> bias_atom_e;  // ntypes
  std::vector<double> out_bias;     // ntypes
  std::vector<double> out_std;      // ntypes

  int ntypes() const { return static_cast<int>(type_map.size()); }
  int nnei() const;
  int m1() const { return neuron.empty() ? 0 : neuron.back(); }
  int descriptor_size() const { return m1() * axis_neuron; }
  // The embedding net for centre type ti and neighbor type tj.
  const DenseNet& embedding(int ti, int tj) const {
    return embeddings[type_one_side ? tj : ti + ntypes() * tj];
  }
  bool pair_excluded(int ti, int tj) const;
  bool atom_excluded(int t) const;
  std::size_t parameter_count() const;
  // Throws std::invalid_argument naming the first inconsistency (array
  // sizes, layer chaining, sel, cutoffs); the readers add the file name.
  void validate() const;
};

const char* activation_name(Activation a);
// DeePMD-kit's name ("tanh", "none", "linear", "relu", ...) -> Activation;
// false for a name it does not support.
bool parse_activation(const std::string& name, Activation& out);

}  // namespace vitra::deepmd
