#pragma once
// Per-atom parts of NptAse (npt_ase.hpp), run through for_each: ASE's scaled
// positions q (3N blocked SoA, unwrapped, q = r·h⁻¹ − ½) and the updates of
// its centred-difference scheme. The matrices come from the host.
#include <cstddef>

#include "kernels/system.hpp"
#include "kernels/vec3.hpp"

namespace vitra::integrate::npt_ase {

// ASE's zero_center_of_mass_momentum(): p_i −= P/N (not mass-weighted).
void zero_total_momentum(System& s);
// q = (r + images·h)·inv_h − ½ from the current positions and image counters.
void scaled_positions(const System& s, const Mat3& inv_h, double* q);
// r = (q + ½ − images)·h with h = s.box.h: the wrapped positions matching
// ASE's r = (q + ½)·h.
void set_positions(System& s, const double* q);
// q_past = q − dt · v·inv_h (v: 3N blocked, Å/ps).
void past_from_velocities(std::size_t n, const double* q, const double* v, const Mat3& inv_h, double dt,
                          double* q_past);
// ASE's _calculate_q_future and the momenta that follow it:
//   q_future = (2q + q_past·beta_m1 + dt²·(F/m)·inv_h) · inv_b
//   v_out    = (q_future − q_past) · h_2dt
// with beta_m1 = β − 1, inv_b = (β + 1)⁻¹, h_2dt = h / (2dt); F from s.forces,
// m from s.masses. v_out may be s.velocities or a scratch array.
void future_and_velocities(const System& s, const double* q, const double* q_past, double* q_future,
                           const Mat3& beta_m1, const Mat3& inv_b, const Mat3& inv_h, const Mat3& h_2dt,
                           double dt, double* v_out);
// v = (q_future − q_past) · h_2dt into s.velocities.
void velocities_from_scaled(System& s, const double* q_past, const double* q_future, const Mat3& h_2dt);
// ASE's ekin() of _calculate_q_past_and_future: ½ Σ m v² / N in eV.
double mean_kinetic_energy(const System& s, const double* v);
// v = (v0 − v) + v0 (ASE's second pass of _calculate_q_past_and_future).
void reflect(std::size_t n, const double* v0, double* v);
// Largest |r − (q + ½ − images)·h| component (Å).
double max_position_mismatch(const System& s, const double* q);

}  // namespace vitra::integrate::npt_ase
