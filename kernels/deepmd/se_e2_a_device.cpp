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

  std::vector<int> slot_type;
  for (int t = 0; t < nt; ++t) slot_type.insert(slot_type.end(), model.sel[t], t);
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
  return v;
}

template class DeviceSeE2a<double>;
template class DeviceSeE2a<float>;

}  // namespace vitra::deepmd
