#pragma once
// Changes the cell and moves every atom with it: x' = x · h⁻¹ · h' (the
// fractional coordinates are kept), as LAMMPS `fix deform ... remap x` and the
// barostats do. Unwrapped positions map consistently (x + n·h -> x' + n·h'),
// so image counters stay valid. Velocities are not changed.
#include "kernels/system.hpp"

namespace vitra::integrate {

void affine_remap(System& s, const Mat3& new_cell);

}  // namespace vitra::integrate
