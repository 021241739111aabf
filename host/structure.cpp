#include "host/structure.hpp"

#include <algorithm>

#include "host/elements.hpp"
#include "host/error.hpp"

namespace vitra {

std::vector<std::string> species_in_order(const Structure& s) {
  std::vector<std::string> order;
  for (const auto& e : s.species)
    if (std::find(order.begin(), order.end(), e) == order.end()) order.push_back(e);
  return order;
}

System to_system(const Structure& s, const std::vector<std::string>& type_order) {
  TypeMap tm;
  tm.names = type_order.empty() ? species_in_order(s) : type_order;
  for (const auto& name : tm.names) tm.masses.push_back(element(name).mass);
  std::vector<int> types(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    types[i] = tm.find(s.species[i]);
    if (types[i] < 0)
      throw InputError("atom " + std::to_string(i + 1) + " is " + s.species[i] +
                       ", which is not in the type map");
  }
  if (determinant(s.cell) == 0.0) throw InputError("the cell is singular (zero volume)");
  return System(Box(s.cell), tm, types, s.positions, s.velocities);
}

Structure from_system(const System& sys) {
  Structure s;
  s.cell = sys.box.h;
  const std::vector<int> types = sys.host_types();
  s.species.reserve(types.size());
  for (int t : types) s.species.push_back(sys.type_map.names[t]);
  s.positions = sys.host_positions();
  s.velocities = sys.host_velocities();
  return s;
}

}  // namespace vitra
