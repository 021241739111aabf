// Extended XYZ: write -> read round trips on random triclinic cells, ASE's
// comment-line and Properties conventions, multi-frame files, and error
// messages that name the file and the line.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "host/elements.hpp"
#include "host/error.hpp"
#include "host/io/extxyz.hpp"
#include "host/io/structure_io.hpp"
#include "tests/common/random_cells.hpp"
#include "tests/common/temp_dir.hpp"

using namespace vitra;
namespace fs = std::filesystem;
using test::TempDir;

namespace {


const char* const kSpecies[] = {"H", "Li", "B", "O", "Si"};

Structure random_structure(std::mt19937_64& rng, std::size_t n, bool vel, bool frc) {
  Structure s;
  s.cell = test::randomly_rotated(rng, test::random_cell(rng, 3.0, 30.0, 0.5));
  s.positions = test::random_positions(rng, s.cell, n, 0.3);
  std::uniform_int_distribution<int> pick(0, 4);
  std::normal_distribution<double> g(0.0, 5.0);
  for (std::size_t i = 0; i < n; ++i) s.species.push_back(kSpecies[pick(rng)]);
  if (vel)
    for (std::size_t i = 0; i < n; ++i) s.velocities.push_back(Vec3{g(rng), g(rng), g(rng)});
  if (frc)
    for (std::size_t i = 0; i < n; ++i) s.forces.push_back(Vec3{g(rng), g(rng), g(rng)} * 1e-3);
  return s;
}

void expect_same(const Structure& a, const Structure& b) {
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) EXPECT_EQ(a.cell.m[i][j], b.cell.m[i][j]);
  EXPECT_EQ(a.pbc, b.pbc);
  ASSERT_EQ(a.size(), b.size());
  EXPECT_EQ(a.species, b.species);
  ASSERT_EQ(a.velocities.size(), b.velocities.size());
  ASSERT_EQ(a.forces.size(), b.forces.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_NEAR(norm(a.positions[i] - b.positions[i]), 0.0, 1e-12) << "atom " << i;
    // The shortest round-trip form is exact.
    EXPECT_EQ(a.positions[i].x, b.positions[i].x);
    if (!a.velocities.empty()) {
      EXPECT_EQ(a.velocities[i].z, b.velocities[i].z);
    }
    if (!a.forces.empty()) {
      EXPECT_EQ(a.forces[i].y, b.forces[i].y);
    }
  }
}

// The message of the InputError `f` throws.
template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no InputError thrown";
  return {};
}

}  // namespace

TEST(ExtXYZ, RoundTripRandomTriclinicCells) {
  const unsigned seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  TempDir tmp;
  for (int trial = 0; trial < 30; ++trial) {
    const std::size_t n = 1 + rng() % 200;
    Structure s = random_structure(rng, n, trial % 2 == 0, trial % 3 == 0);
    s.info["energy"] = "-12.5";
    s.info["name"] = "a \"quoted\" glass";
    s.info["flag"] = "T";
    const std::string path = tmp.file("s.xyz");
    write_extxyz(path, s);
    const Structure r = read_extxyz(path);
    expect_same(s, r);
    EXPECT_EQ(r.info, s.info);
    // Auto format detection goes the same way.
    expect_same(s, read_structure(path));
  }
}

TEST(ExtXYZ, MultiFrameFilesAndFrameSelection) {
  const unsigned seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  TempDir tmp;
  const std::string path = tmp.file("traj.extxyz");
  std::vector<Structure> frames;
  {
    ExtxyzWriter w(path);
    for (int k = 0; k < 3; ++k) {
      frames.push_back(random_structure(rng, 5 + k, k == 1, false));
      frames.back().info["step"] = std::to_string(k * 10);
      w.write(frames.back());
    }
    w.close();
  }
  frames.push_back(random_structure(rng, 4, true, true));
  append_extxyz(path, frames.back());

  const auto all = read_frames(path);
  ASSERT_EQ(all.size(), 4u);
  for (std::size_t k = 0; k < 4; ++k) expect_same(frames[k], all[k]);
  expect_same(frames[0], read_extxyz(path, 0));
  expect_same(frames[2], read_extxyz(path, 2));
  expect_same(frames[3], read_extxyz(path, -1));
  ReadOptions o;
  o.frame = -4;
  expect_same(frames[0], read_structure(path, StructureFormat::Auto, o));
  const std::string msg = error_of([&] { read_extxyz(path, 4); });
  EXPECT_NE(msg.find(path), std::string::npos) << msg;
  EXPECT_NE(msg.find("4 frames"), std::string::npos) << msg;
  EXPECT_NE(error_of([&] { read_extxyz(path, -5); }).find("4 frames"), std::string::npos);
}

TEST(ExtXYZ, ReadsAseConventions) {
  TempDir tmp;
  // Quoted values, spaces around '=', a bare key, braces, lower-case
  // species, extra columns of every type, momenta with a masses column.
  const std::string text =
      "3\n"
      "Lattice=\"10 0 0 1 9 0 0.5 0.25 8\" Properties=species:S:1:pos:R:3:tags:I:1:masses:R:1:"
      "momenta:R:3:move_mask:L:1:forces:R:3 energy = -3.25 comment='hello world' bare "
      "arr={1 2 3} pbc=\"T F T\"\n"
      "o 0.5 0.25 0.125 7 16.0 1.6 0 -3.2 T 0.1 0.2 0.3\n"
      "SI 1 2 3 0 28.0 0 0 0 F 0 0 0\n"
      "Li   -1.5e-1   2.0E+0 3 1 7.0 0.7 0.7 0 T 1 2 3\n";
  const std::string path = tmp.write("ase.xyz", text);
  const Structure s = read_extxyz(path);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s.species, (std::vector<std::string>{"O", "Si", "Li"}));
  EXPECT_EQ(s.cell.m[1][0], 1.0);
  EXPECT_EQ(s.cell.m[2][1], 0.25);
  EXPECT_EQ(s.pbc, (std::array<bool, 3>{{true, false, true}}));
  EXPECT_EQ(s.positions[2].x, -0.15);
  EXPECT_EQ(s.positions[2].y, 2.0);
  EXPECT_EQ(s.info.at("energy"), "-3.25");
  EXPECT_EQ(s.info.at("comment"), "hello world");
  EXPECT_EQ(s.info.at("bare"), "T");
  EXPECT_EQ(s.info.at("arr"), "1 2 3");
  EXPECT_EQ(s.info.count("Lattice") + s.info.count("Properties") + s.info.count("pbc"), 0u);
  // v = p / m in ASE units, times 0.01 sqrt(e/amu) for Å/ps.
  const double k = ase_velocity_unit_in_angstrom_per_ps();
  EXPECT_NEAR(k, 98.22694788464063, 1e-10);
  ASSERT_EQ(s.velocities.size(), 3u);
  EXPECT_NEAR(s.velocities[0].x, 0.1 * k, 1e-12);
  EXPECT_NEAR(s.velocities[0].z, -0.2 * k, 1e-12);
  EXPECT_NEAR(s.velocities[2].y, 0.1 * k, 1e-12);
  ASSERT_EQ(s.forces.size(), 3u);
  EXPECT_EQ(s.forces[2].z, 3.0);
}

TEST(ExtXYZ, MomentaWithoutMassesUseThePeriodicTableAndZColumn) {
  TempDir tmp;
  const std::string path =
      tmp.write("z.xyz",
                "2\nLattice=\"5 0 0 0 5 0 0 0 5\" Properties=Z:I:1:pos:R:3:momenta:R:3\n"
                "8 0 0 0 1 0 0\n"
                "14 1 1 1 0 2 0\n");
  const Structure s = read_extxyz(path);
  EXPECT_EQ(s.species, (std::vector<std::string>{"O", "Si"}));
  const double k = ase_velocity_unit_in_angstrom_per_ps();
  EXPECT_NEAR(s.velocities[0].x, k / element("O").mass, 1e-12);
  EXPECT_NEAR(s.velocities[1].y, 2 * k / element("Si").mass, 1e-12);
  EXPECT_EQ(s.pbc, (std::array<bool, 3>{{true, true, true}}));
}

TEST(ExtXYZ, NonPeriodicFilesKeepAZeroCell) {
  TempDir tmp;
  const std::string path = tmp.write("mol.xyz", "2\nwater-ish molecule\nO 0 0 0\nH 0.96 0 0\n");
  const Structure s = read_extxyz(path);
  EXPECT_EQ(s.pbc, (std::array<bool, 3>{{false, false, false}}));
  EXPECT_EQ(determinant(s.cell), 0.0);
  EXPECT_EQ(s.positions[1].x, 0.96);
  // Written back without a Lattice, and read back the same.
  const std::string out = tmp.file("mol2.xyz");
  write_extxyz(out, s);
  const Structure r = read_extxyz(out);
  EXPECT_EQ(r.pbc, s.pbc);
  EXPECT_EQ(determinant(r.cell), 0.0);
  EXPECT_EQ(r.info, s.info);
}

TEST(ExtXYZ, ErrorsNameTheFileAndTheLine) {
  TempDir tmp;
  const std::string head = "Lattice=\"5 0 0 0 5 0 0 0 5\" Properties=species:S:1:pos:R:3\n";
  struct Case {
    const char* name;
    std::string text;
    std::string where;  // "file:line"
    const char* words;  // in the message
  };
  const std::vector<Case> cases = {
      {"truncated.xyz", "3\n" + head + "O 0 0 0\nB 1 1 1\n", ":4:", "ends after 2 of the 3"},
      {"badnumber.xyz", "2\n" + head + "O 0 0 0\nB 1 1x 1\n", ":4:", "'1x'"},
      {"count.xyz", "1\n" + head + "O 0 0 0\nB 1 1 1\n", ":4:", "atom count"},
      {"columns.xyz", "2\n" + head + "O 0 0 0\nB 1 1\n", ":4:", "expected 4 columns"},
      {"species.xyz", "2\n" + head + "O 0 0 0\nXq 1 1 1\n", ":4:", "'Xq'"},
      {"lattice.xyz", "1\nLattice=\"5 0 0 0 5 0 0 0\"\nO 0 0 0\n", ":2:", "9 numbers"},
      {"props.xyz", "1\nProperties=species:S:1:pos:R:2\nO 0 0\n", ":2:", "pos:R:3"},
      {"natoms.xyz", "two\n" + head + "O 0 0 0\n", ":1:", "number of atoms"},
  };
  for (const auto& c : cases) {
    const std::string path = tmp.write(c.name, c.text);
    const std::string msg = error_of([&] { read_extxyz(path); });
    EXPECT_NE(msg.find(path + c.where), std::string::npos) << c.name << ": " << msg;
    EXPECT_NE(msg.find(c.words), std::string::npos) << c.name << ": " << msg;
  }
  const std::string missing = tmp.file("missing.xyz");
  EXPECT_NE(error_of([&] { read_extxyz(missing); }).find(missing), std::string::npos);
  EXPECT_NE(error_of([&] { read_extxyz(tmp.write("empty.xyz", "")); }).find("empty"),
            std::string::npos);
}

TEST(ExtXYZ, FormatNames) {
  EXPECT_EQ(format_from_name("xyz"), StructureFormat::ExtXYZ);
  EXPECT_EQ(format_from_name("extxyz"), StructureFormat::ExtXYZ);
  EXPECT_EQ(format_from_name("lammps-data"), StructureFormat::LammpsData);
  EXPECT_EQ(format_from_name("dump"), StructureFormat::LammpsDump);
  EXPECT_THROW(format_from_name("cif"), InputError);
  EXPECT_EQ(format_from_path("dir.v1/a.extxyz"), StructureFormat::ExtXYZ);
  EXPECT_EQ(format_from_path("glass.lmp"), StructureFormat::LammpsData);
  EXPECT_EQ(format_from_path("run/data.glass"), StructureFormat::LammpsData);
  EXPECT_EQ(format_from_path("traj.lammpstrj"), StructureFormat::LammpsDump);
  const std::string msg = error_of([] { format_from_path("glass.cif"); });
  EXPECT_NE(msg.find("glass.cif"), std::string::npos) << msg;
  EXPECT_NE(msg.find(".cif"), std::string::npos) << msg;
}
