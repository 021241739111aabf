// se_e2_a model files (host/model/deepmd_model_io.hpp): DeePMD-kit's own
// deeppot_sea.yaml read against numbers taken from the file, round trips
// .yaml -> .vdp -> .yaml -> .dp that give back the very same model (every
// array bit for bit), random models of several shapes, and the error messages
// for unsupported and malformed files (file name, key path, found, expected).
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "host/error.hpp"
#include "host/model/deepmd_model_io.hpp"
#include "host/model/model_dict.hpp"
#include "tests/common/random_se_e2_a.hpp"
#include "tests/common/seed.hpp"
#include "tests/common/temp_dir.hpp"

using namespace vitra;
using deepmd::Activation;
using deepmd::DenseNet;
using deepmd::Precision;
using deepmd::SeE2aModel;
using model_io::json;
using test::TempDir;
namespace fs = std::filesystem;

namespace {

const std::string kFixture = std::string(VITRA_SHARED_DIR) + "/data/deepmd-fixtures/deeppot_sea.yaml";

// Bitwise equality of two arrays of doubles (so that -0.0 != 0.0 and NaN == NaN).
::testing::AssertionResult same_bits(const std::vector<double>& a, const std::vector<double>& b,
                                     const std::string& what) {
  if (a.size() != b.size())
    return ::testing::AssertionFailure() << what << ": " << a.size() << " vs " << b.size() << " numbers";
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::memcmp(&a[i], &b[i], sizeof(double)) != 0)
      return ::testing::AssertionFailure() << what << "[" << i << "]: " << a[i] << " vs " << b[i];
  return ::testing::AssertionSuccess();
}

void expect_same_nets(const std::vector<DenseNet>& a, const std::vector<DenseNet>& b,
                      const std::string& what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (std::size_t k = 0; k < a.size(); ++k) {
    ASSERT_EQ(a[k].layers.size(), b[k].layers.size()) << what << " " << k;
    for (std::size_t l = 0; l < a[k].layers.size(); ++l) {
      const auto& x = a[k].layers[l];
      const auto& y = b[k].layers[l];
      const std::string w = what + " " + std::to_string(k) + " layer " + std::to_string(l);
      EXPECT_EQ(x.in, y.in) << w;
      EXPECT_EQ(x.out, y.out) << w;
      EXPECT_EQ(x.resnet, y.resnet) << w;
      EXPECT_EQ(x.activation, y.activation) << w;
      EXPECT_TRUE(same_bits(x.w, y.w, w + " w"));
      EXPECT_TRUE(same_bits(x.b, y.b, w + " b"));
      EXPECT_TRUE(same_bits(x.idt, y.idt, w + " idt"));
    }
  }
}

void expect_same_model(const SeE2aModel& a, const SeE2aModel& b) {
  EXPECT_EQ(a.type_map, b.type_map);
  EXPECT_TRUE(same_bits({a.rcut, a.rcut_smth, a.env_protection},
                        {b.rcut, b.rcut_smth, b.env_protection}, "rcut, rcut_smth, env_protection"));
  EXPECT_EQ(a.sel, b.sel);
  EXPECT_EQ(a.neuron, b.neuron);
  EXPECT_EQ(a.axis_neuron, b.axis_neuron);
  EXPECT_EQ(a.type_one_side, b.type_one_side);
  EXPECT_EQ(a.exclude_types, b.exclude_types);
  EXPECT_EQ(a.atom_exclude_types, b.atom_exclude_types);
  EXPECT_EQ(a.precision, b.precision);
  EXPECT_TRUE(same_bits(a.davg, b.davg, "davg"));
  EXPECT_TRUE(same_bits(a.dstd, b.dstd, "dstd"));
  expect_same_nets(a.embeddings, b.embeddings, "embedding");
  expect_same_nets(a.fittings, b.fittings, "fitting");
  EXPECT_TRUE(same_bits(a.bias_atom_e, b.bias_atom_e, "bias_atom_e"));
  EXPECT_TRUE(same_bits(a.out_bias, b.out_bias, "out_bias"));
  EXPECT_TRUE(same_bits(a.out_std, b.out_std, "out_std"));
}

// Writes `model` as `name` in `dir`, reads it back and compares.
SeE2aModel round_trip(const SeE2aModel& model, const TempDir& dir, const std::string& name) {
  const std::string path = dir.file(name);
  write_model(path, model);
  return read_model(path);
}

// The message of the InputError that reading `path` throws ("" if none).
std::string read_error(const std::string& path) {
  try {
    read_model(path);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

SeE2aModel small_model(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  test::SeE2aShape s;
  s.sel = {6, 8};
  s.neuron = {4, 8};
  s.fitting = {5, 5};
  s.axis_neuron = 2;
  return test::random_se_e2_a(rng, s);
}

}  // namespace

// ---------------------------------------------------------------- DeePMD-kit's fixture

TEST(ModelIo, ReadsDeepmdFixture) {
  if (!fs::exists(kFixture)) GTEST_SKIP() << kFixture << " is absent";
  const SeE2aModel m = read_model(kFixture);
  EXPECT_EQ(m.type_map, (std::vector<std::string>{"O", "H"}));
  EXPECT_EQ(m.rcut, 6.0);
  EXPECT_EQ(m.rcut_smth, 0.5);
  EXPECT_EQ(m.env_protection, 0.0);
  EXPECT_EQ(m.sel, (std::vector<int>{46, 92}));
  EXPECT_EQ(m.nnei(), 138);
  EXPECT_EQ(m.neuron, (std::vector<int>{3, 6, 12}));
  EXPECT_EQ(m.axis_neuron, 2);
  EXPECT_TRUE(m.type_one_side);
  EXPECT_TRUE(m.exclude_types.empty());
  EXPECT_TRUE(m.atom_exclude_types.empty());
  EXPECT_EQ(m.precision, Precision::Float64);
  EXPECT_EQ(m.descriptor_size(), 24);

  // Embedding nets: one per neighbor type, 1 -> 3 -> 6 -> 12, tanh, resnet_dt false.
  ASSERT_EQ(m.embeddings.size(), 2u);
  for (const DenseNet& net : m.embeddings) {
    ASSERT_EQ(net.layers.size(), 3u);
    for (std::size_t l = 0; l < 3; ++l) {
      EXPECT_EQ(net.layers[l].out, m.neuron[l]);
      EXPECT_EQ(net.layers[l].activation, Activation::Tanh);
      EXPECT_TRUE(net.layers[l].resnet);
      EXPECT_TRUE(net.layers[l].idt.empty());
      EXPECT_EQ(net.layers[l].b.size(), static_cast<std::size_t>(m.neuron[l]));
    }
  }
  // Fitting nets: 24 -> 10 -> 10 -> 10 -> 1 with resnet_dt (a timestep on the
  // 10 -> 10 layers, where the shortcut applies), the last layer linear.
  ASSERT_EQ(m.fittings.size(), 2u);
  for (const DenseNet& net : m.fittings) {
    ASSERT_EQ(net.layers.size(), 4u);
    const int outs[] = {10, 10, 10, 1};
    for (std::size_t l = 0; l < 4; ++l) EXPECT_EQ(net.layers[l].out, outs[l]);
    EXPECT_EQ(net.layers[0].in, 24);
    EXPECT_TRUE(net.layers[0].idt.empty());
    EXPECT_EQ(net.layers[1].idt.size(), 10u);
    EXPECT_EQ(net.layers[2].idt.size(), 10u);
    EXPECT_TRUE(net.layers[3].idt.empty());
    EXPECT_EQ(net.layers[3].activation, Activation::Linear);
    EXPECT_FALSE(net.layers[3].resnet);
    EXPECT_EQ(net.layers[2].activation, Activation::Tanh);
  }

  // Numbers as DeePMD-kit's load_dp_model reads them from the file.
  const std::size_t nnei = 138;
  EXPECT_EQ(m.davg[(1 * nnei + 5) * 4 + 0], 0.04810435854572292);
  EXPECT_EQ(m.dstd[0], 0.13983584883542127);
  EXPECT_EQ(m.dstd[1], 0.08580324224912261);
  EXPECT_EQ(m.embeddings[0].layers[0].b[0], -0.9135780953141011);
  EXPECT_EQ(m.embeddings[1].layers[2].w[5 * 12 + 11], -0.6940203486091138);
  EXPECT_EQ(m.embeddings[1].layers[2].b[0], 0.3691793459040411);
  EXPECT_EQ(m.fittings[1].layers[0].w[23 * 10 + 9], 0.28580886098129543);
  EXPECT_EQ(m.fittings[1].layers[1].idt[3], 0.08985530004808084);
  EXPECT_EQ(m.fittings[1].layers[3].b[0], 1.1981756305945983);
  EXPECT_EQ(m.bias_atom_e, (std::vector<double>{-93.57372029622398, -187.14744059244796}));
  EXPECT_EQ(m.out_bias, (std::vector<double>{0.0, 0.0}));
  EXPECT_EQ(m.out_std, (std::vector<double>{1.0, 1.0}));
}

TEST(ModelIo, FixtureRoundTripsThroughEveryFormat) {
  if (!fs::exists(kFixture)) GTEST_SKIP() << kFixture << " is absent";
  TempDir dir;
  const SeE2aModel m = read_model(kFixture);
  const SeE2aModel v = round_trip(m, dir, "m.vdp");
  expect_same_model(m, v);
  const SeE2aModel y = round_trip(v, dir, "m.yaml");
  expect_same_model(m, y);
  const SeE2aModel y2 = round_trip(y, dir, "m.yml");
  expect_same_model(m, y2);
  if (hdf5_available()) {
    const SeE2aModel d = round_trip(y, dir, "m.dp");
    expect_same_model(m, d);
  }
}

// ---------------------------------------------------------------- random models

struct Config {
  const char* name;
  bool type_one_side;
  int ntypes;
  std::vector<std::pair<int, int>> exclude;
  std::vector<int> atom_exclude;
  bool resnet_dt;
  Activation act;
  Precision precision;
};

class ModelIoRandom : public ::testing::TestWithParam<Config> {};

TEST_P(ModelIoRandom, RoundTripsBitExact) {
  const Config& c = GetParam();
  const std::uint64_t seed = test::fresh_seed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  test::SeE2aShape s;
  const char* names[] = {"O", "B", "Li", "Si"};
  s.type_map.assign(names, names + c.ntypes);
  s.sel.assign(c.ntypes, 5);
  s.neuron = {2, 4, 8};  // 1 -> 2 uses (x, x), 4 -> 8 too
  s.fitting = {6, 6};
  s.axis_neuron = 3;
  s.type_one_side = c.type_one_side;
  s.exclude_types = c.exclude;
  s.atom_exclude_types = c.atom_exclude;
  s.resnet_dt = c.resnet_dt;
  s.activation = c.act;
  s.precision = c.precision;
  SeE2aModel m = test::random_se_e2_a(rng, s);
  m.env_protection = 1e-3;
  if (c.precision == Precision::Float32) {
    // A float32 model's weights are float32 numbers in DeePMD-kit's files.
    auto round = [](std::vector<double>& v) {
      for (double& x : v) x = static_cast<float>(x);
    };
    round(m.davg);
    round(m.dstd);
    for (auto* nets : {&m.embeddings, &m.fittings})
      for (DenseNet& net : *nets)
        for (auto& L : net.layers) {
          round(L.w);
          round(L.b);
          round(L.idt);
        }
  }
  TempDir dir;
  expect_same_model(m, round_trip(m, dir, "m.vdp"));
  expect_same_model(m, round_trip(m, dir, "m.yaml"));
  if (hdf5_available()) expect_same_model(m, round_trip(m, dir, "m.dp"));
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, ModelIoRandom,
    ::testing::Values(
        Config{"one_side", true, 2, {}, {}, true, Activation::Tanh, Precision::Float64},
        Config{"pairs", false, 2, {}, {}, true, Activation::Tanh, Precision::Float64},
        Config{"pairs_excluded", false, 3, {{0, 1}, {2, 2}}, {1}, false, Activation::Gelu,
               Precision::Float64},
        Config{"four_types", false, 4, {{1, 3}}, {}, true, Activation::Relu, Precision::Float64},
        Config{"one_side_float32", true, 4, {{0, 0}}, {2}, true, Activation::Silu,
               Precision::Float32}),
    [](const ::testing::TestParamInfo<Config>& i) { return std::string(i.param.name); });

TEST(ModelIo, EmptyEmbeddingNetsOfExcludedPairs) {
  // An excluded pair may have no embedding net: .vdp keeps it empty, the
  // DeePMD-kit formats write a net of zeros shaped like the others (DeePMD-kit
  // evaluates every net, also those whose input it masks to zero).
  const std::uint64_t seed = test::fresh_seed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  test::SeE2aShape s;
  s.sel = {4, 4};
  s.neuron = {3, 6};
  s.axis_neuron = 2;
  s.fitting = {4};
  s.exclude_types = {{0, 1}};
  SeE2aModel m = test::random_se_e2_a(rng, s);
  m.embeddings[0 + 2 * 1] = DenseNet{};  // (O, B)
  m.embeddings[1 + 2 * 0] = DenseNet{};  // (B, O)
  TempDir dir;
  expect_same_model(m, round_trip(m, dir, "m.vdp"));
  const SeE2aModel y = round_trip(m, dir, "m.yaml");
  for (int k : {1, 2}) {
    ASSERT_EQ(y.embeddings[k].layers.size(), 2u);
    for (const auto& L : y.embeddings[k].layers) {
      for (double v : L.w) EXPECT_EQ(v, 0.0);
      for (double v : L.b) EXPECT_EQ(v, 0.0);
      for (double v : L.idt) EXPECT_EQ(v, 0.0);
    }
    EXPECT_EQ(y.embeddings[k].layers[1].idt.size(), m.embeddings[0].layers[1].idt.size());
  }
  expect_same_nets({y.embeddings[0], y.embeddings[3]}, {m.embeddings[0], m.embeddings[3]},
                   "embedding");
}

TEST(ModelIo, Float32FlagRoundsDeepmdArrays) {
  // Converting a float64 model to float32 stores float32 arrays in .yaml (as
  // DeePMD-kit does for float32 models) and keeps every bit in .vdp.
  SeE2aModel m = small_model(test::fresh_seed());
  m.precision = Precision::Float32;
  TempDir dir;
  expect_same_model(m, round_trip(m, dir, "m.vdp"));
  const SeE2aModel y = round_trip(m, dir, "m.yaml");
  EXPECT_EQ(y.precision, Precision::Float32);
  ASSERT_EQ(y.davg.size(), m.davg.size());
  for (std::size_t i = 0; i < m.davg.size(); ++i)
    EXPECT_EQ(y.davg[i], static_cast<double>(static_cast<float>(m.davg[i])));
  const auto& w = m.fittings[1].layers[0].w;
  for (std::size_t i = 0; i < w.size(); ++i)
    EXPECT_EQ(y.fittings[1].layers[0].w[i], static_cast<double>(static_cast<float>(w[i])));
  EXPECT_TRUE(same_bits(y.bias_atom_e, m.bias_atom_e, "bias_atom_e stays float64"));
}

TEST(ModelIo, VdpIsSafetensors) {
  const SeE2aModel m = small_model(test::fresh_seed());
  TempDir dir;
  const std::string path = dir.file("m.vdp");
  write_model(path, m);
  std::ifstream f(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  ASSERT_GE(bytes.size(), 8u);
  std::uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<unsigned char>(bytes[i]);
  EXPECT_EQ(n % 8, 0u);
  const json header = json::parse(bytes.substr(8, n));
  const json& meta = header.at("__metadata__");
  EXPECT_EQ(meta.at("format"), "vitra-se_e2_a");
  EXPECT_EQ(meta.at("version"), "1");
  const json hyper = json::parse(meta.at("model").get<std::string>());
  EXPECT_EQ(hyper.at("type_map"), json({"O", "B"}));
  EXPECT_EQ(hyper.at("sel"), json({6, 8}));
  EXPECT_EQ(hyper.at("embeddings").size(), 4u);
  EXPECT_EQ(hyper.at("fittings").at(0).at("layers").at(2).at("activation"), "none");
  // Tensors lie back to back and fill the data section.
  std::uint64_t total = 0;
  for (auto it = header.begin(); it != header.end(); ++it) {
    if (it.key() == "__metadata__") continue;
    EXPECT_EQ(it->at("dtype"), "F64") << it.key();
    const auto off = it->at("data_offsets").get<std::vector<std::uint64_t>>();
    total += off[1] - off[0];
  }
  EXPECT_EQ(8 + n + total, bytes.size());
  const json& davg = header.at("descriptor.davg");
  EXPECT_EQ(davg.at("shape"), json({2, 14, 4}));
  const json& w = header.at("fitting.1.layer.0.w");
  EXPECT_EQ(w.at("shape"), json({8 * 2, 5}));  // M1 = 8, axis_neuron = 2
  const auto off = w.at("data_offsets").get<std::vector<std::uint64_t>>();
  double first;
  std::memcpy(&first, bytes.data() + 8 + n + off[0], 8);  // little-endian host
  EXPECT_EQ(first, m.fittings[1].layers[0].w[0]);
  EXPECT_TRUE(header.contains("embedding.3.layer.1.idt"));
  EXPECT_TRUE(header.contains("bias_atom_e"));
  EXPECT_TRUE(header.contains("out_std"));
}

// ---------------------------------------------------------------- errors

class ModelIoErrors : public ::testing::Test {
 protected:
  TempDir dir;
  json dict = model_io::dict_from_model(small_model(12345));

  // Writes the (modified) dictionary as YAML and returns the reader's message.
  std::string error_of(const std::string& name = "bad.yaml") {
    const std::string path = dir.file(name);
    if (name.size() > 3 && name.substr(name.size() - 3) == ".dp")
      model_io::write_dp_dict(path, dict);
    else
      model_io::write_yaml_dict(path, dict);
    return read_error(path);
  }
  json& model() { return dict["model"]; }
  json& descriptor() { return dict["model"]["descriptor"]; }
  json& fitting() { return dict["model"]["fitting"]; }
};

#define EXPECT_MESSAGE(msg, part) EXPECT_NE((msg).find(part), std::string::npos) << (msg)

TEST_F(ModelIoErrors, TheUnmodifiedDictionaryReads) {
  EXPECT_EQ(error_of(), "");
  if (hdf5_available()) {
    EXPECT_EQ(error_of("good.dp"), "");
  }
}

TEST_F(ModelIoErrors, UnsupportedDescriptor) {
  descriptor()["type"] = "dpa1";
  const std::string e = error_of();
  EXPECT_MESSAGE(e, dir.file("bad.yaml") + ": model.descriptor.type: \"dpa1\" is not supported "
                                           "(vitra reads se_e2_a energy models)");
}

TEST_F(ModelIoErrors, FrameParameters) {
  fitting()["numb_fparam"] = 2;
  EXPECT_MESSAGE(error_of(), "bad.yaml: model.fitting.numb_fparam: frame parameters (numb_fparam "
                             "= 2) are not supported (expected 0)");
}

TEST_F(ModelIoErrors, AtomicParametersCaseEmbeddingMixedTypes) {
  fitting()["numb_aparam"] = 1;
  EXPECT_MESSAGE(error_of(), "model.fitting.numb_aparam: atomic parameters");
  fitting()["numb_aparam"] = 0;
  fitting()["dim_case_embd"] = 3;
  EXPECT_MESSAGE(error_of(), "model.fitting.dim_case_embd: case embedding");
  fitting()["dim_case_embd"] = 0;
  fitting()["mixed_types"] = true;
  EXPECT_MESSAGE(error_of(), "model.fitting.mixed_types: true (one fitting net shared");
}

TEST_F(ModelIoErrors, OtherFittingsAndModels) {
  fitting()["type"] = "dipole";
  EXPECT_MESSAGE(error_of(), "model.fitting.type: \"dipole\" is not supported");
  fitting()["type"] = "ener";
  fitting()["dim_out"] = 2;
  EXPECT_MESSAGE(error_of(), "model.fitting.dim_out: 2 outputs per atom are not supported");
  fitting()["dim_out"] = 1;
  fitting()["atom_ener"] = json::array({1.0, nullptr});
  EXPECT_MESSAGE(error_of(), "model.fitting.atom_ener: fixed atomic energies are not supported");
  fitting()["atom_ener"] = json::array();
  model()["type"] = "zbl";
  EXPECT_MESSAGE(error_of(), "model.type: \"zbl\" is not supported");
  model()["type"] = "standard";
  model()["pair_exclude_types"] = json::array({json::array({0, 1})});
  EXPECT_MESSAGE(error_of(), "model.pair_exclude_types: model-level pair exclusion is not supported");
  model()["pair_exclude_types"] = json::array();
  descriptor()["spin"] = json{{"use_spin", {true, false}}};
  EXPECT_MESSAGE(error_of(), "model.descriptor.spin: spin models are not supported");
  descriptor()["spin"] = nullptr;
  EXPECT_EQ(error_of(), "");
}

TEST_F(ModelIoErrors, CompressedAndExpSwitch) {
  descriptor()["@version"] = 3;
  descriptor()["compress"] = json{{"@variables", json::object()}};
  EXPECT_MESSAGE(error_of(), "model.descriptor.compress: compressed descriptors");
  descriptor().erase("compress");
  EXPECT_EQ(error_of(), "");  // @version 3 without compression data reads
  descriptor()["env_mat"]["use_exp_switch"] = true;
  EXPECT_MESSAGE(error_of(), "model.descriptor.env_mat.use_exp_switch: true (the exponential switch");
}

TEST_F(ModelIoErrors, UnknownActivationAndPrecision) {
  descriptor()["embeddings"]["networks"][2]["layers"][1]["activation_function"] = "swish2";
  EXPECT_MESSAGE(error_of(), "model.descriptor.embeddings.networks[2].layers[1]."
                             "activation_function: \"swish2\" is not supported");
  descriptor()["embeddings"]["networks"][2]["layers"][1]["activation_function"] = "tanh";
  descriptor()["precision"] = "bfloat16";
  EXPECT_MESSAGE(error_of(), "model.descriptor.precision: \"bfloat16\" is not supported");
  descriptor()["precision"] = "float32";
  EXPECT_MESSAGE(error_of(), "model.fitting.precision: \"float64\" differs from "
                             "model.descriptor.precision \"float32\"");
}

TEST_F(ModelIoErrors, MissingKey) {
  descriptor().erase("rcut");
  EXPECT_MESSAGE(error_of(), "bad.yaml: model.descriptor.rcut: the key is missing");
  dict.erase("model");
  EXPECT_MESSAGE(error_of(), "bad.yaml: model: the key is missing");
}

TEST_F(ModelIoErrors, WrongType) {
  descriptor()["sel"] = "many";
  EXPECT_MESSAGE(error_of(), "model.descriptor.sel: expected a list, found \"many\"");
  descriptor()["sel"] = json::array({6, 8, 3});
  EXPECT_MESSAGE(error_of(), "model.descriptor.sel: expected one entry per type of the type map "
                             "(2), found 3");
}

TEST_F(ModelIoErrors, WrongArrayShape) {
  descriptor()["@variables"]["davg"] = model_io::make_ndarray(std::vector<double>(2 * 13 * 4, 0.1), {2, 13, 4});
  EXPECT_MESSAGE(error_of(), "bad.yaml: model.descriptor.@variables.davg: expected an array of "
                             "shape [2, 14, 4] (ntypes, nnei, 4), found shape [2, 13, 4]");
  if (hdf5_available()) {
    EXPECT_MESSAGE(error_of("bad.dp"), "bad.dp: model.descriptor.@variables.davg: expected an "
                                       "array of shape [2, 14, 4]");
  }
}

TEST_F(ModelIoErrors, LayersThatDoNotChain) {
  json& w = fitting()["nets"]["networks"][1]["layers"][1]["@variables"]["w"];
  w = model_io::make_ndarray(std::vector<double>(4 * 5, 0.1), {4, 5});
  EXPECT_MESSAGE(error_of(), "model.fitting.nets.networks[1].layers[1].@variables.w: the layer "
                             "takes 4 inputs and the layer before gives 5 outputs");
}

TEST_F(ModelIoErrors, InconsistentModelNamesTheFile) {
  descriptor()["@variables"]["dstd"]["data"][3] = 0.0;
  EXPECT_MESSAGE(error_of(), "bad.yaml: inconsistent model: dstd holds a zero");
}

TEST_F(ModelIoErrors, YamlSyntaxErrorNamesTheLine) {
  const std::string path = dir.write("syntax.yaml", "model:\n  type: [1, 2\n  rcut: 3\n");
  const std::string e = read_error(path);
  EXPECT_MESSAGE(e, path + ":");
  EXPECT_MESSAGE(e, "not a valid YAML file");
}

TEST_F(ModelIoErrors, RaggedYamlArray) {
  const std::string path = dir.write(
      "ragged.yaml",
      "model:\n  x:\n    \"@class\": np.ndarray\n    dtype: float64\n    value: [[1.0, 2.0], [3.0]]\n");
  EXPECT_MESSAGE(read_error(path), "model.x.value: the nested lists of the array are not rectangular");
}

TEST_F(ModelIoErrors, UnknownExtensionAndMissingFile) {
  EXPECT_MESSAGE(read_error(dir.file("m.pth")), "unknown model format \".pth\"");
  EXPECT_MESSAGE(read_error(dir.file("absent.yaml")), "absent.yaml: the model file does not exist");
}

TEST_F(ModelIoErrors, DpWithoutJsonAttributeOrDataset) {
  if (!hdf5_available()) {
    const std::string path = dir.write("m.dp", "x");
    EXPECT_MESSAGE(read_error(path), "vitra was built without HDF5");
    return;
  }
  const std::string path = dir.write("text.dp", "not hdf5 at all");
  EXPECT_MESSAGE(read_error(path), "text.dp: not an HDF5 file");
}

TEST_F(ModelIoErrors, TruncatedVdp) {
  const std::string path = dir.file("m.vdp");
  write_model(path, small_model(7));
  const auto size = fs::file_size(path);
  fs::resize_file(path, size - 16);
  EXPECT_MESSAGE(read_error(path), "m.vdp: the file is truncated: tensor \"out_std\" ends at byte");
  fs::resize_file(path, 100);
  EXPECT_MESSAGE(read_error(path), "m.vdp: the file is truncated: the header alone is");
  fs::resize_file(path, 5);
  EXPECT_MESSAGE(read_error(path), "m.vdp: the file is truncated: it has 5 bytes");
}

TEST_F(ModelIoErrors, VdpOfAnotherKind) {
  // A safetensors file without vitra's metadata, and one with another format.
  std::string header = R"({"x":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}})";
  while (header.size() % 8) header += ' ';
  std::string bytes;
  for (int i = 0; i < 8; ++i) bytes += static_cast<char>((header.size() >> (8 * i)) & 0xff);
  bytes += header + std::string(8, '\0');
  const std::string path = dir.write("other.vdp", bytes);
  EXPECT_MESSAGE(read_error(path), "has no \"__metadata__\" (not a vitra model file)");
  header = R"({"__metadata__":{"format":"pt","version":"1","model":"{}"}})";
  while (header.size() % 8) header += ' ';
  bytes.clear();
  for (int i = 0; i < 8; ++i) bytes += static_cast<char>((header.size() >> (8 * i)) & 0xff);
  bytes += header;
  EXPECT_MESSAGE(read_error(dir.write("pt.vdp", bytes)), "__metadata__.format: \"pt\" is not supported");
}

TEST_F(ModelIoErrors, VdpWithAWrongTensorShape) {
  // Rewrite one tensor's shape in the header (same length, so offsets stay).
  const std::string path = dir.file("m.vdp");
  write_model(path, small_model(9));
  std::ifstream f(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  f.close();
  const std::string from = R"("descriptor.davg":{"data_offsets":[0,896],"dtype":"F64","shape":[2,14,4]})";
  const std::string to = R"("descriptor.davg":{"data_offsets":[0,896],"dtype":"F64","shape":[2,4,14]})";
  const auto at = bytes.find(from);
  ASSERT_NE(at, std::string::npos);
  bytes.replace(at, from.size(), to);
  std::ofstream(path, std::ios::binary) << bytes;
  EXPECT_MESSAGE(read_error(path), "m.vdp: tensor \"descriptor.davg\": expected shape [2, 14, 4], "
                                   "found [2, 4, 14]");
}

TEST(ModelIo, WriteRefusesAnInconsistentModel) {
  SeE2aModel m = small_model(3);
  m.sel = {6};
  TempDir dir;
  try {
    write_model(dir.file("m.vdp"), m);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_MESSAGE(std::string(e.what()), "refusing to write an inconsistent model: sel has 1");
  }
}
