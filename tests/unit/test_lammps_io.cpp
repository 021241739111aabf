// LAMMPS data and dump files: round trips on random triclinic cells, the
// rotation of general cells into LAMMPS's restricted form, the details of
// reading (masses, comments, image flags, origins, styles, columns), and error
// messages that name the file and the line.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "host/error.hpp"
#include "host/io/lammps_data.hpp"
#include "host/io/lammps_dump.hpp"
#include "host/io/structure_io.hpp"
#include "tests/common/random_cells.hpp"
#include "tests/common/temp_dir.hpp"

using namespace vitra;
namespace fs = std::filesystem;
using test::TempDir;

namespace {


const char* const kSpecies[] = {"O", "B", "Li", "Si", "H"};

Structure random_structure(std::mt19937_64& rng, const Mat3& cell, std::size_t n, bool vel,
                           bool frc = false) {
  Structure s;
  s.cell = cell;
  s.positions = test::random_positions(rng, s.cell, n, 0.2);
  std::uniform_int_distribution<int> pick(0, 4);
  std::normal_distribution<double> g(0.0, 5.0);
  for (std::size_t i = 0; i < n; ++i) s.species.push_back(kSpecies[pick(rng)]);
  if (vel)
    for (std::size_t i = 0; i < n; ++i) s.velocities.push_back(Vec3{g(rng), g(rng), g(rng)});
  if (frc)
    for (std::size_t i = 0; i < n; ++i) s.forces.push_back(Vec3{g(rng), g(rng), g(rng)});
  return s;
}

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

void expect_same_lattice(const Mat3& a, const Mat3& b, double tol) {
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) {
      EXPECT_NEAR(dot(a.row(i), a.row(j)), dot(b.row(i), b.row(j)),
                  tol * (1 + std::fabs(dot(a.row(i), a.row(j)))))
          << "metric " << i << j;
    }
  EXPECT_NEAR(std::fabs(determinant(a)), std::fabs(determinant(b)),
              tol * std::fabs(determinant(a)));
}

// Same structure up to a rotation: lattice metric, volume, species, all
// interatomic vectors' lengths and the fractional coordinates.
void expect_same_up_to_rotation(const Structure& a, const Structure& b) {
  expect_same_lattice(a.cell, b.cell, 1e-12);
  ASSERT_EQ(a.size(), b.size());
  EXPECT_EQ(a.species, b.species);
  const Mat3 ia = inverse(a.cell), ib = inverse(b.cell);
  for (std::size_t i = 0; i < a.size(); ++i) {
    const Vec3 sa = a.positions[i] * ia, sb = b.positions[i] * ib;
    EXPECT_NEAR(norm(sa - sb), 0.0, 1e-12) << "atom " << i;
    for (std::size_t j = i + 1; j < a.size(); j += 7) {
      const double da = norm(a.positions[i] - a.positions[j]);
      const double db = norm(b.positions[i] - b.positions[j]);
      EXPECT_NEAR(da, db, 1e-11) << "pair " << i << "," << j;
    }
  }
  ASSERT_EQ(a.velocities.size(), b.velocities.size());
  for (std::size_t i = 0; i + 1 < a.velocities.size(); ++i) {
    EXPECT_NEAR(norm(a.velocities[i]), norm(b.velocities[i]), 1e-11);
    EXPECT_NEAR(dot(a.velocities[i], a.velocities[i + 1]),
                dot(b.velocities[i], b.velocities[i + 1]), 1e-10);
    // The velocity keeps its angle to the cell vectors.
    EXPECT_NEAR(dot(a.velocities[i], a.cell.row(1)), dot(b.velocities[i], b.cell.row(1)), 1e-10);
  }
}

}  // namespace

TEST(LammpsData, RoundTripIsExactForLammpsShapedCells) {
  const unsigned seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  TempDir tmp;
  for (int trial = 0; trial < 30; ++trial) {
    const Mat3 cell = test::random_cell(rng, 3.0, 30.0, 0.5);
    const Structure s = random_structure(rng, cell, 1 + rng() % 150, trial % 2 == 0);
    const std::string path = tmp.file("s.data");
    write_lammps_data(path, s);
    const Structure r = read_structure(path);
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j) EXPECT_EQ(r.cell.m[i][j], s.cell.m[i][j]);
    ASSERT_EQ(r.size(), s.size());
    EXPECT_EQ(r.species, s.species);
    ASSERT_EQ(r.velocities.size(), s.velocities.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
      EXPECT_NEAR(norm(r.positions[i] - s.positions[i]), 0.0, 1e-12);
      EXPECT_EQ(r.positions[i].z, s.positions[i].z);
      if (!s.velocities.empty()) {
        EXPECT_EQ(r.velocities[i].y, s.velocities[i].y);
      }
    }
  }
}

TEST(LammpsData, GeneralCellsAreRotatedIntoLammpsForm) {
  const unsigned seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  TempDir tmp;
  for (int trial = 0; trial < 30; ++trial) {
    const Mat3 cell = test::randomly_rotated(rng, test::random_cell(rng, 3.0, 30.0, 0.5));
    const LammpsCell lc = lammps_cell(cell);
    EXPECT_TRUE(lc.rotated);
    EXPECT_EQ(lc.cell.m[0][1], 0.0);
    EXPECT_EQ(lc.cell.m[0][2], 0.0);
    EXPECT_EQ(lc.cell.m[1][2], 0.0);
    EXPECT_GT(lc.cell.m[2][2], 0.0);
    const Mat3 RtR = transpose(lc.rotation) * lc.rotation;
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j) EXPECT_NEAR(RtR.m[i][j], i == j ? 1.0 : 0.0, 1e-14);

    const Structure s = random_structure(rng, cell, 2 + rng() % 100, true);
    const std::string path = tmp.file("rot.data");
    write_lammps_data(path, s);
    const Structure r = read_lammps_data(path);
    EXPECT_EQ(r.cell.m[0][1], 0.0);
    EXPECT_EQ(r.cell.m[1][2], 0.0);
    expect_same_up_to_rotation(s, r);
  }
}

TEST(LammpsData, ReadsMassesCommentsImageFlagsAndStyles) {
  TempDir tmp;
  // Unsorted ids, an origin away from 0, image flags, masses with and
  // without element comments, a skipped section, Velocities by id.
  const std::string path = tmp.write("in.data",
                                     "LAMMPS data file via write_data\n"
                                     "\n"
                                     "3 atoms   # three\n"
                                     "3 atom types\n"
                                     "0 bonds\n"
                                     "-5.0 5.0 xlo xhi\n"
                                     "-1 9 ylo yhi\n"
                                     "2 12 zlo zhi\n"
                                     "1 -2 0.5 xy xz yz\n"
                                     "\n"
                                     "Masses\n"
                                     "\n"
                                     "1 15.9994 # O\n"
                                     "2 10.811\n"
                                     "3 6.94 # li\n"
                                     "\n"
                                     "Pair Coeffs # zero\n"
                                     "\n"
                                     "1 0 0\n"
                                     "2 0 0\n"
                                     "3 0 0\n"
                                     "\n"
                                     "Atoms # atomic\n"
                                     "\n"
                                     "3 3 -4 0 3 1 0 -1\n"
                                     "1 1 0 0 2 0 0 0\n"
                                     "2 2 1 1 4 0 0 0\n"
                                     "\n"
                                     "Velocities\n"
                                     "\n"
                                     "2 0.2 0 0\n"
                                     "3 0.3 0 0\n"
                                     "1 0.1 0 0\n");
  const Structure s = read_lammps_data(path);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s.species, (std::vector<std::string>{"O", "B", "Li"}));  // B from its mass
  EXPECT_EQ(s.cell.m[0][0], 10.0);
  EXPECT_EQ(s.cell.m[1][0], 1.0);
  EXPECT_EQ(s.cell.m[2][0], -2.0);
  EXPECT_EQ(s.cell.m[2][1], 0.5);
  // Relative to the origin (-5, -1, 2).
  EXPECT_EQ(s.positions[0].x, 5.0);
  EXPECT_EQ(s.positions[0].y, 1.0);
  EXPECT_EQ(s.positions[0].z, 0.0);
  // Atom 3: (-4, 0, 3) - origin + 1·a - 1·c = (1, 1, 1) + (10, 0, 0) - (-2, 0.5, 10).
  EXPECT_NEAR(s.positions[2].x, 13.0, 1e-14);
  EXPECT_NEAR(s.positions[2].y, 0.5, 1e-14);
  EXPECT_NEAR(s.positions[2].z, -9.0, 1e-14);
  ASSERT_EQ(s.velocities.size(), 3u);
  EXPECT_EQ(s.velocities[0].x, 0.1);
  EXPECT_EQ(s.velocities[2].x, 0.3);

  // --types wins over what the file says.
  const Structure t = read_lammps_data(path, {"Si", "O", "H"});
  EXPECT_EQ(t.species, (std::vector<std::string>{"Si", "O", "H"}));

  // atom_style charge and full, and type labels.
  const std::string charge =
      tmp.write("charge.data",
                "x\n2 atoms\n2 atom types\n0 4 xlo xhi\n0 4 ylo yhi\n0 4 zlo zhi\n"
                "Atom Type Labels\n\n1 Si\n2 O\n\n"
                "Atoms # charge\n\n1 Si 2.4 1 1 1\n2 2 -1.2 2 2 2 0 0 1\n");
  const Structure c = read_lammps_data(charge);
  EXPECT_EQ(c.species, (std::vector<std::string>{"Si", "O"}));
  EXPECT_EQ(c.positions[0].x, 1.0);
  EXPECT_EQ(c.positions[1].z, 6.0);
  const std::string full =
      tmp.write("full.data",
                "x\n1 atoms\n1 atom types\n0 4 xlo xhi\n0 4 ylo yhi\n0 4 zlo zhi\n"
                "Masses\n\n1 28.0855\n\nAtoms\n\n1 7 1 0.0 1.5 2.5 3.5\n");
  const Structure f = read_lammps_data(full);
  EXPECT_EQ(f.species[0], "Si");
  EXPECT_EQ(f.positions[0].y, 2.5);
}

TEST(LammpsData, WritesTypesInTheGivenOrder) {
  TempDir tmp;
  Structure s;
  s.cell = Box::orthorhombic(5, 6, 7).h;
  s.species = {"O", "Li", "O"};
  s.positions = {{0, 0, 0}, {1, 1, 1}, {2, 2, 2}};
  const std::string path = tmp.file("t.data");
  write_lammps_data(path, s, {"B", "O", "Li"});
  std::ifstream in(path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("3 atom types"), std::string::npos) << text;
  EXPECT_NE(text.find("1 10.81 # B"), std::string::npos) << text;
  EXPECT_NE(text.find("\n2 3 1 1 1\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("xy xz yz"), std::string::npos) << text;
  EXPECT_EQ(read_lammps_data(path).species, s.species);
  EXPECT_THROW(write_lammps_data(path, s, {"B", "O"}), InputError);
  Structure nocell = s;
  nocell.cell = Mat3();
  EXPECT_THROW(write_lammps_data(path, nocell), InputError);
}

TEST(LammpsData, ErrorsNameTheFileAndTheLine) {
  TempDir tmp;
  const std::string head =
      "title\n2 atoms\n2 atom types\n0 5 xlo xhi\n0 5 ylo yhi\n0 5 zlo zhi\n\nMasses\n\n1 15.999 # "
      "O\n2 "
      "10.81 # B\n\nAtoms # atomic\n\n";  // Atoms is line 13, atoms from line 15
  struct Case {
    const char* name;
    std::string text;
    std::string where;
    const char* words;
  };
  const std::vector<Case> cases = {
      {"truncated.data", head + "1 1 0 0 0\n", ":15:", "ends after 1 of the 2 atom"},
      {"badnumber.data", head + "1 1 0 0 0\n2 2 1 zero 1\n", ":16:", "'zero'"},
      {"fewer.data", head + "1 1 0 0 0\n\nVelocities\n\n1 0 0 0\n2 0 0 0\n",
       ":17:", "expected 2 atom lines"},
      {"more.data", head + "1 1 0 0 0\n2 2 1 1 1\n3 1 2 2 2\n", ":17:", "count in the header"},
      {"type.data", head + "1 1 0 0 0\n2 3 1 1 1\n", ":16:", "from 1 to 2, found 3"},
      {"dup.data", head + "1 1 0 0 0\n1 2 1 1 1\n", ":16:", "id 1 on lines 15 and 16"},
      {"columns.data", head + "1 1 0 0 0\n2 2 1 1\n", ":16:", "expected 5 or 8 columns"},
      {"header.data", "t\n2 atoms\n2 atom kinds\n", ":3:", "header line"},
      {"mass.data",
       "t\n1 atoms\n1 atom types\n0 5 xlo xhi\n0 5 ylo yhi\n0 5 zlo zhi\nMasses\n\n1 "
       "12.5\n\nAtoms\n\n1 1 0 "
       "0 0\n",
       ":9:", "--types"},
      {"velocity.data", head + "1 1 0 0 0\n2 2 1 1 1\n\nVelocities\n\n1 0 0 0\n5 0 0 0\n",
       ":21:", "id 5"},
  };
  for (const auto& c : cases) {
    const std::string path = tmp.write(c.name, c.text);
    const std::string msg = error_of([&] { read_lammps_data(path); });
    EXPECT_NE(msg.find(path + c.where), std::string::npos) << c.name << ": " << msg;
    EXPECT_NE(msg.find(c.words), std::string::npos) << c.name << ": " << msg;
  }
  // No Masses section: asks for --types, and --types fixes it.
  const std::string nomass = tmp.write(
      "nomass.data",
      "t\n1 atoms\n1 atom types\n0 5 xlo xhi\n0 5 ylo yhi\n0 5 zlo zhi\nAtoms\n\n1 1 0 0 0\n");
  EXPECT_NE(error_of([&] { read_lammps_data(nomass); }).find("--types"), std::string::npos);
  EXPECT_EQ(read_lammps_data(nomass, {"Li"}).species[0], "Li");
  EXPECT_NE(error_of([&] { read_lammps_data(nomass, {"Xq"}); }).find("'Xq'"), std::string::npos);
}

TEST(LammpsDump, RoundTripAndTrajectories) {
  const unsigned seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  TempDir tmp;
  const std::string path = tmp.file("traj.dump");
  std::vector<Structure> frames;
  {
    LammpsDumpWriter w(path);
    for (int k = 0; k < 4; ++k) {
      // An orthorhombic frame too, which takes the two-column BOX BOUNDS.
      const Mat3 cell =
          k == 2 ? Box::orthorhombic(7, 8, 9).h : test::random_cell(rng, 3.0, 30.0, 0.5);
      frames.push_back(random_structure(rng, cell, 1 + rng() % 100, k % 2 == 0, k == 3));
      if (k == 1) frames.back().info["timestep"] = "5000";
      w.write(frames.back());
    }
    w.close();
  }
  append_lammps_dump(path, frames[0]);
  frames.push_back(frames[0]);

  const auto all = read_frames(path);
  ASSERT_EQ(all.size(), frames.size());
  const char* steps[] = {"0", "5000", "2", "3", "0"};
  for (std::size_t k = 0; k < frames.size(); ++k) {
    const Structure& s = frames[k];
    const Structure& r = all[k];
    EXPECT_EQ(r.info.at("timestep"), steps[k]);
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j) EXPECT_NEAR(r.cell.m[i][j], s.cell.m[i][j], 1e-12 * 30);
    ASSERT_EQ(r.size(), s.size());
    EXPECT_EQ(r.species, s.species);
    ASSERT_EQ(r.velocities.size(), s.velocities.size());
    ASSERT_EQ(r.forces.size(), s.forces.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
      EXPECT_NEAR(norm(r.positions[i] - s.positions[i]), 0.0, 1e-12);
      if (!s.velocities.empty()) {
        EXPECT_EQ(r.velocities[i].x, s.velocities[i].x);
      }
      if (!s.forces.empty()) {
        EXPECT_EQ(r.forces[i].z, s.forces[i].z);
      }
    }
  }
  EXPECT_EQ(read_lammps_dump(path, -1).size(), frames.back().size());
  EXPECT_EQ(read_lammps_dump(path, 3).size(), frames[3].size());
  const std::string msg = error_of([&] { read_lammps_dump(path, 5); });
  EXPECT_NE(msg.find("5 frames"), std::string::npos) << msg;
}

TEST(LammpsDump, GeneralCellsAreRotated) {
  const unsigned seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  TempDir tmp;
  for (int trial = 0; trial < 20; ++trial) {
    const Mat3 cell = test::randomly_rotated(rng, test::random_cell(rng, 3.0, 30.0, 0.5));
    const Structure s = random_structure(rng, cell, 2 + rng() % 60, true);
    const std::string path = tmp.file("g.lammpstrj");
    write_structure(path, s);
    const Structure r = read_structure(path);
    expect_same_up_to_rotation(s, r);
  }
}

TEST(LammpsDump, ReadsColumnsByName) {
  TempDir tmp;
  // Scaled coordinates, unsorted ids, types named by the caller, an origin.
  const std::string scaled = tmp.write("s.dump",
                                       "ITEM: TIMESTEP\n100\nITEM: NUMBER OF ATOMS\n2\n"
                                       "ITEM: BOX BOUNDS pp pp ff\n-5 5\n0 10\n1 21\n"
                                       "ITEM: ATOMS type ys id xs zs\n"
                                       "2 0.5 2 0.25 0.5\n1 0 1 0 0\n");
  const Structure s = read_lammps_dump(scaled, 0, {"O", "Si"});
  EXPECT_EQ(s.species, (std::vector<std::string>{"O", "Si"}));
  EXPECT_EQ(s.positions[1].x, 2.5);
  EXPECT_EQ(s.positions[1].y, 5.0);
  EXPECT_EQ(s.positions[1].z, 10.0);
  EXPECT_EQ(s.cell.m[2][2], 20.0);
  EXPECT_EQ(s.pbc, (std::array<bool, 3>{{true, true, false}}));
  EXPECT_EQ(s.info.at("timestep"), "100");
  // Without type names, a dump with only types asks for --types.
  const std::string msg = error_of([&] { read_lammps_dump(scaled); });
  EXPECT_NE(msg.find(scaled + ":9:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("--types"), std::string::npos) << msg;

  // Unwrapped coordinates win; a triclinic box relative to its origin.
  const std::string tri = tmp.write("t.dump",
                                    "ITEM: TIMESTEP\n7\nITEM: NUMBER OF ATOMS\n1\n"
                                    "ITEM: BOX BOUNDS xy xz yz pp pp pp\n-2 11 1\n0 10 -2\n0 10 0\n"
                                    "ITEM: ATOMS id element x y z xu yu zu mass\n"
                                    "1 Si 1 1 1 11 1 1 28.0855\n");
  const Structure t = read_lammps_dump(tri);
  // xlo = -2 - min(0, 1, -2, -1) = 0, xhi = 11 - 1 = 10; ylo = 0, yhi = 10.
  EXPECT_EQ(t.cell.m[0][0], 10.0);
  EXPECT_EQ(t.cell.m[1][0], 1.0);
  EXPECT_EQ(t.cell.m[2][0], -2.0);
  EXPECT_EQ(t.positions[0].x, 11.0);
  EXPECT_EQ(t.species[0], "Si");
}

TEST(LammpsDump, ErrorsNameTheFileAndTheLine) {
  TempDir tmp;
  const std::string head =
      "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n2\nITEM: BOX BOUNDS pp pp pp\n0 5\n0 5\n0 5\n"
      "ITEM: ATOMS id element x y z\n";  // atoms from line 10
  struct Case {
    const char* name;
    std::string text;
    std::string where;
    const char* words;
  };
  const std::vector<Case> cases = {
      {"truncated.dump", head + "1 O 0 0 0\n", ":10:", "ends after 1 of the 2"},
      {"badnumber.dump", head + "1 O 0 0 0\n2 B 1 1 nan1\n", ":11:", "'nan1'"},
      {"count.dump", head + "1 O 0 0 0\nITEM: TIMESTEP\n1\n",
       ":11:", "number of atoms 2 on line 4"},
      {"columns.dump", head + "1 O 0 0 0\n2 B 1 1\n", ":11:", "expected 5 columns"},
      {"species.dump", head + "1 O 0 0 0\n2 Qq 1 1 1\n", ":11:", "'Qq'"},
      {"item.dump", "ITEM: TIMESTEP\n0\nITEM: BOXES\n", ":3:", "BOX BOUNDS"},
      {"box.dump",
       "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n1\nITEM: BOX BOUNDS pp pp pp\n0 5\n0\n",
       ":7:", "numbers on a BOX BOUNDS line"},
  };
  for (const auto& c : cases) {
    const std::string path = tmp.write(c.name, c.text);
    const std::string msg = error_of([&] { read_lammps_dump(path); });
    EXPECT_NE(msg.find(path + c.where), std::string::npos) << c.name << ": " << msg;
    EXPECT_NE(msg.find(c.words), std::string::npos) << c.name << ": " << msg;
  }
}

TEST(LammpsData, ElementFromMass) {
  EXPECT_EQ(element_from_mass(15.9994), "O");
  EXPECT_EQ(element_from_mass(10.811), "B");
  EXPECT_EQ(element_from_mass(6.941), "Li");
  EXPECT_EQ(element_from_mass(12.5), "");
}
