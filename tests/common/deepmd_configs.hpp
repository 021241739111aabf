#pragma once
// Random structures for the se_e2_a tests (models: random_se_e2_a.hpp).
#include <random>
#include <string>
#include <vector>

#include "kernels/system.hpp"
#include "tests/common/random_cells.hpp"

namespace vitra::test {

struct DeepConfig {
  Mat3 h;
  std::vector<int> types;
  std::vector<Vec3> x;
};

// A jittered grid (about 2.2 Å apart: ~25 neighbors within 4 Å) in a random
// triclinic cell; `small`: four atoms at random, no closer than 1.3 Å, in a
// cell narrower than a 4 Å rcut in some direction, so atoms see their own
// images. Every type appears (when there are enough atoms).
inline DeepConfig random_deep_config(std::mt19937_64& rng, bool small, int ntypes) {
  DeepConfig c;
  c.h = small ? random_cell(rng, 3.3, 5.5, 0.25) : random_cell(rng, 6.0, 9.0, 0.3);
  if (small) {
    const Box box(c.h);
    while (c.x.size() < 4) {
      const Vec3 r = random_positions(rng, c.h, 1)[0];
      bool ok = true;
      for (const Vec3& q : c.x) ok = ok && norm(box.minimum_image(r - q)) > 1.3;
      if (ok) c.x.push_back(r);
    }
  } else {
    c.x = jittered_grid(rng, c.h, 2.2, 0.2);
  }
  std::uniform_int_distribution<int> t(0, ntypes - 1);
  for (std::size_t i = 0; i < c.x.size(); ++i) c.types.push_back(t(rng));
  for (int k = 0; k < ntypes && k < static_cast<int>(c.x.size()); ++k) c.types[k] = k;
  return c;
}

// The System of a config, with the given element names (masses 10 amu).
inline System deep_system(const DeepConfig& c, const std::vector<std::string>& names) {
  TypeMap tm;
  tm.names = names;
  tm.masses.assign(names.size(), 10.0);
  return System(Box(c.h), tm, c.types, c.x);
}

}  // namespace vitra::test
