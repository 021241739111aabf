#pragma once
// The cell of a deform stage as a function of its engineering strain
// ε(t) = erate · t, t counted from the stage start (LAMMPS `fix deform ...
// erate ... remap x`). Applied after each integrator step by affine_remap.
//
//   uniaxial along Cartesian axis a: h' = h · D, D = diag with
//     λ = (1 + ε_{k+1}) / (1 + ε_k) at a and 1 elsewhere: every cell vector's
//     a-component scales by λ (the box length along a is L0 (1 + ε)), the
//     other components are left to the barostat or held fixed.
//   triaxial: the same λ on all three axes (h' = λ h).
//   shear xy / xz / yz: the tilt follows tilt0 + ε · (the length it is
//     measured against), all else fixed: xy = h[1][0] = h0[1][0] + ε h0[1][1],
//     xz = h[2][0] = h0[2][0] + ε h0[2][2], yz = h[2][1] = h0[2][1] + ε h0[2][2]
//     (ε is the engineering shear strain γ; LAMMPS' erate for xy/xz/yz).
#include "host/workflow/workflow_config.hpp"
#include "kernels/vec3.hpp"

namespace vitra::workflow {

// ε after k steps of the stage.
double deform_strain(const StageConfig& st, long long k, double timestep);

// The cell after step k+1 given the cell h after step k and the cell h0 at
// the stage start.
Mat3 deformed_cell(const StageConfig& st, const Mat3& h, const Mat3& h0, double strain_k,
                   double strain_k1);

}  // namespace vitra::workflow
