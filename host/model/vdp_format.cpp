// vitra's native model format (.vdp): a safetensors file.
//
//   bytes 0..7      N, the header length, unsigned 64-bit little-endian
//   bytes 8..8+N    the header: JSON, padded with spaces to a multiple of 8
//   bytes 8+N..     the data section: every tensor, raw little-endian, back to back
//
// The header maps each tensor name to {"dtype": "F64", "shape": [...],
// "data_offsets": [begin, end]} (byte offsets into the data section), plus
//   "__metadata__": {"format": "vitra-se_e2_a", "version": "1",
//                    "model": "<JSON string of the hyperparameters>"}
// (safetensors metadata values are strings). The hyperparameters are type_map,
// rcut, rcut_smth, env_protection, sel, neuron, axis_neuron, type_one_side,
// exclude_types, atom_exclude_types, precision, and for every net its layers as
// {"in", "out", "resnet", "activation", "bias", "idt"} (the last two booleans:
// whether the layer has a bias and a timestep vector).
//
// Tensors, all float64 (the model's precision is the hyperparameter above):
//   descriptor.davg, descriptor.dstd         [ntypes, nnei, 4]
//   embedding.K.layer.L.{w,b,idt}            w [in, out], b and idt [out]
//   fitting.T.layer.L.{w,b,idt}
//   bias_atom_e, out_bias, out_std           [ntypes]
// Embedding net K is the one for (centre ti, neighbor tj) at K = ti + ntypes·tj,
// or for neighbor type K with type_one_side; an empty net (excluded pair) has no
// layers and no tensors. The reader also takes F32 tensors.
#include <fmt/format.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <set>

#include "host/error.hpp"
#include "host/model/model_dict.hpp"

namespace vitra::model_io {

using deepmd::DenseLayer;
using deepmd::DenseNet;
using deepmd::Precision;
using deepmd::SeE2aModel;

namespace {

constexpr const char* kFormat = "vitra-se_e2_a";
constexpr const char* kVersion = "1";
constexpr std::uint64_t kMaxHeader = 100u << 20;  // safetensors' own limit

struct Tensor {
  std::string name;
  std::vector<std::size_t> shape;
  const std::vector<double>* data;
};

std::string layer_prefix(const std::string& net, std::size_t k, std::size_t l) {
  return fmt::format("{}.{}.layer.{}", net, k, l);
}

void add_net_tensors(std::vector<Tensor>& t, const std::string& kind, std::size_t k,
                     const DenseNet& net) {
  for (std::size_t l = 0; l < net.layers.size(); ++l) {
    const DenseLayer& L = net.layers[l];
    const std::string p = layer_prefix(kind, k, l);
    const std::size_t in = static_cast<std::size_t>(L.in), out = static_cast<std::size_t>(L.out);
    t.push_back({p + ".w", {in, out}, &L.w});
    if (!L.b.empty()) t.push_back({p + ".b", {out}, &L.b});
    if (!L.idt.empty()) t.push_back({p + ".idt", {out}, &L.idt});
  }
}

json net_meta(const DenseNet& net) {
  json layers = json::array();
  for (const DenseLayer& L : net.layers)
    layers.push_back({{"in", L.in},
                      {"out", L.out},
                      {"resnet", L.resnet},
                      {"activation", deepmd::activation_name(L.activation)},
                      {"bias", !L.b.empty()},
                      {"idt", !L.idt.empty()}});
  return json{{"layers", layers}};
}

json hyperparameters(const SeE2aModel& m) {
  json exclude = json::array();
  for (const auto& e : m.exclude_types) exclude.push_back(json::array({e.first, e.second}));
  json emb = json::array(), fit = json::array();
  for (const DenseNet& net : m.embeddings) emb.push_back(net_meta(net));
  for (const DenseNet& net : m.fittings) fit.push_back(net_meta(net));
  return json{{"type_map", m.type_map},
              {"rcut", m.rcut},
              {"rcut_smth", m.rcut_smth},
              {"env_protection", m.env_protection},
              {"sel", m.sel},
              {"neuron", m.neuron},
              {"axis_neuron", m.axis_neuron},
              {"type_one_side", m.type_one_side},
              {"exclude_types", exclude},
              {"atom_exclude_types", m.atom_exclude_types},
              {"precision", precision_name(m.precision)},
              {"embeddings", emb},
              {"fittings", fit}};
}

std::vector<Tensor> tensors_of(const SeE2aModel& m) {
  const std::size_t nt = static_cast<std::size_t>(m.ntypes());
  const std::size_t nnei = static_cast<std::size_t>(m.nnei());
  std::vector<Tensor> t;
  t.push_back({"descriptor.davg", {nt, nnei, 4}, &m.davg});
  t.push_back({"descriptor.dstd", {nt, nnei, 4}, &m.dstd});
  for (std::size_t k = 0; k < m.embeddings.size(); ++k)
    add_net_tensors(t, "embedding", k, m.embeddings[k]);
  for (std::size_t k = 0; k < m.fittings.size(); ++k) add_net_tensors(t, "fitting", k, m.fittings[k]);
  t.push_back({"bias_atom_e", {nt}, &m.bias_atom_e});
  t.push_back({"out_bias", {nt}, &m.out_bias});
  t.push_back({"out_std", {nt}, &m.out_std});
  return t;
}

void put_u64(std::string& s, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) s += static_cast<char>((v >> (8 * i)) & 0xff);
}

std::uint64_t get_u64(const unsigned char* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

double get_f64(const unsigned char* p) {
  const std::uint64_t bits = get_u64(p);
  double d;
  std::memcpy(&d, &bits, 8);
  return d;
}

double get_f32(const unsigned char* p) {
  const std::uint32_t bits = static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
                             (static_cast<std::uint32_t>(p[2]) << 16) |
                             (static_cast<std::uint32_t>(p[3]) << 24);
  float f;
  std::memcpy(&f, &bits, 4);
  return static_cast<double>(f);
}

// ---------------------------------------------------------------- reading

class VdpReader {
 public:
  VdpReader(const std::string& path, const json& header, const unsigned char* data,
            std::size_t data_size)
      : path_(path), header_(header), data_(data), size_(data_size) {}

  std::vector<double> tensor(const std::string& name, const std::vector<std::size_t>& shape) {
    const auto it = header_.find(name);
    if (it == header_.end())
      throw InputError(path_, 0, "the tensor \"" + name + "\" is missing");
    used_.insert(name);
    const json& t = *it;
    const std::string where = "tensor \"" + name + "\": ";
    if (!t.is_object() || !t.contains("dtype") || !t.contains("shape") ||
        !t.contains("data_offsets"))
      throw InputError(path_, 0, where + "expected {dtype, shape, data_offsets}, found " +
                                     describe_json(t));
    std::vector<std::size_t> found;
    std::vector<std::uint64_t> off;
    std::string dtype;
    try {
      dtype = t.at("dtype").get<std::string>();
      found = t.at("shape").get<std::vector<std::size_t>>();
      off = t.at("data_offsets").get<std::vector<std::uint64_t>>();
    } catch (const json::exception&) {
      throw InputError(path_, 0, where + "malformed dtype, shape or data_offsets");
    }
    if (found != shape)
      throw InputError(path_, 0, where + "expected shape " + shape_string(shape) + ", found " +
                                     shape_string(found));
    std::size_t width;
    if (dtype == "F64") width = 8;
    else if (dtype == "F32") width = 4;
    else throw InputError(path_, 0, where + "dtype \"" + dtype + "\" is not supported (expected F64 or F32)");
    std::size_t n = 1;
    for (std::size_t s : shape) n *= s;
    if (off.size() != 2 || off[1] < off[0] || off[1] - off[0] != n * width)
      throw InputError(path_, 0,
                       where + fmt::format("data_offsets {} do not span {} {} numbers",
                                           json(off).dump(), n, dtype));
    if (off[1] > size_)
      throw InputError(path_, 0,
                       fmt::format("the file is truncated: tensor \"{}\" ends at byte {} of the "
                                   "data section, which holds {} bytes",
                                   name, off[1], size_));
    std::vector<double> out(n);
    const unsigned char* p = data_ + off[0];
    for (std::size_t i = 0; i < n; ++i) out[i] = width == 8 ? get_f64(p + 8 * i) : get_f32(p + 4 * i);
    return out;
  }

  void check_all_used() const {
    for (auto it = header_.begin(); it != header_.end(); ++it)
      if (it.key() != "__metadata__" && !used_.count(it.key()))
        throw InputError(path_, 0,
                         "the tensor \"" + it.key() + "\" is not part of the model described in "
                                                      "__metadata__.model");
  }

 private:
  const std::string& path_;
  const json& header_;
  const unsigned char* data_;
  std::size_t size_;
  std::set<std::string> used_;
};

DenseNet read_net_meta(const Node& net, VdpReader& r, const std::string& kind, std::size_t k) {
  DenseNet out;
  const Node layers = net.at("layers");
  for (std::size_t l = 0; l < layers.size(); ++l) {
    const Node L = layers.at(l);
    DenseLayer layer;
    layer.in = static_cast<int>(L.at("in").integer());
    layer.out = static_cast<int>(L.at("out").integer());
    if (layer.in <= 0 || layer.out <= 0) L.fail("layer widths must be positive");
    layer.resnet = L.at("resnet").boolean();
    const std::string act = L.at("activation").str();
    if (!deepmd::parse_activation(act, layer.activation))
      L.at("activation").fail("\"" + act + "\" is not a known activation");
    const std::string p = layer_prefix(kind, k, l);
    const std::size_t in = static_cast<std::size_t>(layer.in), o = static_cast<std::size_t>(layer.out);
    layer.w = r.tensor(p + ".w", {in, o});
    if (L.at("bias").boolean()) layer.b = r.tensor(p + ".b", {o});
    if (L.at("idt").boolean()) layer.idt = r.tensor(p + ".idt", {o});
    out.layers.push_back(std::move(layer));
  }
  return out;
}

}  // namespace

void write_vdp(const std::string& path, const SeE2aModel& m) {
  const std::vector<Tensor> tensors = tensors_of(m);
  json header = json::object();
  std::uint64_t offset = 0;
  for (const Tensor& t : tensors) {
    const std::uint64_t bytes = 8 * static_cast<std::uint64_t>(t.data->size());
    header[t.name] = {{"dtype", "F64"}, {"shape", t.shape}, {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
  }
  header["__metadata__"] = {
      {"format", kFormat}, {"version", kVersion}, {"model", hyperparameters(m).dump()}};
  std::string text = header.dump();
  while (text.size() % 8 != 0) text += ' ';

  std::string out;
  out.reserve(8 + text.size() + offset);
  put_u64(out, text.size());
  out += text;
  for (const Tensor& t : tensors)
    for (double v : *t.data) {
      std::uint64_t bits;
      std::memcpy(&bits, &v, 8);
      put_u64(out, bits);
    }
  std::ofstream f(path, std::ios::binary);
  if (!f) throw InputError(path, 0, "cannot open the file for writing");
  f.write(out.data(), static_cast<std::streamsize>(out.size()));
  f.close();
  if (!f) throw InputError(path, 0, "writing the file failed");
}

SeE2aModel read_vdp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw InputError(path, 0, "cannot open the file");
  const std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  const auto* u = reinterpret_cast<const unsigned char*>(bytes.data());
  if (bytes.size() < 8)
    throw InputError(path, 0,
                     fmt::format("the file is truncated: it has {} bytes, a .vdp (safetensors) "
                                 "file starts with an 8-byte header length",
                                 bytes.size()));
  const std::uint64_t n = get_u64(u);
  if (n > kMaxHeader)
    throw InputError(path, 0,
                     fmt::format("not a .vdp (safetensors) file: its first 8 bytes give a header "
                                 "length of {} bytes",
                                 n));
  if (n > bytes.size() - 8)
    throw InputError(path, 0,
                     fmt::format("the file is truncated: the header alone is {} bytes, the file "
                                 "has {} after the length",
                                 n, bytes.size() - 8));
  json header;
  try {
    header = json::parse(bytes.begin() + 8, bytes.begin() + 8 + static_cast<std::ptrdiff_t>(n));
  } catch (const json::parse_error& e) {
    throw InputError(path, 0, std::string("the header is not valid JSON: ") + e.what());
  }
  if (!header.is_object()) throw InputError(path, 0, "the header is not a JSON object");
  const auto meta = header.find("__metadata__");
  if (meta == header.end() || !meta->is_object())
    throw InputError(path, 0,
                     "the safetensors header has no \"__metadata__\" (not a vitra model file)");
  const auto str_of = [&](const char* key) -> std::string {
    const auto it = meta->find(key);
    if (it == meta->end() || !it->is_string())
      throw InputError(path, 0, std::string("__metadata__.") + key + ": the key is missing");
    return it->get<std::string>();
  };
  if (const std::string fmt_name = str_of("format"); fmt_name != kFormat)
    throw InputError(path, 0,
                     fmt::format("__metadata__.format: \"{}\" is not supported (expected \"{}\", "
                                 "a vitra se_e2_a model)",
                                 fmt_name, kFormat));
  if (const std::string v = str_of("version"); v != kVersion)
    throw InputError(path, 0,
                     fmt::format("__metadata__.version: \"{}\" is not supported (this vitra reads "
                                 "version \"{}\")",
                                 v, kVersion));
  json hyper;
  try {
    hyper = json::parse(str_of("model"));
  } catch (const json::parse_error& e) {
    throw InputError(path, 0, std::string("__metadata__.model is not valid JSON: ") + e.what());
  }

  const Node h(hyper, "__metadata__.model", path);
  VdpReader r(path, header, u + 8 + n, bytes.size() - 8 - n);
  SeE2aModel m;
  m.type_map = h.at("type_map").str_list();
  m.rcut = h.at("rcut").number();
  m.rcut_smth = h.at("rcut_smth").number();
  m.env_protection = h.at("env_protection").number();
  m.sel = h.at("sel").int_list();
  m.neuron = h.at("neuron").int_list();
  m.axis_neuron = static_cast<int>(h.at("axis_neuron").integer());
  m.type_one_side = h.at("type_one_side").boolean();
  const Node ex = h.at("exclude_types");
  for (std::size_t i = 0; i < ex.size(); ++i) {
    const std::vector<int> p = ex.at(i).int_list();
    if (p.size() != 2) ex.at(i).fail("expected a pair of types, found " + ex.at(i).describe());
    m.exclude_types.emplace_back(p[0], p[1]);
  }
  m.atom_exclude_types = h.at("atom_exclude_types").int_list();
  {
    const Node p = h.at("precision");
    const std::string s = p.str();
    if (s == "float64") m.precision = Precision::Float64;
    else if (s == "float32") m.precision = Precision::Float32;
    else p.fail(p.describe() + " is not supported (expected \"float64\" or \"float32\")");
  }
  const std::size_t nt = m.type_map.size();
  if (m.sel.size() != nt)
    h.at("sel").fail(fmt::format("expected one entry per type ({}), found {}", nt, m.sel.size()));
  std::size_t nnei = 0;
  for (int s : m.sel) {
    if (s < 0) h.at("sel").fail("expected non-negative entries");
    nnei += static_cast<std::size_t>(s);
  }
  m.davg = r.tensor("descriptor.davg", {nt, nnei, 4});
  m.dstd = r.tensor("descriptor.dstd", {nt, nnei, 4});
  const Node emb = h.at("embeddings");
  for (std::size_t k = 0; k < emb.size(); ++k)
    m.embeddings.push_back(read_net_meta(emb.at(k), r, "embedding", k));
  const Node fit = h.at("fittings");
  for (std::size_t k = 0; k < fit.size(); ++k)
    m.fittings.push_back(read_net_meta(fit.at(k), r, "fitting", k));
  m.bias_atom_e = r.tensor("bias_atom_e", {nt});
  m.out_bias = r.tensor("out_bias", {nt});
  m.out_std = r.tensor("out_std", {nt});
  r.check_all_used();
  validate_model(m, path);
  return m;
}

}  // namespace vitra::model_io
