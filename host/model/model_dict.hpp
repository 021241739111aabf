#pragma once
// Internals of the model readers and writers (host/model/deepmd_model_io.hpp).
//
// Both DeePMD-kit formats (.yaml, .dp) are first turned into one JSON tree, the
// model dictionary, in which every array is resolved into an "ndarray" node:
//   {"@class": "np.ndarray", "dtype": "float64", "shape": [2, 3], "data": [flat, row-major]}
// model_from_dict() converts that tree into an SeE2aModel and dict_from_model()
// does the reverse; the format back ends only move trees and arrays.
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "kernels/deepmd/se_e2_a_model.hpp"

namespace vitra::model_io {

using nlohmann::json;

// An ndarray node; dtype is "float64" or "float32" (values already rounded).
json make_ndarray(std::vector<double> data, const std::vector<std::size_t>& shape,
                  const std::string& dtype = "float64");
bool is_ndarray(const json& j);
std::vector<std::size_t> ndarray_shape(const json& j);

// A value of the tree with its key path, for error messages that name the file
// and the key: "m.yaml: model.descriptor.rcut: expected a number, found "abc"".
class Node {
 public:
  Node(const json& j, std::string path, const std::string& file)
      : j_(&j), path_(std::move(path)), file_(&file) {}
  const json& j() const { return *j_; }
  const std::string& path() const { return path_; }
  const std::string& file() const { return *file_; }

  bool is_null() const { return j_->is_null(); }
  // Whether the mapping holds `key` with a value other than null.
  bool has(const std::string& key) const;
  // The value at `key`; InputError when this is no mapping or the key is missing.
  Node at(const std::string& key) const;
  Node at(std::size_t i) const;
  std::size_t size() const;  // of a list; InputError otherwise

  double number() const;
  long long integer() const;
  bool boolean() const;
  std::string str() const;
  std::vector<int> int_list() const;
  std::vector<std::string> str_list() const;
  // The data of an ndarray of exactly `shape`; `what` names the axes in the
  // message ("(ntypes, nnei, 4)").
  std::vector<double> array(const std::vector<std::size_t>& shape,
                            const std::string& what = "") const;

  // InputError "<file>: <path>: <msg>".
  [[noreturn]] void fail(const std::string& msg) const;
  // What a value is, for "found ...": "\"dpa1\"", "3", "a list of 2 items", ...
  std::string describe() const;

 private:
  const json* j_;
  std::string path_;
  const std::string* file_;
};

std::string describe_json(const json& j);
std::string shape_string(const std::vector<std::size_t>& shape);

// The model dictionary (the whole file: {"model": {...}, ...}) -> model, and back.
// model_from_dict checks what vitra supports and calls validate().
deepmd::SeE2aModel model_from_dict(const json& root, const std::string& file);
json dict_from_model(const deepmd::SeE2aModel& model);

// YAML back end (yaml_dict.cpp).
json read_yaml_dict(const std::string& path);
void write_yaml_dict(const std::string& path, const json& root);

// HDF5 back end (dp_hdf5.cpp); throws InputError when built without HDF5.
bool dp_supported();
json read_dp_dict(const std::string& path);
void write_dp_dict(const std::string& path, const json& root);

// vitra's safetensors format (vdp_format.cpp).
deepmd::SeE2aModel read_vdp(const std::string& path);
void write_vdp(const std::string& path, const deepmd::SeE2aModel& model);

// validate() with its message prefixed by the file name.
void validate_model(const deepmd::SeE2aModel& model, const std::string& file);

// Helpers shared by the back ends.
std::string precision_name(deepmd::Precision p);  // "float64" | "float32"

}  // namespace vitra::model_io
