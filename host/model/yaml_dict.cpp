// DeePMD-kit .yaml models <-> the model dictionary (model_dict.hpp).
//
// DeePMD-kit writes them with PyYAML's safe_dump (YAML 1.1): plain scalars are
// resolved the way PyYAML resolves them (null, bools including yes/no/on/off,
// integers, floats), quoted scalars are strings, and each array is a mapping
//   {"@class": "np.ndarray", "@is_variable": true, "@version": 1,
//    "dtype": "float64", "value": nested lists}.
// The writer emits what PyYAML reads back to the same values: floats always
// with a '.' or an exponent sign ("1.0e-05", PyYAML reads "1e-05" as a
// string), ".inf"/".nan", strings double-quoted.
#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <cctype>
#include <cerrno>
#include <limits>

#include "host/error.hpp"
#include "host/model/model_dict.hpp"

namespace vitra::model_io {

namespace {

// ---------------------------------------------------------------- reading

bool is_null_scalar(const std::string& s) {
  return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}

// PyYAML's (YAML 1.1) resolution of a plain scalar, and also the YAML 1.2
// float form without a '.' ("1e-05") that other emitters write.
json resolve_plain(const std::string& s) {
  if (is_null_scalar(s)) return json();
  static const char* const kTrue[] = {"yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"};
  static const char* const kFalse[] = {"no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"};
  for (const char* t : kTrue)
    if (s == t) return true;
  for (const char* f : kFalse)
    if (s == f) return false;
  const char c0 = s[0];
  if (!(std::isdigit(static_cast<unsigned char>(c0)) || c0 == '-' || c0 == '+' || c0 == '.'))
    return s;
  if (s == ".inf" || s == ".Inf" || s == ".INF" || s == "+.inf" || s == "+.Inf" || s == "+.INF")
    return std::numeric_limits<double>::infinity();
  if (s == "-.inf" || s == "-.Inf" || s == "-.INF") return -std::numeric_limits<double>::infinity();
  if (s == ".nan" || s == ".NaN" || s == ".NAN") return std::numeric_limits<double>::quiet_NaN();
  std::string t;
  t.reserve(s.size());
  for (char c : s)
    if (c != '_') t += c;
  const std::size_t i0 = (t[0] == '-' || t[0] == '+') ? 1 : 0;
  if (i0 >= t.size()) return s;
  bool digits = true;
  for (std::size_t i = i0; i < t.size(); ++i) digits = digits && std::isdigit(static_cast<unsigned char>(t[i]));
  if (digits) {
    errno = 0;
    char* end = nullptr;
    const long long v = std::strtoll(t.c_str(), &end, 10);
    if (errno == 0 && end && *end == '\0') return v;
    return std::strtod(t.c_str(), nullptr);
  }
  // A float: digits, one '.', an exponent; nothing strtod reads beyond that
  // (hex, inf, nan).
  if (t.find_first_of("xXpPiInN") != std::string::npos) return s;
  if (t.find_first_of("0123456789") == std::string::npos) return s;
  char* end = nullptr;
  const double v = std::strtod(t.c_str(), &end);
  if (end && *end == '\0') return v;
  return s;
}

json scalar_to_json(const YAML::Node& n) {
  // Quoted scalars (and other non-plain ones) carry the tag "!".
  if (n.Tag() == "!") return n.Scalar();
  if (n.Tag() == "tag:yaml.org,2002:str") return n.Scalar();
  return resolve_plain(n.Scalar());
}

[[noreturn]] void yaml_fail(const std::string& file, const YAML::Node& n, const std::string& path,
                            const std::string& msg) {
  const long line = n.Mark().is_null() ? 0 : n.Mark().line + 1;
  throw InputError(file, line, (path.empty() ? std::string("the file") : path) + ": " + msg);
}

// Shape and row-major data of a nested list of numbers.
void flatten(const YAML::Node& n, const std::string& path, const std::string& file,
             std::size_t depth, std::vector<std::size_t>& shape, bool& shape_known,
             std::vector<double>& data) {
  if (n.IsSequence()) {
    if (!shape_known) shape.push_back(n.size());
    else if (depth >= shape.size() || shape[depth] != n.size())
      yaml_fail(file, n, path, "the nested lists of the array are not rectangular");
    for (const YAML::Node& e : n) flatten(e, path, file, depth + 1, shape, shape_known, data);
    if (n.size() == 0 && !shape_known) shape_known = true;
    return;
  }
  if (!shape_known) shape_known = true;
  if (depth != shape.size())
    yaml_fail(file, n, path, "the nested lists of the array are not rectangular");
  if (!n.IsScalar()) yaml_fail(file, n, path, "the array holds a value that is not a number");
  if (n.Tag() != "!") {  // fast path: a plain decimal number
    const std::string& s = n.Scalar();
    char* end = nullptr;
    const double x = std::strtod(s.c_str(), &end);
    if (!s.empty() && end && *end == '\0' && s.find_first_of("xXpPiInN_") == std::string::npos) {
      data.push_back(x);
      return;
    }
  }
  const json v = scalar_to_json(n);
  if (v.is_boolean()) {
    data.push_back(v.get<bool>() ? 1.0 : 0.0);
    return;
  }
  if (!v.is_number())
    yaml_fail(file, n, path, "the array holds " + describe_json(v) + ", expected numbers");
  data.push_back(v.get<double>());
}

json to_json(const YAML::Node& n, const std::string& path, const std::string& file);

json ndarray_to_json(const YAML::Node& n, const std::string& path, const std::string& file) {
  const YAML::Node dtype = n["dtype"];
  const YAML::Node value = n["value"];
  if (!value) yaml_fail(file, n, path + ".value", "the key is missing");
  std::string dt = "float64";
  if (dtype && dtype.IsScalar()) dt = dtype.Scalar();
  std::vector<std::size_t> shape;
  std::vector<double> data;
  bool shape_known = false;
  flatten(value, path + ".value", file, 0, shape, shape_known, data);
  std::size_t n_expected = 1;
  for (std::size_t s : shape) n_expected *= s;
  if (n_expected != data.size())
    yaml_fail(file, value, path + ".value", "the nested lists of the array are not rectangular");
  return make_ndarray(std::move(data), shape, dt);
}

json to_json(const YAML::Node& n, const std::string& path, const std::string& file) {
  switch (n.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return json();
    case YAML::NodeType::Scalar:
      return scalar_to_json(n);
    case YAML::NodeType::Sequence: {
      json a = json::array();
      std::size_t i = 0;
      for (const YAML::Node& e : n) a.push_back(to_json(e, path + "[" + std::to_string(i++) + "]", file));
      return a;
    }
    case YAML::NodeType::Map: {
      const YAML::Node cls = n["@class"];
      if (cls && cls.IsScalar() && cls.Scalar() == "np.ndarray") return ndarray_to_json(n, path, file);
      json o = json::object();
      for (const auto& kv : n) {
        if (!kv.first.IsScalar()) yaml_fail(file, kv.first, path, "a mapping key is not a scalar");
        const std::string key = kv.first.Scalar();
        o[key] = to_json(kv.second, path.empty() ? key : path + "." + key, file);
      }
      return o;
    }
  }
  return json();
}

// ---------------------------------------------------------------- writing

// The shortest decimal that reads back to v, in a form PyYAML reads as a float.
std::string yaml_float(double v) {
  if (std::isnan(v)) return ".nan";
  if (std::isinf(v)) return v > 0 ? ".inf" : "-.inf";
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  std::string s(buf, r.ptr);
  const auto e = s.find('e');
  if (s.find('.') == std::string::npos) {
    if (e == std::string::npos) s += ".0";
    else s.insert(e, ".0");
  }
  return s;
}

bool plain_key(const std::string& k) {
  if (k.empty() || !(std::isalpha(static_cast<unsigned char>(k[0])) || k[0] == '_')) return false;
  for (char c : k)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  // Keys PyYAML would resolve to something other than a string.
  return resolve_plain(k).is_string();
}

void emit(YAML::Emitter& out, const json& j);

void emit_nested(YAML::Emitter& out, const std::vector<double>& data,
                 const std::vector<std::size_t>& shape, std::size_t dim, std::size_t& pos) {
  if (dim == shape.size()) {
    out << yaml_float(data[pos++]);
    return;
  }
  out << YAML::Flow << YAML::BeginSeq;
  for (std::size_t i = 0; i < shape[dim]; ++i) emit_nested(out, data, shape, dim + 1, pos);
  out << YAML::EndSeq;
}

void emit_ndarray(YAML::Emitter& out, const json& j) {
  const std::vector<std::size_t> shape = ndarray_shape(j);
  const std::vector<double> data = j.at("data").get<std::vector<double>>();
  out << YAML::BeginMap;
  out << YAML::Key << YAML::DoubleQuoted << "@class" << YAML::Value << YAML::DoubleQuoted
      << "np.ndarray";
  out << YAML::Key << YAML::DoubleQuoted << "@is_variable" << YAML::Value << true;
  out << YAML::Key << YAML::DoubleQuoted << "@version" << YAML::Value << 1;
  out << YAML::Key << "dtype" << YAML::Value << YAML::DoubleQuoted
      << j.at("dtype").get<std::string>();
  out << YAML::Key << "value" << YAML::Value;
  std::size_t pos = 0;
  emit_nested(out, data, shape, 0, pos);
  out << YAML::EndMap;
}

bool is_scalar(const json& j) { return !j.is_array() && !j.is_object(); }

void emit(YAML::Emitter& out, const json& j) {
  switch (j.type()) {
    case json::value_t::null:
      out << YAML::Null;
      break;
    case json::value_t::boolean:
      out << j.get<bool>();
      break;
    case json::value_t::number_integer:
      out << j.get<long long>();
      break;
    case json::value_t::number_unsigned:
      out << j.get<unsigned long long>();
      break;
    case json::value_t::number_float:
      out << yaml_float(j.get<double>());
      break;
    case json::value_t::string:
      out << YAML::DoubleQuoted << j.get<std::string>();
      break;
    case json::value_t::array: {
      bool flat = true;
      for (const json& e : j) flat = flat && (is_scalar(e) || (e.is_array() && e.size() <= 8));
      if (flat) out << YAML::Flow;
      out << YAML::BeginSeq;
      for (const json& e : j) emit(out, e);
      out << YAML::EndSeq;
      break;
    }
    case json::value_t::object:
      if (is_ndarray(j)) {
        emit_ndarray(out, j);
        break;
      }
      out << YAML::BeginMap;
      for (auto it = j.begin(); it != j.end(); ++it) {
        out << YAML::Key;
        if (plain_key(it.key())) out << it.key();
        else out << YAML::DoubleQuoted << it.key();
        out << YAML::Value;
        emit(out, it.value());
      }
      out << YAML::EndMap;
      break;
    default:
      out << YAML::Null;
  }
}

}  // namespace

json read_yaml_dict(const std::string& path) {
  {
    std::ifstream probe(path);
    if (!probe) throw InputError(path, 0, "cannot open the file");
  }
  YAML::Node doc;
  try {
    doc = YAML::LoadFile(path);
  } catch (const YAML::ParserException& e) {
    throw InputError(path, e.mark.is_null() ? 0 : e.mark.line + 1,
                     "not a valid YAML file: " + e.msg);
  } catch (const YAML::Exception& e) {
    throw InputError(path, 0, std::string("cannot read the YAML file: ") + e.what());
  }
  return to_json(doc, "", path);
}

void write_yaml_dict(const std::string& path, const json& root) {
  YAML::Emitter out;
  out.SetIndent(2);
  emit(out, root);
  if (!out.good()) throw std::runtime_error("YAML emitter: " + out.GetLastError());
  std::ofstream f(path, std::ios::binary);
  if (!f) throw InputError(path, 0, "cannot open the file for writing");
  f << out.c_str() << "\n";
  f.close();
  if (!f) throw InputError(path, 0, "writing the file failed");
}

}  // namespace vitra::model_io
