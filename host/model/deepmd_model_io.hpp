#pragma once
// Reading and writing se_e2_a energy models (kernels/deepmd/se_e2_a_model.hpp).
//
// Formats, chosen by the file extension:
//   .yaml / .yml  DeePMD-kit v3's dpmodel serialization in YAML (every array
//                 inline as {"@class": "np.ndarray", dtype, value}), as written
//                 by deepmd.dpmodel.utils.serialization.save_dp_model and by
//                 `dp convert-backend model.pth model.yaml`.
//   .dp           the same dictionary in HDF5: a JSON string attribute "json" on
//                 the root group whose arrays are dataset names ("/variable_0003").
//                 Needs vitra built with the HDF5 C library (hdf5_available()).
//   .vdp          vitra's native format: a safetensors file (8-byte little-endian
//                 header length, a JSON header, raw little-endian float64 data)
//                 whose "__metadata__" holds the format name, its version and the
//                 hyperparameters as a JSON string. See vdp_format.cpp.
//
// The .yaml and .dp writers produce a dictionary that DeePMD-kit's load_dp_model
// + BaseModel.deserialize loads as an EnergyModel (DescrptSeA + EnergyFittingNet).
// They store the network weights and davg/dstd in the model's precision (float32
// models get float32 arrays, as DeePMD-kit writes them); .vdp stores float64.
//
// Every error is an InputError naming the file, the key path in the model
// dictionary (e.g. model.descriptor.type), what was found and what was expected.
#include <string>

#include "kernels/deepmd/se_e2_a_model.hpp"

namespace vitra {

enum class ModelFormat { Yaml, Dp, Vdp };

// From the extension (.yaml/.yml, .dp, .vdp); else InputError.
ModelFormat model_format_from_path(const std::string& path);
// "DeePMD-kit YAML", "DeePMD-kit HDF5 (.dp)", "vitra (.vdp)".
const char* model_format_label(ModelFormat f);

// Reads a model and checks it (SeE2aModel::validate); InputError when the file
// cannot be read, holds something vitra does not support, or is inconsistent.
deepmd::SeE2aModel read_model(const std::string& path);

// Writes a model (checked first with validate()); overwrites `path`.
void write_model(const std::string& path, const deepmd::SeE2aModel& model);

// Whether this build reads and writes .dp files (HDF5 found at configure time).
bool hdf5_available();

}  // namespace vitra
