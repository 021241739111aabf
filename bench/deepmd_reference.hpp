#pragma once
// The se_e2_a model and the structures the inference benchmarks run on:
//
// Model: the reference hyperparameters of the LB67 study, with random
// weights laid out as DeePMD-kit v3 builds them (deepmd/dpmodel/utils/
// network.py), so that the file write_model() makes loads in DeePMD-kit as
// the same network:
//   type_map O B Li Si, rcut 6 Å, rcut_smth 0.5 Å, sel [72, 48, 32, 12]
//   (nnei 164), embedding [25, 50, 100] (tanh, shortcuts, no timestep: the
//   descriptor's resnet_dt default false), axis_neuron 16, type_one_side
//   false (16 embedding nets), fitting [240, 240, 240] with resnet_dt (a
//   timestep vector on every hidden layer) and a linear output layer.
//   sel: neighbor counts within 6 Å of random LB67 glasses at 2.22 g/cm³
//   (`vitra neighbor-stat`, 3 × 10⁴ atoms): max O 64, B 42, Li 28, mean
//   50 / 28 / 14 (92 in all); LBS-10-50-40 at 2.30 g/cm³ has at most 9 Si.
//   Rounded as DeePMD-kit's sel "auto" does (1.1 × max, up to a multiple of
//   4): 72, 48, 32, and 12 for Si.
//   A float32 model holds float32-representable weights and statistics, so
//   that it is the same model after a round trip through a file.
//
// Structures: random LB67 = (B2O3)66.7(Li2O)33.3 glasses (vitra build) at
// 2.22 g/cm³, the whole-formula-unit atom count nearest the target
// (1001, 9997, 100001 atoms for 10³, 10⁴, 10⁵).
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "host/glass/builder.hpp"
#include "host/glass/composition.hpp"
#include "host/structure.hpp"
#include "kernels/deepmd/se_e2_a_model.hpp"

namespace vitra::bench {

inline constexpr const char* kLb67Composition = "B2O3:66.7,Li2O:33.3";
inline constexpr double kLb67Density = 2.22;  // g/cm³
inline constexpr std::uint64_t kReferenceModelSeed = 20240307;

inline deepmd::DenseLayer reference_layer(std::mt19937_64& rng, int in, int out, bool idt, bool resnet,
                                          deepmd::Activation act) {
  std::normal_distribution<double> g(0.0, 1.0);
  std::uniform_real_distribution<double> u(0.05, 0.3);
  deepmd::DenseLayer L;
  L.in = in;
  L.out = out;
  const double scale = 1.0 / std::sqrt(static_cast<double>(in + out));
  L.w.resize(static_cast<std::size_t>(in) * out);
  for (double& w : L.w) w = g(rng) * scale;
  L.b.resize(out);
  for (double& b : L.b) b = g(rng);
  if (idt) {
    L.idt.resize(out);
    for (double& v : L.idt) v = u(rng);
  }
  L.resnet = resnet;
  L.activation = act;
  return L;
}

inline void round_to_float(std::vector<double>& v) {
  for (double& x : v) x = static_cast<double>(static_cast<float>(x));
}

inline deepmd::SeE2aModel reference_se_e2_a(deepmd::Precision precision,
                                             std::uint64_t seed = kReferenceModelSeed) {
  using deepmd::Activation;
  std::mt19937_64 rng(seed);
  deepmd::SeE2aModel m;
  m.type_map = {"O", "B", "Li", "Si"};
  m.rcut = 6.0;
  m.rcut_smth = 0.5;
  m.sel = {72, 48, 32, 12};
  m.neuron = {25, 50, 100};
  m.axis_neuron = 16;
  m.type_one_side = false;
  m.precision = precision;
  const int nt = m.ntypes(), nnei = m.nnei();
  // Statistics as DeePMD-kit's: one value per (centre type, neighbor type,
  // component); magnitudes of s = sw(r)/r and x/r² within 6 Å.
  std::uniform_real_distribution<double> avg(0.15, 0.3), sd0(0.08, 0.15), sd(0.1, 0.2), small(-0.01, 0.01);
  m.davg.assign(static_cast<std::size_t>(nt) * nnei * 4, 0.0);
  m.dstd.assign(m.davg.size(), 1.0);
  for (int ti = 0; ti < nt; ++ti)
    for (int tj = 0, slot = 0; tj < nt; slot += m.sel[tj], ++tj)
      for (int k = 0; k < 4; ++k) {
        const double a = k == 0 ? avg(rng) : small(rng);
        const double d = k == 0 ? sd0(rng) : sd(rng);
        for (int s = slot; s < slot + m.sel[tj]; ++s) {
          m.davg[(static_cast<std::size_t>(ti) * nnei + s) * 4 + k] = a;
          m.dstd[(static_cast<std::size_t>(ti) * nnei + s) * 4 + k] = d;
        }
      }
  // Embedding nets [ti + nt·tj]: 1 -> 25 -> 50 -> 100, every layer with a
  // bias, tanh and the shortcut flag (taken where out = 2·in).
  for (int k = 0; k < nt * nt; ++k) {
    deepmd::DenseNet net;
    int in = 1;
    for (int w : m.neuron) {
      net.layers.push_back(reference_layer(rng, in, w, false, true, Activation::Tanh));
      in = w;
    }
    m.embeddings.push_back(std::move(net));
  }
  // Fitting nets: M1·M2 -> 240 -> 240 -> 240 (timestep, shortcut where
  // out = in) -> 1 (linear).
  const std::vector<int> fitting = {240, 240, 240};
  for (int t = 0; t < nt; ++t) {
    deepmd::DenseNet net;
    int in = m.descriptor_size();
    for (int w : fitting) {
      net.layers.push_back(reference_layer(rng, in, w, true, true, Activation::Tanh));
      in = w;
    }
    net.layers.push_back(reference_layer(rng, in, 1, false, false, Activation::Linear));
    m.fittings.push_back(std::move(net));
  }
  std::uniform_real_distribution<double> bias(-3.0, 3.0);
  for (int t = 0; t < nt; ++t) {
    m.bias_atom_e.push_back(0.0);
    m.out_bias.push_back(bias(rng));
    m.out_std.push_back(1.0);
  }
  if (precision == deepmd::Precision::Float32) {
    round_to_float(m.davg);
    round_to_float(m.dstd);
    for (auto* nets : {&m.embeddings, &m.fittings})
      for (deepmd::DenseNet& net : *nets)
        for (deepmd::DenseLayer& L : net.layers) {
          round_to_float(L.w);
          round_to_float(L.b);
          round_to_float(L.idt);
        }
  }
  m.validate();
  return m;
}

// A random LB67 glass of about `target_atoms` atoms (cubic cell).
inline Structure lb67_glass(long target_atoms, std::uint64_t seed = 1) {
  const glass::Composition comp = glass::parse_composition(kLb67Composition);
  const glass::UnitCounts units = glass::formula_units(comp, target_atoms);
  glass::BuildOptions bo;
  bo.density = kLb67Density;
  bo.seed = seed;
  return glass::build_random_glass(units.atoms, bo);
}

}  // namespace vitra::bench
