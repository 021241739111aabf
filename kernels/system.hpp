#pragma once
// System: the device-resident state of the atoms. Positions, velocities and
// forces are stored as blocked SoA (x of all atoms, then y, then z) so that
// consecutive GPU threads read consecutive addresses.
#include <cstddef>
#include <string>
#include <vector>

#include "cuda/device_array.hpp"
#include "kernels/box.hpp"
#include "kernels/vec3.hpp"

namespace vitra {

// Element names of the atom types and their masses (amu), index = type id.
struct TypeMap {
  std::vector<std::string> names;
  std::vector<double> masses;

  int size() const { return static_cast<int>(names.size()); }
  // Type id of an element name, or -1.
  int find(const std::string& name) const;
};

// Reads component k of atom i from a blocked SoA array of n atoms.
VITRA_HD Vec3 load_vec3(const double* a, std::size_t n, std::size_t i) {
  return {a[i], a[i + n], a[i + 2 * n]};
}
VITRA_HD void store_vec3(double* a, std::size_t n, std::size_t i, Vec3 v) {
  a[i] = v.x;
  a[i + n] = v.y;
  a[i + 2 * n] = v.z;
}

class System {
 public:
  System() = default;
  // Copies host data to the active backend. types[i] indexes type_map;
  // velocities may be empty (then zero).
  System(const Box& box, TypeMap type_map, const std::vector<int>& types,
         const std::vector<Vec3>& positions, const std::vector<Vec3>& velocities = {});

  std::size_t size() const { return n_; }
  int num_types() const { return type_map.size(); }

  Box box;
  TypeMap type_map;
  DeviceArray<double> positions;   // Å, 3N blocked SoA
  DeviceArray<double> velocities;  // Å/ps, 3N blocked SoA
  DeviceArray<double> forces;      // eV/Å, 3N blocked SoA
  DeviceArray<int> types;          // N, index into type_map
  DeviceArray<double> masses;      // N, amu (from type_map, kept per atom for the kernels)
  DeviceArray<int> images;         // 3N blocked: cell vectors removed by wrapping

  // Host copies, interleaved per atom, for I/O and tests.
  std::vector<Vec3> host_positions() const { return to_vec3(positions); }
  std::vector<Vec3> host_velocities() const { return to_vec3(velocities); }
  std::vector<Vec3> host_forces() const { return to_vec3(forces); }
  std::vector<int> host_types() const { return types.to_host(); }
  std::vector<int> host_images() const;  // 3 per atom, interleaved
  void set_positions(const std::vector<Vec3>& r);
  void set_velocities(const std::vector<Vec3>& v);

  // Total mass (amu) and mass density (g/cm³).
  double total_mass() const;
  double density() const;

 private:
  std::vector<Vec3> to_vec3(const DeviceArray<double>& a) const;
  DeviceArray<double> from_vec3(const std::vector<Vec3>& v) const;

  std::size_t n_ = 0;
};

}  // namespace vitra
