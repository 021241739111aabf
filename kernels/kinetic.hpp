#pragma once
// Kinetic quantities of a System, reduced on the device.
#include <cstddef>

#include "cuda/device_array.hpp"
#include "kernels/system.hpp"

namespace vitra {

// ½ Σ m v² in eV.
double kinetic_energy(const System& s);
// The same, written to out in the memory of the active backend (no copy to
// the host); scratch is the reduction's reusable temporary storage.
void kinetic_energy_into(const System& s, double* out, DeviceArray<unsigned char>& scratch);
// Σ m v⊗v in eV (twice the kinetic-energy tensor; the kinetic part of the
// pressure tensor times the volume).
Mat3 kinetic_tensor(const System& s);
// Σ m v (amu·Å/ps).
Vec3 total_momentum(const System& s);
// Subtracts the centre-of-mass velocity from every atom.
void remove_com_momentum(System& s);
// Degrees of freedom: 3N, minus 3 when the centre-of-mass momentum is fixed.
std::size_t degrees_of_freedom(const System& s, bool com_fixed = true);
// 2 KE / (dof kB), in K.
double temperature(const System& s, bool com_fixed = true);
// v <- factor · v for every atom.
void scale_velocities(System& s, double factor);
// v <- (*factor) · v, the factor read from memory of the active backend.
void scale_velocities(System& s, const double* factor);

}  // namespace vitra
