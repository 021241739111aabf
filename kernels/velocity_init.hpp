#pragma once
// Maxwell–Boltzmann velocities from a seed, generated on the device.
#include <cstdint>

#include "kernels/system.hpp"

namespace vitra {

struct VelocityInit {
  double temperature = 300.0;  // K
  std::uint64_t seed = 1;
  bool zero_com = true;        // remove the centre-of-mass momentum
  bool exact_temperature = true;  // rescale to exactly `temperature`, as LAMMPS `velocity create` does
};

// Draws each component from N(0, kB T / m) with a counter-based generator
// (Philox4x32-10) keyed by the seed and counted by the atom index, so the
// velocities do not depend on the backend or on the number of threads.
void maxwell_boltzmann(System& s, const VelocityInit& opt);

}  // namespace vitra
