#include "kernels/system.hpp"

#include <stdexcept>

#include "kernels/units.hpp"

namespace vitra {

int TypeMap::find(const std::string& name) const {
  for (int t = 0; t < size(); ++t)
    if (names[t] == name) return t;
  return -1;
}

System::System(const Box& box_, TypeMap type_map_, const std::vector<int>& types_,
               const std::vector<Vec3>& positions_, const std::vector<Vec3>& velocities_)
    : box(box_), type_map(std::move(type_map_)), n_(positions_.size()) {
  if (types_.size() != n_)
    throw std::invalid_argument("System: " + std::to_string(types_.size()) + " types for " +
                                std::to_string(n_) + " positions");
  if (!velocities_.empty() && velocities_.size() != n_)
    throw std::invalid_argument("System: " + std::to_string(velocities_.size()) +
                                " velocities for " + std::to_string(n_) + " positions");
  if (type_map.masses.size() != type_map.names.size())
    throw std::invalid_argument("System: type map has names and masses of different lengths");
  std::vector<double> m(n_);
  for (std::size_t i = 0; i < n_; ++i) {
    if (types_[i] < 0 || types_[i] >= type_map.size())
      throw std::invalid_argument("System: atom " + std::to_string(i) + " has type " +
                                  std::to_string(types_[i]) + " outside the type map");
    m[i] = type_map.masses[types_[i]];
  }
  positions = from_vec3(positions_);
  velocities = velocities_.empty() ? DeviceArray<double>(3 * n_) : from_vec3(velocities_);
  if (velocities_.empty()) velocities.fill_zero();
  forces = DeviceArray<double>(3 * n_);
  forces.fill_zero();
  types = DeviceArray<int>(types_);
  masses = DeviceArray<double>(m);
  images = DeviceArray<int>(3 * n_);
  images.fill_zero();
}

std::vector<Vec3> System::to_vec3(const DeviceArray<double>& a) const {
  const std::vector<double> h = a.to_host();
  std::vector<Vec3> out(n_);
  for (std::size_t i = 0; i < n_; ++i) out[i] = load_vec3(h.data(), n_, i);
  return out;
}

DeviceArray<double> System::from_vec3(const std::vector<Vec3>& v) const {
  if (v.size() != n_)
    throw std::invalid_argument("System: " + std::to_string(v.size()) + " vectors for " +
                                std::to_string(n_) + " atoms");
  std::vector<double> h(3 * n_);
  for (std::size_t i = 0; i < n_; ++i) store_vec3(h.data(), n_, i, v[i]);
  return DeviceArray<double>(h);
}

std::vector<int> System::host_images() const {
  const std::vector<int> h = images.to_host();
  std::vector<int> out(3 * n_);
  for (std::size_t i = 0; i < n_; ++i)
    for (int k = 0; k < 3; ++k) out[3 * i + k] = h[i + k * n_];
  return out;
}

void System::set_positions(const std::vector<Vec3>& r) { positions = from_vec3(r); }
void System::set_velocities(const std::vector<Vec3>& v) { velocities = from_vec3(v); }

double System::total_mass() const {
  const std::vector<int> t = types.to_host();
  double total = 0;
  for (int ti : t) total += type_map.masses[ti];
  return total;
}

double System::density() const { return total_mass() / box.volume() * units::kAmuPerA3ToGcm3; }

}  // namespace vitra
