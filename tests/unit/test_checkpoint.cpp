// checkpoint.vcp: an exact round trip of the state, and clear errors naming
// the file for a wrong magic, a wrong version and a truncated file.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "host/error.hpp"
#include "host/workflow/checkpoint.hpp"
#include "tests/common/random_system.hpp"
#include "tests/common/seed.hpp"
#include "tests/common/temp_dir.hpp"

using namespace vitra;
using namespace vitra::workflow;

namespace {

Checkpoint sample(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  System s = test::random_system(rng, 57, 0.3);
  std::normal_distribution<double> g(0, 3);
  std::vector<Vec3> v(s.size());
  for (auto& x : v) x = {g(rng), g(rng), g(rng)};
  s.set_velocities(v);
  Checkpoint c;
  c.stage_index = 2;
  c.stage_name = "quench";
  c.step_in_stage = 1234;
  c.global_step = 98765;
  c.integrator = "nvt";
  c.integrator_state = {g(rng), g(rng), g(rng), 1e-300, -0.0};
  c.deform_cell0.m[0][0] = g(rng);
  c.thermo_rows = 77;
  c.dump_bytes = {{"melt.extxyz", 123456}, {"q.lammpstrj", 0}};
  c.initial_volume = 1234.5678;
  capture_system(s, c);
  c.images[5] = -3;
  return c;
}

std::string error_of(const std::string& path) {
  try {
    read_checkpoint(path);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST(Checkpoint, RoundTripIsExact) {
  const std::uint64_t seed = test::fresh_seed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  test::TempDir tmp;
  const Checkpoint c = sample(seed);
  const std::string path = tmp.file("checkpoint.vcp");
  write_checkpoint(path, c);
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  const Checkpoint r = read_checkpoint(path);
  EXPECT_EQ(r.stage_index, c.stage_index);
  EXPECT_EQ(r.stage_name, c.stage_name);
  EXPECT_EQ(r.step_in_stage, c.step_in_stage);
  EXPECT_EQ(r.stage_complete, c.stage_complete);
  EXPECT_EQ(r.global_step, c.global_step);
  EXPECT_EQ(r.integrator, c.integrator);
  EXPECT_EQ(0, std::memcmp(r.integrator_state.data(), c.integrator_state.data(),
                           c.integrator_state.size() * sizeof(double)));
  EXPECT_EQ(r.thermo_rows, c.thermo_rows);
  EXPECT_EQ(r.dump_bytes, c.dump_bytes);
  EXPECT_EQ(r.initial_volume, c.initial_volume);
  EXPECT_EQ(r.type_map.names, c.type_map.names);
  EXPECT_EQ(r.type_map.masses, c.type_map.masses);
  EXPECT_EQ(r.types, c.types);
  EXPECT_EQ(r.positions, c.positions);
  EXPECT_EQ(r.velocities, c.velocities);
  EXPECT_EQ(r.images, c.images);
  for (int a = 0; a < 3; ++a)
    for (int b = 0; b < 3; ++b) {
      EXPECT_EQ(r.cell.m[a][b], c.cell.m[a][b]);
      EXPECT_EQ(r.cell_inverse.m[a][b], c.cell_inverse.m[a][b]);
      EXPECT_EQ(r.deform_cell0.m[a][b], c.deform_cell0.m[a][b]);
    }

  // The restored System holds the same bits.
  const System s = restore_system(r);
  EXPECT_EQ(s.positions.to_host(), c.positions);
  EXPECT_EQ(s.velocities.to_host(), c.velocities);
  EXPECT_EQ(s.images.to_host(), c.images);
  EXPECT_EQ(s.masses.size(), c.atoms());
  EXPECT_EQ(s.box.hinv.m[1][2], c.cell_inverse.m[1][2]);
}

TEST(Checkpoint, BadFilesNameTheFileAndTheProblem) {
  test::TempDir tmp;
  const std::string good = tmp.file("good.vcp");
  write_checkpoint(good, sample(3));
  std::ifstream in(good, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string bytes = ss.str();

  std::string bad = bytes;
  bad[0] = 'X';
  const std::string magic = tmp.write("magic.vcp", bad);
  EXPECT_NE(error_of(magic).find(magic), std::string::npos) << error_of(magic);
  EXPECT_NE(error_of(magic).find("magic"), std::string::npos) << error_of(magic);

  bad = bytes;
  bad[8] = 9;  // version
  const std::string version = tmp.write("version.vcp", bad);
  EXPECT_NE(error_of(version).find("version 9"), std::string::npos) << error_of(version);

  for (std::size_t cut : {bytes.size() - 1, bytes.size() / 2, std::size_t(30), std::size_t(10)}) {
    const std::string path = tmp.write("cut.vcp", bytes.substr(0, cut));
    const std::string e = error_of(path);
    EXPECT_NE(e.find(path), std::string::npos) << e;
    EXPECT_TRUE(e.find("truncated") != std::string::npos || e.find("shorter") != std::string::npos) << e;
  }
  const std::string longer = tmp.write("long.vcp", bytes + "x");
  EXPECT_NE(error_of(longer).find("after the last array"), std::string::npos) << error_of(longer);
  EXPECT_NE(error_of(tmp.file("missing.vcp")).find("cannot open"), std::string::npos);
}
