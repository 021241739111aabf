// Model files: dispatch on the extension (see deepmd_model_io.hpp).
#include "host/model/deepmd_model_io.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <stdexcept>

#include "host/error.hpp"
#include "host/model/model_dict.hpp"

namespace vitra {

ModelFormat model_format_from_path(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ext == ".yaml" || ext == ".yml") return ModelFormat::Yaml;
  if (ext == ".dp") return ModelFormat::Dp;
  if (ext == ".vdp") return ModelFormat::Vdp;
  throw InputError(path, 0,
                   "unknown model format \"" + ext +
                       "\" (expected .yaml or .yml and .dp for DeePMD-kit models, .vdp for "
                       "vitra's own; for a .pth or .pb model run `dp convert-backend MODEL "
                       "model.yaml` first)");
}

const char* model_format_label(ModelFormat f) {
  switch (f) {
    case ModelFormat::Yaml: return "DeePMD-kit YAML";
    case ModelFormat::Dp: return "DeePMD-kit HDF5 (.dp)";
    case ModelFormat::Vdp: return "vitra (.vdp)";
  }
  return "?";
}

bool hdf5_available() { return model_io::dp_supported(); }

deepmd::SeE2aModel read_model(const std::string& path) {
  const ModelFormat f = model_format_from_path(path);
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw InputError(path, 0, "the model file does not exist");
  switch (f) {
    case ModelFormat::Yaml: return model_io::model_from_dict(model_io::read_yaml_dict(path), path);
    case ModelFormat::Dp: return model_io::model_from_dict(model_io::read_dp_dict(path), path);
    case ModelFormat::Vdp: return model_io::read_vdp(path);
  }
  throw InputError(path, 0, "unknown model format");
}

void write_model(const std::string& path, const deepmd::SeE2aModel& model) {
  const ModelFormat f = model_format_from_path(path);
  try {
    model.validate();
  } catch (const std::invalid_argument& e) {
    throw InputError(path, 0, std::string("refusing to write an inconsistent model: ") + e.what());
  }
  switch (f) {
    case ModelFormat::Yaml:
      model_io::write_yaml_dict(path, model_io::dict_from_model(model));
      return;
    case ModelFormat::Dp:
      if (!model_io::dp_supported()) model_io::write_dp_dict(path, {});  // throws: no HDF5
      model_io::write_dp_dict(path, model_io::dict_from_model(model));
      return;
    case ModelFormat::Vdp:
      model_io::write_vdp(path, model);
      return;
  }
}

}  // namespace vitra
