#include "kernels/deepmd/se_e2_a_model.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace vitra::deepmd {

namespace {

std::string str(std::size_t v) { return std::to_string(v); }

void check_net(const DenseNet& net, int in, int out, const std::string& what) {
  if (net.layers.empty()) throw std::invalid_argument(what + ": the network has no layers");
  int prev = in;
  for (std::size_t l = 0; l < net.layers.size(); ++l) {
    const DenseLayer& L = net.layers[l];
    const std::string where = what + " layer " + str(l);
    if (L.in != prev)
      throw std::invalid_argument(where + ": input width " + std::to_string(L.in) +
                                  ", expected " + std::to_string(prev));
    if (L.out <= 0) throw std::invalid_argument(where + ": output width must be positive");
    if (L.w.size() != static_cast<std::size_t>(L.in) * L.out)
      throw std::invalid_argument(where + ": w has " + str(L.w.size()) + " numbers, expected " +
                                  str(static_cast<std::size_t>(L.in) * L.out));
    if (!L.b.empty() && L.b.size() != static_cast<std::size_t>(L.out))
      throw std::invalid_argument(where + ": b has " + str(L.b.size()) + " numbers, expected " +
                                  std::to_string(L.out));
    if (!L.idt.empty() && L.idt.size() != static_cast<std::size_t>(L.out))
      throw std::invalid_argument(where + ": idt has " + str(L.idt.size()) +
                                  " numbers, expected " + std::to_string(L.out));
    prev = L.out;
  }
  if (prev != out)
    throw std::invalid_argument(what + ": output width " + std::to_string(prev) + ", expected " +
                                std::to_string(out));
}

}  // namespace

int SeE2aModel::nnei() const {
  int n = 0;
  for (int s : sel) n += s;
  return n;
}

bool SeE2aModel::pair_excluded(int ti, int tj) const {
  for (const auto& p : exclude_types)
    if ((p.first == ti && p.second == tj) || (p.first == tj && p.second == ti)) return true;
  return false;
}

bool SeE2aModel::atom_excluded(int t) const {
  return std::find(atom_exclude_types.begin(), atom_exclude_types.end(), t) !=
         atom_exclude_types.end();
}

std::size_t SeE2aModel::parameter_count() const {
  std::size_t n = 0;
  auto count = [&](const std::vector<DenseNet>& nets) {
    for (const DenseNet& net : nets)
      for (const DenseLayer& L : net.layers) n += L.w.size() + L.b.size() + L.idt.size();
  };
  count(embeddings);
  count(fittings);
  return n;
}

void SeE2aModel::validate() const {
  const int nt = ntypes();
  if (nt <= 0) throw std::invalid_argument("type_map is empty");
  if (!(rcut > 0.0)) throw std::invalid_argument("rcut must be positive");
  if (!(rcut_smth >= 0.0 && rcut_smth < rcut))
    throw std::invalid_argument("rcut_smth must lie in [0, rcut)");
  if (static_cast<int>(sel.size()) != nt)
    throw std::invalid_argument("sel has " + str(sel.size()) + " entries for " +
                                std::to_string(nt) + " types");
  for (int s : sel)
    if (s < 0) throw std::invalid_argument("sel entries must be non-negative");
  if (nnei() <= 0) throw std::invalid_argument("sel sums to zero");
  if (neuron.empty()) throw std::invalid_argument("the embedding net has no layers (neuron)");
  if (axis_neuron <= 0 || axis_neuron > m1())
    throw std::invalid_argument("axis_neuron " + std::to_string(axis_neuron) +
                                " must lie in [1, " + std::to_string(m1()) + "]");
  const std::size_t stat = static_cast<std::size_t>(nt) * nnei() * 4;
  if (davg.size() != stat || dstd.size() != stat)
    throw std::invalid_argument("davg/dstd hold " + str(davg.size()) + "/" + str(dstd.size()) +
                                " numbers, expected ntypes·nnei·4 = " + str(stat));
  for (double v : dstd)
    if (!(v != 0.0)) throw std::invalid_argument("dstd holds a zero");
  for (const auto& p : exclude_types)
    if (p.first < 0 || p.first >= nt || p.second < 0 || p.second >= nt)
      throw std::invalid_argument("exclude_types names a type outside the type map");
  for (int t : atom_exclude_types)
    if (t < 0 || t >= nt)
      throw std::invalid_argument("atom_exclude_types names a type outside the type map");
  const std::size_t nemb = type_one_side ? nt : static_cast<std::size_t>(nt) * nt;
  if (embeddings.size() != nemb)
    throw std::invalid_argument("expected " + str(nemb) + " embedding nets, found " +
                                str(embeddings.size()));
  for (int ti = 0; ti < (type_one_side ? 1 : nt); ++ti)
    for (int tj = 0; tj < nt; ++tj) {
      const DenseNet& net = embedding(ti, tj);
      const std::string what = type_one_side
                                   ? "embedding net of type " + type_map[tj]
                                   : "embedding net " + type_map[ti] + "-" + type_map[tj];
      if (net.empty() && pair_excluded(ti, tj) && !type_one_side) continue;
      check_net(net, 1, m1(), what);
      for (std::size_t l = 0; l < net.layers.size(); ++l)
        if (net.layers[l].out != neuron[l])
          throw std::invalid_argument(what + ": widths differ from neuron");
    }
  if (static_cast<int>(fittings.size()) != nt)
    throw std::invalid_argument("expected " + std::to_string(nt) + " fitting nets, found " +
                                str(fittings.size()));
  for (int t = 0; t < nt; ++t) check_net(fittings[t], descriptor_size(), 1, "fitting net of type " + type_map[t]);
  if (static_cast<int>(bias_atom_e.size()) != nt || static_cast<int>(out_bias.size()) != nt ||
      static_cast<int>(out_std.size()) != nt)
    throw std::invalid_argument("bias_atom_e, out_bias and out_std need one number per type");
}

const char* activation_name(Activation a) {
  switch (a) {
    case Activation::Linear: return "none";
    case Activation::Tanh: return "tanh";
    case Activation::Relu: return "relu";
    case Activation::Relu6: return "relu6";
    case Activation::Softplus: return "softplus";
    case Activation::Sigmoid: return "sigmoid";
    case Activation::Silu: return "silu";
    case Activation::Gelu: return "gelu";
  }
  return "?";
}

bool parse_activation(const std::string& name, Activation& out) {
  std::string n = name;
  std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return std::tolower(c); });
  if (n == "none" || n == "linear") out = Activation::Linear;
  else if (n == "tanh") out = Activation::Tanh;
  else if (n == "relu") out = Activation::Relu;
  else if (n == "relu6") out = Activation::Relu6;
  else if (n == "softplus") out = Activation::Softplus;
  else if (n == "sigmoid") out = Activation::Sigmoid;
  else if (n == "silu") out = Activation::Silu;
  else if (n == "gelu" || n == "gelu_tf") out = Activation::Gelu;
  else return false;
  return true;
}

}  // namespace vitra::deepmd
