#pragma once
// The two halves of velocity Verlet, shared by every integrator:
//   kick:  v += (dt/2) F/m     drift: x += dt v
// Units: F/m in eV/(Å·amu) is converted to Å/ps² by 1/mvv2e (LAMMPS ftm2v).
#include "kernels/system.hpp"
#include "kernels/units.hpp"

namespace vitra::integrate {

constexpr double kFtm2v = 1.0 / units::kMvv2e;

// v += dt_kick · F/m for every atom (dt_kick is dt/2 in velocity Verlet).
void kick(System& s, double dt_kick);
// x += dt · v for every atom. Positions are not wrapped here: the potential's
// neighbor list wraps them when it rebuilds (image counters keep track).
void drift(System& s, double dt);

}  // namespace vitra::integrate
