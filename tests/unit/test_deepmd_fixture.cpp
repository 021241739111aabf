// DeePMD-kit's own reference case (shared/data/deepmd-fixtures: an O/H
// se_e2_a model with type_one_side, and a 6-atom system evaluated by
// DeePMD-kit's PyTorch backend in a periodic cube, without periodicity, and
// in a periodic 19×13×13 box): atomic energies, forces and atomic virials to
// 1e-10. Skipped when the shared folder is absent.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "host/model/deepmd_model_io.hpp"
#include "kernels/deepmd/deep_potential.hpp"
#include "kernels/system.hpp"

namespace vitra {
namespace {

const std::string kDir = std::string(VITRA_SHARED_DIR) + "/data/deepmd-fixtures";

std::vector<double> numbers(const YAML::Node& n) {
  std::vector<double> v;
  for (const auto& x : n) v.push_back(x.as<double>());
  return v;
}

TEST(DeepmdFixture, ReproducesDeepmdKitReference) {
  const std::string model_path = kDir + "/deeppot_sea.yaml";
  const std::string case_path = kDir + "/deeppot-testcase.yaml";
  if (!std::filesystem::exists(model_path) || !std::filesystem::exists(case_path))
    GTEST_SKIP() << "DeePMD-kit fixtures not found under " << kDir;
  const deepmd::SeE2aModel model = read_model(model_path);
  const YAML::Node tc = YAML::LoadFile(case_path);
  int blocks = 0;
  for (const YAML::Node& b : tc["results"]) {
    SCOPED_TRACE("block " + std::to_string(blocks));
    ++blocks;
    const std::vector<double> coord = numbers(b["coord"]);
    const std::size_t n = coord.size() / 3;
    std::vector<int> types;
    for (const auto& t : b["atype"]) types.push_back(t.as<int>());
    Mat3 h;
    if (b["box"].IsNull()) {
      // No periodicity: a cube wide enough that no atom sees an image.
      for (int k = 0; k < 3; ++k) h.m[k][k] = 100.0;
    } else {
      const std::vector<double> box = numbers(b["box"]);
      for (int k = 0; k < 9; ++k) h.m[k / 3][k % 3] = box[k];
    }
    std::vector<Vec3> x(n);
    for (std::size_t i = 0; i < n; ++i) x[i] = {coord[3 * i], coord[3 * i + 1], coord[3 * i + 2]};
    TypeMap tm;
    tm.names = model.type_map;
    tm.masses = {16.0, 1.0};
    System s(Box(h), tm, types, x);
    DeepPotential pot(model);
    ComputeRequest req;
    req.atom_energy = req.atom_virial = true;
    const ComputeResult r = pot.compute(s, req);

    const std::vector<double> e_ref = numbers(b["atomic_energy"]);
    const std::vector<double> f_ref = numbers(b["force"]);
    const std::vector<double> w_ref = numbers(b["atomic_virial"]);
    const std::vector<double> ae = pot.atom_energy().to_host();
    const std::vector<double> aw = pot.atom_virial().to_host();
    const std::vector<Vec3> f = s.host_forces();
    double e_total = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      e_total += e_ref[i];
      EXPECT_NEAR(ae[i], e_ref[i], 1e-10 * std::abs(e_ref[i])) << "atom " << i;
      for (int k = 0; k < 3; ++k) EXPECT_NEAR(f[i][k], f_ref[3 * i + k], 1e-10) << "atom " << i;
      for (int c = 0; c < 9; ++c) EXPECT_NEAR(aw[c * n + i], w_ref[9 * i + c], 1e-10) << "atom " << i << " " << c;
    }
    EXPECT_NEAR(r.energy, e_total, 1e-10 * std::abs(e_total));
  }
  EXPECT_EQ(blocks, 3);
}

}  // namespace
}  // namespace vitra
