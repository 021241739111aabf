// The DeePMD-kit model dictionary <-> SeE2aModel (see model_dict.hpp).
//
// The dictionary is DeePMD-kit v3's dpmodel serialization of an EnergyModel
// (deepmd/dpmodel/atomic_model/dp_atomic_model.py, descriptor/se_e2_a.py,
// fitting/general_fitting.py, utils/network.py):
//   model: {type: "standard", type_map, atom_exclude_types, pair_exclude_types,
//           @variables: {out_bias (1, ntypes, 1), out_std (1, ntypes, 1)},
//           descriptor: {type: "se_e2_a", rcut, rcut_smth, sel, neuron, axis_neuron,
//                        type_one_side, exclude_types, env_protection, precision, ...,
//                        embeddings: NetworkCollection, @variables: {davg, dstd}},
//           fitting: {type: "ener", numb_fparam, numb_aparam, mixed_types, ...,
//                     nets: NetworkCollection, @variables: {bias_atom_e (ntypes, 1), ...}}}
//   NetworkCollection: {ndim, ntypes, network_type, networks: [net or null]}, net k
//     for the type tuple (t0, t1) at k = t0 + ntypes·t1.
//   net: {layers: [{@class: "Layer", activation_function, resnet,
//                   @variables: {w (in, out), b (out) | null, idt (out) | null}}]}
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <stdexcept>

#include "host/error.hpp"
#include "host/model/model_dict.hpp"
#include "host/version.hpp"

namespace vitra::model_io {

using deepmd::Activation;
using deepmd::DenseLayer;
using deepmd::DenseNet;
using deepmd::Precision;
using deepmd::SeE2aModel;

// ---------------------------------------------------------------- ndarrays

json make_ndarray(std::vector<double> data, const std::vector<std::size_t>& shape,
                  const std::string& dtype) {
  json j = json::object();
  j["@class"] = "np.ndarray";
  j["dtype"] = dtype;
  j["shape"] = shape;
  j["data"] = std::move(data);
  return j;
}

bool is_ndarray(const json& j) {
  if (!j.is_object()) return false;
  const auto c = j.find("@class");
  return c != j.end() && c->is_string() && c->get<std::string>() == "np.ndarray" &&
         j.contains("shape") && j.contains("data");
}

std::vector<std::size_t> ndarray_shape(const json& j) {
  return j.at("shape").get<std::vector<std::size_t>>();
}

std::string shape_string(const std::vector<std::size_t>& shape) {
  return "[" + fmt::format("{}", fmt::join(shape, ", ")) + "]";
}

std::string describe_json(const json& j) {
  switch (j.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return j.get<bool>() ? "true" : "false";
    case json::value_t::string:
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      return j.dump();
    case json::value_t::array:
      if (j.empty()) return "an empty list";
      return fmt::format("a list of {} item{}", j.size(), j.size() == 1 ? "" : "s");
    case json::value_t::object:
      if (is_ndarray(j)) return "an array of shape " + shape_string(ndarray_shape(j));
      return "a mapping";
    default:
      return "an unreadable value";
  }
}

// ---------------------------------------------------------------- Node

void Node::fail(const std::string& msg) const {
  throw InputError(*file_, 0, (path_.empty() ? std::string("the file") : path_) + ": " + msg);
}

std::string Node::describe() const { return describe_json(*j_); }

bool Node::has(const std::string& key) const {
  if (!j_->is_object()) return false;
  const auto it = j_->find(key);
  return it != j_->end() && !it->is_null();
}

Node Node::at(const std::string& key) const {
  if (!j_->is_object()) fail("expected a mapping, found " + describe());
  const auto it = j_->find(key);
  const std::string child = path_.empty() ? key : path_ + "." + key;
  if (it == j_->end()) throw InputError(*file_, 0, child + ": the key is missing");
  return Node(*it, child, *file_);
}

Node Node::at(std::size_t i) const {
  if (!j_->is_array()) fail("expected a list, found " + describe());
  if (i >= j_->size())
    fail(fmt::format("expected at least {} items, found {}", i + 1, j_->size()));
  return Node((*j_)[i], fmt::format("{}[{}]", path_, i), *file_);
}

std::size_t Node::size() const {
  if (!j_->is_array()) fail("expected a list, found " + describe());
  return j_->size();
}

double Node::number() const {
  if (!j_->is_number()) fail("expected a number, found " + describe());
  return j_->get<double>();
}

long long Node::integer() const {
  if (j_->is_number_integer() || j_->is_number_unsigned()) return j_->get<long long>();
  if (j_->is_number_float()) {
    const double v = j_->get<double>();
    if (std::isfinite(v) && v == std::floor(v) && std::abs(v) < 9e15)
      return static_cast<long long>(v);
  }
  fail("expected an integer, found " + describe());
}

bool Node::boolean() const {
  if (!j_->is_boolean()) fail("expected true or false, found " + describe());
  return j_->get<bool>();
}

std::string Node::str() const {
  if (!j_->is_string()) fail("expected a string, found " + describe());
  return j_->get<std::string>();
}

std::vector<int> Node::int_list() const {
  std::vector<int> out;
  const std::size_t n = size();
  for (std::size_t i = 0; i < n; ++i) {
    const Node e = at(i);
    const long long v = e.integer();
    if (v < -2147483647LL || v > 2147483647LL) e.fail("the integer is out of range");
    out.push_back(static_cast<int>(v));
  }
  return out;
}

std::vector<std::string> Node::str_list() const {
  std::vector<std::string> out;
  const std::size_t n = size();
  for (std::size_t i = 0; i < n; ++i) out.push_back(at(i).str());
  return out;
}

std::vector<double> Node::array(const std::vector<std::size_t>& shape,
                                const std::string& what) const {
  const std::string expected =
      "expected an array of shape " + shape_string(shape) + (what.empty() ? "" : " " + what);
  if (!is_ndarray(*j_)) fail(expected + ", found " + describe());
  std::vector<std::size_t> found;
  try {
    found = ndarray_shape(*j_);
  } catch (const std::exception&) {
    fail("the array has a malformed shape");
  }
  if (found != shape) fail(expected + ", found shape " + shape_string(found));
  const json& data = j_->at("data");
  std::size_t n = 1;
  for (std::size_t s : shape) n *= s;
  if (!data.is_array() || data.size() != n)
    fail(fmt::format("the array of shape {} holds {} numbers", shape_string(shape),
                     data.is_array() ? data.size() : 0));
  std::vector<double> out;
  out.reserve(n);
  for (const json& v : data) {
    if (!v.is_number()) fail("the array holds " + describe_json(v) + ", expected numbers");
    out.push_back(v.get<double>());
  }
  return out;
}

// ---------------------------------------------------------------- helpers

std::string precision_name(Precision p) { return p == Precision::Float32 ? "float32" : "float64"; }

void validate_model(const SeE2aModel& model, const std::string& file) {
  try {
    model.validate();
  } catch (const std::invalid_argument& e) {
    throw InputError(file, 0, std::string("inconsistent model: ") + e.what());
  }
}

namespace {

const char* kSupported = "(vitra reads se_e2_a energy models)";

// parent.precision: "float64", "double", "default" (or absent) -> Float64;
// "float32", "single" -> Float32.
Precision parse_precision(const Node& parent) {
  if (!parent.has("precision")) return Precision::Float64;
  const Node n = parent.at("precision");
  const std::string s = n.str();
  if (s == "float64" || s == "double" || s == "default") return Precision::Float64;
  if (s == "float32" || s == "single") return Precision::Float32;
  n.fail(n.describe() + " is not supported (expected float64 or float32)");
}

// Versions newer than the ones this reader was written against.
void check_version(const Node& parent, int newest) {
  if (!parent.has("@version")) return;
  const Node v = parent.at("@version");
  if (v.integer() > newest)
    v.fail(fmt::format("version {} is newer than the ones vitra reads (up to {})", v.integer(),
                       newest));
}

// The n elements of a 1-D variable stored as (n), (1, n) or (n, 1).
std::vector<double> vector_array(const Node& n, std::size_t len) {
  std::vector<std::size_t> shape{len};
  if (is_ndarray(n.j())) {
    const auto s = ndarray_shape(n.j());
    if (s.size() == 2 && ((s[0] == 1 && s[1] == len) || (s[0] == len && s[1] == 1))) shape = s;
  }
  return n.array(shape, "(out)");
}

DenseLayer read_layer(const Node& L) {
  if (L.has("@class") && L.at("@class").str() != "Layer")
    L.at("@class").fail(L.at("@class").describe() +
                        " is not supported (vitra reads dense layers, class \"Layer\")");
  check_version(L, 2);
  const Node vars = L.at("@variables");
  const Node w = vars.at("w");
  if (!is_ndarray(w.j())) w.fail("expected an array of shape [in, out], found " + w.describe());
  const auto ws = ndarray_shape(w.j());
  if (ws.size() != 2 || ws[0] == 0 || ws[1] == 0)
    w.fail("expected an array of shape [in, out], found shape " + shape_string(ws));
  DenseLayer layer;
  layer.in = static_cast<int>(ws[0]);
  layer.out = static_cast<int>(ws[1]);
  layer.w = w.array(ws);
  if (vars.has("b")) layer.b = vector_array(vars.at("b"), ws[1]);
  if (vars.has("idt")) layer.idt = vector_array(vars.at("idt"), ws[1]);
  layer.resnet = L.has("resnet") ? L.at("resnet").boolean() : false;
  std::string act = "none";
  if (L.has("activation_function")) act = L.at("activation_function").str();
  if (!deepmd::parse_activation(act, layer.activation))
    L.at("activation_function")
        .fail(fmt::format("\"{}\" is not supported (vitra knows tanh, relu, relu6, softplus, "
                          "sigmoid, silu, gelu, gelu_tf, linear and none)",
                          act));
  return layer;
}

DenseNet read_net(const Node& net) {
  if (!net.j().is_object()) net.fail("expected a network (a mapping), found " + net.describe());
  DenseNet out;
  const Node layers = net.at("layers");
  const std::size_t n = layers.size();
  if (n == 0) layers.fail("the network has no layers");
  for (std::size_t l = 0; l < n; ++l) out.layers.push_back(read_layer(layers.at(l)));
  for (std::size_t l = 1; l < n; ++l)
    if (out.layers[l].in != out.layers[l - 1].out)
      layers.at(l).at("@variables").at("w").fail(fmt::format(
          "the layer takes {} inputs and the layer before gives {} outputs", out.layers[l].in,
          out.layers[l - 1].out));
  return out;
}

// A NetworkCollection of ntypes^ndim nets; null entries become empty nets.
std::vector<DenseNet> read_collection(const Node& c, int ntypes, int ndim, bool allow_null,
                                      const std::string& ndim_meaning) {
  if (c.has("ndim")) {
    const Node nd = c.at("ndim");
    if (nd.integer() != ndim)
      nd.fail(fmt::format("found {}, expected {} ({})", nd.integer(), ndim, ndim_meaning));
  }
  if (c.has("ntypes") && c.at("ntypes").integer() != ntypes)
    c.at("ntypes").fail(fmt::format("found {}, expected {} (the types of the type map)",
                                    c.at("ntypes").integer(), ntypes));
  const Node nets = c.at("networks");
  std::size_t expected = 1;
  for (int i = 0; i < ndim; ++i) expected *= static_cast<std::size_t>(ntypes);
  if (nets.size() != expected)
    nets.fail(fmt::format("expected {} networks ({}), found {}", expected, ndim_meaning,
                          nets.size()));
  std::vector<DenseNet> out;
  for (std::size_t k = 0; k < expected; ++k) {
    const Node net = nets.at(k);
    if (net.is_null()) {
      if (!allow_null) net.fail("the network is missing (null)");
      out.emplace_back();
    } else {
      out.push_back(read_net(net));
    }
  }
  return out;
}

void check_not_spin(const Node& parent) {
  if (parent.has("spin"))
    parent.at("spin").fail("spin models are not supported, found " +
                           parent.at("spin").describe() + " (expected null)");
}

int optional_int(const Node& parent, const std::string& key, int dflt) {
  return parent.has(key) ? static_cast<int>(parent.at(key).integer()) : dflt;
}

}  // namespace

// ---------------------------------------------------------------- dict -> model

SeE2aModel model_from_dict(const json& root_json, const std::string& file) {
  const Node root(root_json, "", file);
  if (!root_json.is_object())
    root.fail("expected a DeePMD-kit model dictionary (a mapping with the key \"model\"), found " +
              root.describe());
  const Node model = root.at("model");
  if (!model.j().is_object()) model.fail("expected a mapping, found " + model.describe());

  // Model kind: only the standard DP model (descriptor + fitting).
  if (model.has("type")) {
    const Node t = model.at("type");
    if (t.str() != "standard")
      t.fail(t.describe() +
             " is not supported (vitra reads standard se_e2_a energy models; ZBL, linear, "
             "pair-table and spin models are not)");
  }
  check_version(model, 2);

  SeE2aModel m;
  m.type_map = model.at("type_map").str_list();
  const int nt = m.ntypes();
  if (nt == 0) model.at("type_map").fail("the type map is empty");

  // ---- descriptor
  const Node d = model.at("descriptor");
  {
    const Node t = d.at("type");
    const std::string type = t.str();
    if (type != "se_e2_a" && type != "se_a") t.fail(t.describe() + " is not supported " + kSupported);
  }
  if (d.has("compress"))
    d.at("compress").fail(
        "compressed descriptors (tabulated embedding nets, descriptor @version 3) are not "
        "supported; give vitra the model before `dp compress`");
  check_version(d, 3);
  check_not_spin(d);
  if (d.has("env_mat") && d.at("env_mat").has("use_exp_switch") &&
      d.at("env_mat").at("use_exp_switch").boolean())
    d.at("env_mat").at("use_exp_switch").fail(
        "true (the exponential switch function) is not supported; vitra implements the "
        "standard smooth switch (expected false)");
  if (d.has("type_embedding") || d.has("tebd_dim"))
    d.fail("type embedding is not supported " + std::string(kSupported));

  m.rcut = d.at("rcut").number();
  m.rcut_smth = d.at("rcut_smth").number();
  m.env_protection = d.has("env_protection") ? d.at("env_protection").number() : 0.0;
  m.sel = d.at("sel").int_list();
  if (static_cast<int>(m.sel.size()) != nt)
    d.at("sel").fail(fmt::format("expected one entry per type of the type map ({}), found {}",
                                 nt, m.sel.size()));
  for (int s : m.sel)
    if (s < 0) d.at("sel").fail("expected non-negative entries");
  m.neuron = d.at("neuron").int_list();
  if (m.neuron.empty()) d.at("neuron").fail("the embedding net has no layers");
  m.axis_neuron = static_cast<int>(d.at("axis_neuron").integer());
  m.type_one_side = d.at("type_one_side").boolean();
  if (d.has("exclude_types")) {
    const Node ex = d.at("exclude_types");
    for (std::size_t i = 0; i < ex.size(); ++i) {
      const Node p = ex.at(i);
      const std::vector<int> pair = p.int_list();
      if (pair.size() != 2) p.fail("expected a pair of types, found " + p.describe());
      for (int t : pair)
        if (t < 0 || t >= nt)
          p.fail(fmt::format("type {} is outside the type map (0..{})", t, nt - 1));
      m.exclude_types.emplace_back(pair[0], pair[1]);
    }
  }
  const Precision dprec = parse_precision(d);
  m.precision = dprec;

  const std::size_t nnei = static_cast<std::size_t>(m.nnei());
  const Node dvars = d.at("@variables");
  m.davg = dvars.at("davg").array({static_cast<std::size_t>(nt), nnei, 4}, "(ntypes, nnei, 4)");
  m.dstd = dvars.at("dstd").array({static_cast<std::size_t>(nt), nnei, 4}, "(ntypes, nnei, 4)");

  {
    const Node emb = d.at("embeddings");
    if (emb.has("ndim") && emb.at("ndim").integer() == 0)
      emb.at("ndim").fail(
          "0 (one embedding net shared by all types, as with type embedding) is not supported " +
          std::string(kSupported));
    m.embeddings =
        read_collection(emb, nt, m.type_one_side ? 1 : 2, !m.type_one_side,
                        m.type_one_side ? "one per neighbor type, type_one_side = true"
                                        : "one per pair of types, type_one_side = false");
  }

  // ---- fitting
  const Node f = model.at("fitting");
  {
    const Node t = f.at("type");
    if (t.str() != "ener")
      t.fail(t.describe() + " is not supported (vitra reads energy models, fitting type \"ener\")");
  }
  check_version(f, 4);
  check_not_spin(f);
  if (f.has("var_name") && f.at("var_name").str() != "energy")
    f.at("var_name").fail(f.at("var_name").describe() + " is not supported (expected \"energy\")");
  if (const int n = optional_int(f, "numb_fparam", 0); n != 0)
    f.at("numb_fparam").fail(fmt::format("frame parameters (numb_fparam = {}) are not supported "
                                         "(expected 0)", n));
  if (const int n = optional_int(f, "numb_aparam", 0); n != 0)
    f.at("numb_aparam").fail(fmt::format("atomic parameters (numb_aparam = {}) are not supported "
                                         "(expected 0)", n));
  if (const int n = optional_int(f, "dim_case_embd", 0); n != 0)
    f.at("dim_case_embd").fail(fmt::format("case embedding (dim_case_embd = {}) is not supported "
                                           "(expected 0)", n));
  if (f.has("mixed_types") && f.at("mixed_types").boolean())
    f.at("mixed_types").fail("true (one fitting net shared by all types, with type embedding) "
                             "is not supported (expected false)");
  if (const int n = optional_int(f, "dim_out", 1); n != 1)
    f.at("dim_out").fail(fmt::format("{} outputs per atom are not supported (expected 1, the "
                                     "atomic energy)", n));
  if (f.has("atom_ener")) {
    const Node ae = f.at("atom_ener");
    bool set = !ae.j().is_array();
    if (ae.j().is_array())
      for (const json& v : ae.j()) set = set || !v.is_null();
    if (set)
      ae.fail("fixed atomic energies are not supported, found " + ae.describe() +
              " (expected null or an empty list)");
  }
  const Precision fprec = parse_precision(f);
  if (fprec != dprec)
    (f.has("precision") ? f.at("precision") : f).fail(fmt::format(
        "\"{}\" differs from model.descriptor.precision \"{}\" (vitra runs a model in one "
        "precision)",
        precision_name(fprec), precision_name(dprec)));
  {
    const Node nets = f.at("nets");
    if (nets.has("ndim") && nets.at("ndim").integer() == 0)
      nets.at("ndim").fail("0 (one fitting net shared by all types, mixed_types) is not supported "
                           "(expected 1)");
    m.fittings = read_collection(nets, nt, 1, false, "one per atom type");
  }
  m.bias_atom_e =
      f.at("@variables").at("bias_atom_e").array({static_cast<std::size_t>(nt), 1}, "(ntypes, 1)");
  // fitting.exclude_types is not read: DPAtomicModel overwrites it with the
  // model's atom_exclude_types when it is built.

  // ---- model level
  if (model.has("atom_exclude_types")) {
    const Node ax = model.at("atom_exclude_types");
    m.atom_exclude_types = ax.int_list();
    for (int t : m.atom_exclude_types)
      if (t < 0 || t >= nt)
        ax.fail(fmt::format("type {} is outside the type map (0..{})", t, nt - 1));
  }
  if (model.has("pair_exclude_types")) {
    const Node px = model.at("pair_exclude_types");
    if (px.size() != 0)
      px.fail(fmt::format("model-level pair exclusion is not supported, found {} (expected an "
                          "empty list; model.descriptor.exclude_types is supported)",
                          px.describe()));
  }
  const Node mvars = model.at("@variables");
  m.out_bias = mvars.at("out_bias").array({1, static_cast<std::size_t>(nt), 1}, "(1, ntypes, 1)");
  m.out_std = mvars.at("out_std").array({1, static_cast<std::size_t>(nt), 1}, "(1, ntypes, 1)");

  validate_model(m, file);
  return m;
}

// ---------------------------------------------------------------- model -> dict

namespace {

std::vector<double> in_precision(const std::vector<double>& v, Precision p) {
  if (p == Precision::Float64) return v;
  std::vector<double> out(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) out[i] = static_cast<double>(static_cast<float>(v[i]));
  return out;
}

json layer_dict(const DenseLayer& L, Precision p) {
  const std::string dtype = precision_name(p);
  const std::size_t in = static_cast<std::size_t>(L.in), out = static_cast<std::size_t>(L.out);
  json vars = json::object();
  vars["w"] = make_ndarray(in_precision(L.w, p), {in, out}, dtype);
  vars["b"] = L.b.empty() ? json() : make_ndarray(in_precision(L.b, p), {out}, dtype);
  vars["idt"] = L.idt.empty() ? json() : make_ndarray(in_precision(L.idt, p), {out}, dtype);
  return json{{"@class", "Layer"},
              {"@version", 2},
              {"bias", !L.b.empty()},
              {"use_timestep", !L.idt.empty()},
              {"activation_function", deepmd::activation_name(L.activation)},
              {"resnet", L.resnet},
              {"precision", dtype},
              {"trainable", true},
              {"@variables", vars}};
}

bool any_idt(const DenseNet& net) {
  for (const DenseLayer& L : net.layers)
    if (!L.idt.empty()) return true;
  return false;
}

bool all_bias(const DenseNet& net) {
  for (const DenseLayer& L : net.layers)
    if (L.b.empty()) return false;
  return true;
}

json layers_dict(const DenseNet& net, Precision p) {
  json layers = json::array();
  for (const DenseLayer& L : net.layers) layers.push_back(layer_dict(L, p));
  return layers;
}

json embedding_dict(const DenseNet& net, Precision p) {
  std::vector<int> neuron;
  for (const DenseLayer& L : net.layers) neuron.push_back(L.out);
  return json{{"@class", "EmbeddingNetwork"},
              {"@version", 2},
              {"in_dim", net.in()},
              {"neuron", neuron},
              {"activation_function", deepmd::activation_name(net.layers.front().activation)},
              {"resnet_dt", any_idt(net)},
              {"bias", all_bias(net)},
              {"precision", precision_name(p)},
              {"layers", layers_dict(net, p)}};
}

json fitting_net_dict(const DenseNet& net, Precision p) {
  std::vector<int> neuron;
  for (std::size_t l = 0; l + 1 < net.layers.size(); ++l) neuron.push_back(net.layers[l].out);
  const Activation act =
      net.layers.size() > 1 ? net.layers.front().activation : Activation::Tanh;
  return json{{"@class", "FittingNetwork"},
              {"@version", 1},
              {"in_dim", net.in()},
              {"out_dim", net.out()},
              {"neuron", neuron},
              {"activation_function", deepmd::activation_name(act)},
              {"resnet_dt", any_idt(net)},
              {"precision", precision_name(p)},
              {"bias_out", !net.layers.back().b.empty()},
              {"layers", layers_dict(net, p)}};
}

// DeePMD-kit evaluates every embedding net, also those of excluded pairs (their
// input is masked to zero), so an empty net is written as a net of zeros shaped
// like the first non-empty one, as DeePMD-kit's own serialize() does.
DenseNet zero_net_like(const std::vector<DenseNet>& nets) {
  for (const DenseNet& net : nets) {
    if (net.empty()) continue;
    DenseNet z = net;
    for (DenseLayer& L : z.layers) {
      std::fill(L.w.begin(), L.w.end(), 0.0);
      std::fill(L.b.begin(), L.b.end(), 0.0);
      std::fill(L.idt.begin(), L.idt.end(), 0.0);
    }
    return z;
  }
  return DenseNet{};
}

std::string utc_now() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const long us = static_cast<long>(
      std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() %
      1000000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return fmt::format("{}.{:06d}+00:00", buf, us);
}

}  // namespace

json dict_from_model(const SeE2aModel& m) {
  const Precision p = m.precision;
  const std::string dtype = precision_name(p);
  const std::size_t nt = static_cast<std::size_t>(m.ntypes());
  const std::size_t nnei = static_cast<std::size_t>(m.nnei());

  json exclude = json::array();
  for (const auto& e : m.exclude_types) exclude.push_back(json::array({e.first, e.second}));

  const DenseNet zero = zero_net_like(m.embeddings);
  if (zero.empty())
    throw InputError("the model has no embedding net with layers; DeePMD-kit cannot hold it");
  json emb_nets = json::array();
  for (const DenseNet& net : m.embeddings)
    emb_nets.push_back(embedding_dict(net.empty() ? zero : net, p));
  // `zero` has the layer structure of every embedding net.
  const Activation emb_act = zero.layers.front().activation;
  bool emb_resnet_dt = false;
  for (const DenseNet& net : m.embeddings) emb_resnet_dt = emb_resnet_dt || any_idt(net);

  json descriptor = {
      {"@class", "Descriptor"},
      {"type", "se_e2_a"},
      {"@version", 2},
      {"rcut", m.rcut},
      {"rcut_smth", m.rcut_smth},
      {"sel", m.sel},
      {"neuron", m.neuron},
      {"axis_neuron", m.axis_neuron},
      {"resnet_dt", emb_resnet_dt},
      {"trainable", true},
      {"type_one_side", m.type_one_side},
      {"exclude_types", exclude},
      {"env_protection", m.env_protection},
      {"set_davg_zero", false},
      {"activation_function", deepmd::activation_name(emb_act)},
      {"precision", dtype},
      {"spin", nullptr},
      {"env_mat",
       {{"rcut", m.rcut},
        {"rcut_smth", m.rcut_smth},
        {"protection", m.env_protection},
        {"use_exp_switch", false}}},
      {"embeddings",
       {{"@class", "NetworkCollection"},
        {"@version", 1},
        {"ndim", m.type_one_side ? 1 : 2},
        {"ntypes", nt},
        {"network_type", "embedding_network"},
        {"networks", emb_nets}}},
      {"@variables",
       {{"davg", make_ndarray(in_precision(m.davg, p), {nt, nnei, 4}, dtype)},
        {"dstd", make_ndarray(in_precision(m.dstd, p), {nt, nnei, 4}, dtype)}}},
      {"type_map", m.type_map}};

  json fit_nets = json::array();
  for (const DenseNet& net : m.fittings) fit_nets.push_back(fitting_net_dict(net, p));
  const DenseNet& fit0 = m.fittings.front();
  std::vector<int> fit_neuron;
  for (std::size_t l = 0; l + 1 < fit0.layers.size(); ++l) fit_neuron.push_back(fit0.layers[l].out);
  bool fit_resnet_dt = false;
  for (const DenseNet& net : m.fittings) fit_resnet_dt = fit_resnet_dt || any_idt(net);
  const Activation fit_act = fit0.layers.size() > 1 ? fit0.layers.front().activation : Activation::Tanh;

  json fitting = {
      {"@class", "Fitting"},
      {"type", "ener"},
      {"@version", 4},
      {"var_name", "energy"},
      {"ntypes", nt},
      {"dim_descrpt", m.descriptor_size()},
      {"dim_out", 1},
      {"neuron", fit_neuron},
      {"resnet_dt", fit_resnet_dt},
      {"numb_fparam", 0},
      {"numb_aparam", 0},
      {"dim_case_embd", 0},
      {"default_fparam", nullptr},
      {"rcond", nullptr},
      {"activation_function", deepmd::activation_name(fit_act)},
      {"precision", dtype},
      {"mixed_types", false},
      {"exclude_types", m.atom_exclude_types},
      {"atom_ener", nullptr},
      {"nets",
       {{"@class", "NetworkCollection"},
        {"@version", 1},
        {"ndim", 1},
        {"ntypes", nt},
        {"network_type", "fitting_network"},
        {"networks", fit_nets}}},
      {"@variables",
       {{"bias_atom_e", make_ndarray(m.bias_atom_e, {nt, 1})},
        {"case_embd", nullptr},
        {"fparam_avg", nullptr},
        {"fparam_inv_std", nullptr},
        {"aparam_avg", nullptr},
        {"aparam_inv_std", nullptr}}},
      {"type_map", m.type_map},
      {"tot_ener_zero", false},
      {"trainable", std::vector<bool>(fit0.layers.size(), true)},
      {"layer_name", nullptr},
      {"use_aparam_as_mask", false},
      {"spin", nullptr}};

  json model = {
      {"@class", "Model"},
      {"type", "standard"},
      {"@version", 2},
      {"type_map", m.type_map},
      {"atom_exclude_types", m.atom_exclude_types},
      {"pair_exclude_types", json::array()},
      {"rcond", nullptr},
      {"preset_out_bias", nullptr},
      {"@variables",
       {{"out_bias", make_ndarray(m.out_bias, {1, nt, 1})},
        {"out_std", make_ndarray(m.out_std, {1, nt, 1})}}},
      {"descriptor", descriptor},
      {"fitting", fitting}};

  // The input script DeePMD-kit would have been trained with, for tools that
  // read it (dp show); the model itself is complete without it.
  json script_descriptor = {{"type", "se_e2_a"},
                            {"sel", m.sel},
                            {"rcut", m.rcut},
                            {"rcut_smth", m.rcut_smth},
                            {"neuron", m.neuron},
                            {"axis_neuron", m.axis_neuron},
                            {"resnet_dt", emb_resnet_dt},
                            {"type_one_side", m.type_one_side},
                            {"exclude_types", exclude},
                            {"activation_function", deepmd::activation_name(emb_act)},
                            {"precision", dtype}};
  json script_fitting = {{"type", "ener"},
                         {"neuron", fit_neuron},
                         {"resnet_dt", fit_resnet_dt},
                         {"activation_function", deepmd::activation_name(fit_act)},
                         {"precision", dtype}};
  json script = {{"type_map", m.type_map},
                 {"descriptor", script_descriptor},
                 {"fitting_net", script_fitting}};
  if (!m.atom_exclude_types.empty()) script["atom_exclude_types"] = m.atom_exclude_types;

  return json{{"backend", "dpmodel"},
              {"software", "vitra"},
              {"version", VITRA_VERSION},
              {"time", utc_now()},
              {"model_def_script", script},
              {"model", model}};
}

}  // namespace vitra::model_io
