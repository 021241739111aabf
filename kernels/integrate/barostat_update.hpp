#pragma once
// The barostat's half-step scaling of the atoms' velocities (LAMMPS
// FixNH::nh_v_press): with f_k = exp(−dt/4 (ω̇_k + mtk_term2)),
//   v_k *= f_k;  [tri: v_x −= dt/2 (v_y ω̇_xy + v_z ω̇_xz); v_y −= dt/2 v_z ω̇_yz];  v_k *= f_k
// omega_dot in Voigt order xx, yy, zz, yz, xz, xy.
#include <array>

#include "kernels/system.hpp"

namespace vitra::integrate {

void barostat_scale_velocities(System& s, double dt, const std::array<double, 6>& omega_dot,
                               double mtk_term2, bool triclinic);

}  // namespace vitra::integrate
