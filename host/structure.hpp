#pragma once
// Structure: a host-side snapshot of atoms as files hold them (element names,
// interleaved positions, the cell). File readers and writers work on it;
// to_system / from_system move it to and from the device-resident System.
#include <array>
#include <map>
#include <string>
#include <vector>

#include "kernels/system.hpp"
#include "kernels/vec3.hpp"

namespace vitra {

struct Structure {
  Mat3 cell;                                 // rows are a, b, c (Å)
  std::array<bool, 3> pbc{{true, true, true}};
  std::vector<std::string> species;          // element symbol per atom
  std::vector<Vec3> positions;               // Å
  std::vector<Vec3> velocities;              // Å/ps; empty when the file has none
  std::vector<Vec3> forces;                  // eV/Å; empty when the file has none
  std::map<std::string, std::string> info;   // other per-frame key=value pairs, kept verbatim

  std::size_t size() const { return positions.size(); }
};

// Element names in order of first appearance.
std::vector<std::string> species_in_order(const Structure& s);

// Device System from a Structure. Types follow `type_order` when given (a
// model's type map), else order of first appearance; masses come from the
// periodic table. An element missing from type_order is an InputError.
System to_system(const Structure& s, const std::vector<std::string>& type_order = {});
Structure from_system(const System& sys);

}  // namespace vitra
