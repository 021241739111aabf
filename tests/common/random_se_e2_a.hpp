#pragma once
// Random se_e2_a models for tests: weights, davg/dstd and energy biases all
// drawn fresh (no zeros, dstd positive and varied), so that padding rows
// (−davg/dstd), biases and every layer kind take part.
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "kernels/deepmd/se_e2_a_model.hpp"

namespace vitra::test {

struct SeE2aShape {
  std::vector<std::string> type_map = {"O", "B"};
  double rcut = 4.0;
  double rcut_smth = 1.0;
  std::vector<int> sel = {28, 28};
  std::vector<int> neuron = {4, 8, 16};  // 1 -> 4 (none), 4 -> 8 (x, x), 8 -> 16 (x, x)
  int axis_neuron = 3;
  std::vector<int> fitting = {12, 12};  // 12 -> 12 uses y += x
  bool type_one_side = false;
  bool resnet_dt = true;
  std::vector<std::pair<int, int>> exclude_types;
  std::vector<int> atom_exclude_types;
  deepmd::Activation activation = deepmd::Activation::Tanh;
  deepmd::Precision precision = deepmd::Precision::Float64;
};

inline deepmd::DenseNet random_net(std::mt19937_64& rng, int in, const std::vector<int>& widths, int out_last,
                                   bool resnet_dt, deepmd::Activation act) {
  std::normal_distribution<double> g(0.0, 1.0);
  std::uniform_real_distribution<double> idt(0.05, 0.3);
  deepmd::DenseNet net;
  int prev = in;
  std::vector<int> all = widths;
  if (out_last > 0) all.push_back(out_last);
  for (std::size_t l = 0; l < all.size(); ++l) {
    const bool last = out_last > 0 && l + 1 == all.size();
    deepmd::DenseLayer L;
    L.in = prev;
    L.out = all[l];
    const double scale = 1.0 / std::sqrt(static_cast<double>(prev + L.out));
    for (int k = 0; k < L.in * L.out; ++k) L.w.push_back(g(rng) * scale);
    for (int k = 0; k < L.out; ++k) L.b.push_back(g(rng));
    if (resnet_dt && !last && l > 0)
      for (int k = 0; k < L.out; ++k) L.idt.push_back(idt(rng));
    L.resnet = !last;
    L.activation = last ? deepmd::Activation::Linear : act;
    net.layers.push_back(std::move(L));
    prev = all[l];
  }
  return net;
}

inline deepmd::SeE2aModel random_se_e2_a(std::mt19937_64& rng, const SeE2aShape& s) {
  deepmd::SeE2aModel m;
  m.type_map = s.type_map;
  m.rcut = s.rcut;
  m.rcut_smth = s.rcut_smth;
  m.sel = s.sel;
  m.neuron = s.neuron;
  m.axis_neuron = s.axis_neuron;
  m.type_one_side = s.type_one_side;
  m.exclude_types = s.exclude_types;
  m.atom_exclude_types = s.atom_exclude_types;
  m.precision = s.precision;
  const int nt = m.ntypes();
  std::uniform_real_distribution<double> avg(0.01, 0.2), sd(0.05, 0.6), bias(-3.0, 3.0);
  // As DeePMD-kit's statistics: one value per (centre type, neighbor type,
  // component), the same for every slot of the neighbor type. (Values that
  // vary by slot would make the energy jump when two neighbors swap places
  // in the distance order.)
  m.davg.resize(static_cast<std::size_t>(nt) * m.nnei() * 4);
  m.dstd.resize(m.davg.size());
  for (int ti = 0; ti < nt; ++ti)
    for (int tj = 0, slot = 0; tj < nt; slot += m.sel[tj], ++tj)
      for (int k = 0; k < 4; ++k) {
        const double a = k == 0 ? avg(rng) : 0.1 * (avg(rng) - 0.1), d = sd(rng);
        for (int s2 = slot; s2 < slot + m.sel[tj]; ++s2) {
          m.davg[(static_cast<std::size_t>(ti) * m.nnei() + s2) * 4 + k] = a;
          m.dstd[(static_cast<std::size_t>(ti) * m.nnei() + s2) * 4 + k] = d;
        }
      }
  const int nemb = s.type_one_side ? nt : nt * nt;
  for (int k = 0; k < nemb; ++k) m.embeddings.push_back(random_net(rng, 1, s.neuron, 0, s.resnet_dt, s.activation));
  for (int t = 0; t < nt; ++t)
    m.fittings.push_back(random_net(rng, m.descriptor_size(), s.fitting, 1, s.resnet_dt, s.activation));
  for (int t = 0; t < nt; ++t) {
    m.bias_atom_e.push_back(bias(rng));
    m.out_bias.push_back(bias(rng));
    m.out_std.push_back(1.0);
  }
  return m;
}

}  // namespace vitra::test
