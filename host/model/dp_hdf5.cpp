// DeePMD-kit .dp models (HDF5) <-> the model dictionary (model_dict.hpp).
//
// deepmd.dpmodel.utils.serialization.save_dp_model writes the dictionary as a
// JSON string attribute "json" on the root group; every array in it (the values
// under "@variables" keys) is replaced by the name of a dataset of the root
// group, "/variable_0000", "/variable_0001", ... Without HDF5 (VITRA_HAVE_HDF5
// unset at configure time) these functions say that vitra was built without it.
#include <fmt/format.h>

#include "host/error.hpp"
#include "host/model/model_dict.hpp"

#ifdef VITRA_HAVE_HDF5
#include <hdf5.h>
#endif

namespace vitra::model_io {

#ifndef VITRA_HAVE_HDF5

bool dp_supported() { return false; }

namespace {
[[noreturn]] void no_hdf5(const std::string& path) {
  throw InputError(path, 0,
                   "vitra was built without HDF5, which .dp models need: install the HDF5 C "
                   "library (Debian: libhdf5-dev) and rebuild, or convert the model to .yaml with "
                   "DeePMD-kit (dp convert-backend model.dp model.yaml)");
}
}  // namespace

json read_dp_dict(const std::string& path) { no_hdf5(path); }
void write_dp_dict(const std::string& path, const json&) { no_hdf5(path); }

#else

bool dp_supported() { return true; }

namespace {

// Owns an HDF5 identifier and closes it with the matching H5?close.
class Hid {
 public:
  using Closer = herr_t (*)(hid_t);
  Hid() = default;
  Hid(hid_t id, Closer close) : id_(id), close_(close) {}
  ~Hid() { reset(); }
  Hid(const Hid&) = delete;
  Hid& operator=(const Hid&) = delete;
  Hid(Hid&& o) noexcept : id_(o.id_), close_(o.close_) { o.id_ = -1; }
  Hid& operator=(Hid&& o) noexcept {
    if (this != &o) {
      reset();
      id_ = o.id_;
      close_ = o.close_;
      o.id_ = -1;
    }
    return *this;
  }
  void reset() {
    if (id_ >= 0 && close_) close_(id_);
    id_ = -1;
  }
  hid_t get() const { return id_; }
  hid_t release() {
    const hid_t id = id_;
    id_ = -1;
    return id;
  }
  bool ok() const { return id_ >= 0; }

 private:
  hid_t id_ = -1;
  Closer close_ = nullptr;
};

// Silences HDF5's own error printing while vitra reports the error.
class QuietErrors {
 public:
  QuietErrors() {
    H5Eget_auto2(H5E_DEFAULT, &func_, &data_);
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  }
  ~QuietErrors() { H5Eset_auto2(H5E_DEFAULT, func_, data_); }

 private:
  H5E_auto2_t func_ = nullptr;
  void* data_ = nullptr;
};

std::string read_json_attribute(hid_t file, const std::string& path) {
  if (H5Aexists(file, "json") <= 0)
    throw InputError(path, 0,
                     "the HDF5 file has no attribute \"json\" on its root group (not a DeePMD-kit "
                     ".dp model)");
  Hid attr(H5Aopen(file, "json", H5P_DEFAULT), H5Aclose);
  if (!attr.ok()) throw InputError(path, 0, "cannot open the attribute \"json\"");
  Hid type(H5Aget_type(attr.get()), H5Tclose);
  if (H5Tget_class(type.get()) != H5T_STRING)
    throw InputError(path, 0, "the attribute \"json\" is not a string");
  Hid space(H5Aget_space(attr.get()), H5Sclose);
  if (H5Sget_simple_extent_npoints(space.get()) != 1)
    throw InputError(path, 0, "the attribute \"json\" is not a single string");
  std::string text;
  if (H5Tis_variable_str(type.get()) > 0) {
    Hid mem(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(mem.get(), H5T_VARIABLE);
    H5Tset_cset(mem.get(), H5Tget_cset(type.get()));
    char* s = nullptr;
    if (H5Aread(attr.get(), mem.get(), &s) < 0 || !s)
      throw InputError(path, 0, "cannot read the attribute \"json\"");
    text = s;
    H5free_memory(s);
  } else {
    const std::size_t n = H5Tget_size(type.get());
    std::vector<char> buf(n + 1, '\0');
    Hid mem(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(mem.get(), n);
    if (H5Aread(attr.get(), mem.get(), buf.data()) < 0)
      throw InputError(path, 0, "cannot read the attribute \"json\"");
    text.assign(buf.data());
  }
  return text;
}

json read_dataset(hid_t file, const std::string& name, const std::string& path,
                  const std::string& key) {
  const std::string where = key + ": ";
  if (H5Lexists(file, name.c_str(), H5P_DEFAULT) <= 0)
    throw InputError(path, 0, where + "names the dataset \"" + name + "\", which the file lacks");
  Hid ds(H5Dopen2(file, name.c_str(), H5P_DEFAULT), H5Dclose);
  if (!ds.ok()) throw InputError(path, 0, where + "cannot open the dataset \"" + name + "\"");
  Hid type(H5Dget_type(ds.get()), H5Tclose);
  const H5T_class_t cls = H5Tget_class(type.get());
  if (cls != H5T_FLOAT && cls != H5T_INTEGER)
    throw InputError(path, 0, where + "the dataset \"" + name + "\" does not hold numbers");
  std::string dtype;
  const std::size_t size = H5Tget_size(type.get());
  if (cls == H5T_FLOAT) dtype = size == 4 ? "float32" : size == 2 ? "float16" : "float64";
  else dtype = fmt::format("int{}", 8 * size);
  Hid space(H5Dget_space(ds.get()), H5Sclose);
  const int ndims = H5Sget_simple_extent_ndims(space.get());
  if (ndims < 0) throw InputError(path, 0, where + "cannot read the shape of \"" + name + "\"");
  std::vector<hsize_t> dims(static_cast<std::size_t>(ndims));
  if (ndims > 0) H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  std::vector<std::size_t> shape(dims.begin(), dims.end());
  std::size_t n = 1;
  for (std::size_t s : shape) n *= s;
  std::vector<double> data(n);
  if (n > 0 &&
      H5Dread(ds.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()) < 0)
    throw InputError(path, 0, where + "cannot read the dataset \"" + name + "\"");
  return make_ndarray(std::move(data), shape, dtype);
}

// Replaces the dataset names under "@variables" keys by the arrays (as
// deepmd's traverse_model_dict does).
void resolve(json& j, bool in_variables, hid_t file, const std::string& path,
             const std::string& key) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it)
      resolve(it.value(), in_variables || it.key() == "@variables", file, path,
              key.empty() ? it.key() : key + "." + it.key());
  } else if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i)
      resolve(j[i], in_variables, file, path, fmt::format("{}[{}]", key, i));
  } else if (in_variables && j.is_string()) {
    j = read_dataset(file, j.get<std::string>(), path, key);
  }
}

// Writes every ndarray node as a dataset and puts its name in its place.
void store(json& j, hid_t file, int& counter, const std::string& path) {
  if (is_ndarray(j)) {
    const std::string name = fmt::format("variable_{:04d}", counter++);
    const std::vector<std::size_t> shape = ndarray_shape(j);
    const std::vector<double> data = j.at("data").get<std::vector<double>>();
    const bool f32 = j.at("dtype").get<std::string>() == "float32";
    std::vector<hsize_t> dims(shape.begin(), shape.end());
    Hid space(dims.empty() ? H5Screate(H5S_SCALAR)
                           : H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
              H5Sclose);
    Hid ds(H5Dcreate2(file, name.c_str(), f32 ? H5T_IEEE_F32LE : H5T_IEEE_F64LE, space.get(),
                      H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
           H5Dclose);
    if (!ds.ok() || (!data.empty() && H5Dwrite(ds.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL,
                                                H5P_DEFAULT, data.data()) < 0))
      throw InputError(path, 0, "writing the dataset " + name + " failed");
    j = "/" + name;
    return;
  }
  if (j.is_object())
    for (auto it = j.begin(); it != j.end(); ++it) store(it.value(), file, counter, path);
  else if (j.is_array())
    for (json& e : j) store(e, file, counter, path);
}

}  // namespace

json read_dp_dict(const std::string& path) {
  QuietErrors quiet;
  if (H5Fis_hdf5(path.c_str()) <= 0) {
    FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) throw InputError(path, 0, "cannot open the file");
    std::fclose(f);
    throw InputError(path, 0, "not an HDF5 file (a DeePMD-kit .dp model is one)");
  }
  Hid file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  if (!file.ok()) throw InputError(path, 0, "cannot open the HDF5 file");
  const std::string text = read_json_attribute(file.get(), path);
  json root;
  try {
    root = json::parse(text);
  } catch (const json::parse_error& e) {
    throw InputError(path, 0, std::string("the attribute \"json\" is not valid JSON: ") + e.what());
  }
  resolve(root, false, file.get(), path, "");
  return root;
}

void write_dp_dict(const std::string& path, const json& root_in) {
  QuietErrors quiet;
  json root = root_in;
  Hid file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose);
  if (!file.ok()) throw InputError(path, 0, "cannot create the HDF5 file");
  int counter = 0;
  store(root, file.get(), counter, path);
  const std::string text = root.dump();
  Hid type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type.get(), H5T_VARIABLE);
  H5Tset_cset(type.get(), H5T_CSET_UTF8);
  Hid space(H5Screate(H5S_SCALAR), H5Sclose);
  Hid attr(H5Acreate2(file.get(), "json", type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
           H5Aclose);
  const char* s = text.c_str();
  if (!attr.ok() || H5Awrite(attr.get(), type.get(), &s) < 0)
    throw InputError(path, 0, "writing the attribute \"json\" failed");
  attr.reset();
  if (H5Fclose(file.release()) < 0) throw InputError(path, 0, "closing the HDF5 file failed");
}

#endif

}  // namespace vitra::model_io
