#include "kernels/deepmd/se_e2_a_device.hpp"

#include <algorithm>
#include <utility>

namespace vitra::deepmd {

namespace {

// Appends a network's layers and parameters; returns its reference.
template <class T>
NetRef append_net(const DenseNet& net, std::vector<LayerDesc>& layers, std::vector<T>& params,
                  NetScratch& scratch) {
  NetRef ref;
  ref.first = static_cast<int>(layers.size());
  ref.count = static_cast<int>(net.layers.size());
  int sum_out = 0;
  for (const DenseLayer& L : net.layers) {
    LayerDesc d;
    d.in = L.in;
    d.out = L.out;
    d.activation = L.activation;
    d.w = static_cast<long long>(params.size());
    for (double v : L.w) params.push_back(static_cast<T>(v));
    if (!L.b.empty()) {
      d.flags |= kHasBias;
      d.b = static_cast<long long>(params.size());
      for (double v : L.b) params.push_back(static_cast<T>(v));
    }
    if (!L.idt.empty()) {
      d.flags |= kHasIdt;
      d.idt = static_cast<long long>(params.size());
      for (double v : L.idt) params.push_back(static_cast<T>(v));
    }
    if (L.resnet && L.out == L.in) d.flags |= kShortcutSame;
    else if (L.resnet && L.out == 2 * L.in) d.flags |= kShortcutDouble;
    layers.push_back(d);
    sum_out += L.out;
    scratch.widest = std::max({scratch.widest, L.in, L.out});
  }
  scratch.sum_out = std::max(scratch.sum_out, sum_out);
  return ref;
}

}  // namespace

// Suffix sums over each type block's slots of the padding rows' G(R̂)ᵀR̂,
// evaluated with the same network code in precision T (layout: SeE2aView).
template <class T>
std::vector<T> DeviceSeE2a<T>::padding_sums(const SeE2aModel& model, const std::vector<NetRef>& emb,
                                            const std::vector<T>& params, const std::vector<int>& type_offset) const {
  const int nt = model.ntypes();
  const int nnei = model.nnei();
  const int m1 = model.m1();
  const std::size_t block = static_cast<std::size_t>(m1) * 4;
  std::vector<T> out(static_cast<std::size_t>(nt) * (nnei + nt) * block, T(0));
  std::vector<T> ys(emb_scratch_.sum_out), dz(emb_scratch_.sum_out);
  for (int ti = 0; ti < nt; ++ti)
    for (int tj = 0; tj < nt; ++tj) {
      const NetRef net = emb[ti * nt + tj];
      const std::size_t base = (static_cast<std::size_t>(ti) * (nnei + nt) + type_offset[tj] + tj) * block;
      if (net.count == 0) continue;
      // Entry c = sel[tj] (no padding) stays zero; walk down from it.
      for (int c = model.sel[tj] - 1; c >= 0; --c) {
        const int s = type_offset[tj] + c;
        T rr[4];
        for (int k = 0; k < 4; ++k) {
          const std::size_t at = (static_cast<std::size_t>(ti) * nnei + s) * 4 + k;
          rr[k] = static_cast<T>((0.0 - model.davg[at]) / model.dstd[at]);
        }
        const T* g = net_forward(host_layers_.data() + net.first, net.count, params.data(), rr, ys.data(), dz.data());
        T* here = out.data() + base + static_cast<std::size_t>(c) * block;
        const T* next = here + block;
        for (int a = 0; a < m1; ++a)
          for (int k = 0; k < 4; ++k) here[4 * a + k] = next[4 * a + k] + g[a] * rr[k];
      }
    }
  return out;
}

template <class T>
DeviceSeE2a<T>::DeviceSeE2a(SeE2aModel m) : model_(std::move(m)) {
  const SeE2aModel& model = model_;
  model.validate();
  const int nt = model.ntypes();
  std::vector<T> params;
  std::vector<NetRef> emb(static_cast<std::size_t>(nt) * nt);
  std::vector<unsigned char> pair_on(emb.size(), 1), atom_on(nt, 1);
  if (model.type_one_side) {
    std::vector<NetRef> per_type(nt);
    for (int tj = 0; tj < nt; ++tj)
      per_type[tj] = append_net(model.embeddings[tj], host_layers_, params, emb_scratch_);
    for (int ti = 0; ti < nt; ++ti)
      for (int tj = 0; tj < nt; ++tj) emb[ti * nt + tj] = per_type[tj];
  } else {
    // Excluded pairs keep their (DeePMD-kit stores them zeroed) network: the
    // padding slots of their block still go through it.
    for (int ti = 0; ti < nt; ++ti)
      for (int tj = 0; tj < nt; ++tj)
        if (!model.embedding(ti, tj).empty())
          emb[ti * nt + tj] = append_net(model.embedding(ti, tj), host_layers_, params, emb_scratch_);
  }
  for (int ti = 0; ti < nt; ++ti) {
    for (int tj = 0; tj < nt; ++tj) pair_on[ti * nt + tj] = model.pair_excluded(ti, tj) ? 0 : 1;
    atom_on[ti] = model.atom_excluded(ti) ? 0 : 1;
  }
  for (int ti = 0; ti < nt; ++ti)
    host_fitting_.push_back(append_net(model.fittings[ti], host_layers_, params, fit_scratch_));
  // The m1 × 4 accumulator's gradient shares the embedding scratch.
  emb_scratch_.widest = std::max(emb_scratch_.widest, model.m1());

  std::vector<int> slot_type, type_offset(1, 0);
  for (int t = 0; t < nt; ++t) {
    slot_type.insert(slot_type.end(), model.sel[t], t);
    type_offset.push_back(type_offset.back() + model.sel[t]);
  }
  const std::vector<T> pad = padding_sums(model, emb, params, type_offset);
  std::vector<double> bias(nt);
  for (int t = 0; t < nt; ++t) bias[t] = model.bias_atom_e[t] + model.out_bias[t];

  slot_type_.copy_from_host(slot_type);
  davg_.copy_from_host(model.davg);
  dstd_.copy_from_host(model.dstd);
  energy_bias_.copy_from_host(bias);
  layers_.copy_from_host(host_layers_);
  params_.copy_from_host(params);
  embedding_.copy_from_host(emb);
  fitting_.copy_from_host(host_fitting_);
  pair_on_.copy_from_host(pair_on);
  atom_on_.copy_from_host(atom_on);
  type_offset_.copy_from_host(type_offset);
  padding_sums_.copy_from_host(pad);
}

template <class T>
SeE2aView<T> DeviceSeE2a<T>::view() const {
  const SeE2aModel& m = model_;
  SeE2aView<T> v;
  v.ntypes = m.ntypes();
  v.nnei = m.nnei();
  v.m1 = m.m1();
  v.m2 = m.axis_neuron;
  v.rcut = m.rcut;
  v.rcut_smth = m.rcut_smth;
  v.protection = m.env_protection;
  v.slot_type = slot_type_.data();
  v.davg = davg_.data();
  v.dstd = dstd_.data();
  v.layers = layers_.data();
  v.params = params_.data();
  v.embedding = embedding_.data();
  v.fitting = fitting_.data();
  v.pair_on = pair_on_.data();
  v.atom_on = atom_on_.data();
  v.energy_bias = energy_bias_.data();
  v.type_offset = type_offset_.data();
  v.padding_sums = padding_sums_.data();
  return v;
}

template class DeviceSeE2a<double>;
template class DeviceSeE2a<float>;

}  // namespace vitra::deepmd
