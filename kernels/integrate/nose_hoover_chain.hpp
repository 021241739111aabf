#pragma once
// Nosé–Hoover chain thermostat, exactly as LAMMPS `fix nvt` integrates it
// (fix_nh.cpp, nhc_temp_integrate; Martyna, Tuckerman, Tobias, Klein, Mol.
// Phys. 87, 1117 (1996) with the reversible splitting of Tuckerman et al.,
// J. Phys. A 39, 5629 (2006)).
//
// The chain is a handful of scalars. It lives in device memory and is
// advanced by a one-thread kernel reading the kinetic energy a reduction left
// there, so a thermostatted step needs no device->host copy. The velocity
// scaling of the nc inner loops is multiplicative, so it is accumulated and
// applied to the atoms once.
#include <cmath>

#include "cuda/hd.hpp"
#include "kernels/units.hpp"

namespace vitra::integrate {

constexpr int kMaxChain = 10;

struct NhcState {
  double eta[kMaxChain] = {};
  double eta_dot[kMaxChain + 1] = {};  // eta_dot[length] stays 0 (end of the chain)
  double eta_dotdot[kMaxChain] = {};
  double eta_mass[kMaxChain] = {};
};

// What one half step needs besides the state. t_target is the target
// temperature of the current step (ramps are evaluated by the host).
//
// The same chain thermostats the atoms (fix nvt) and the barostat (fix npt's
// pchain); they differ in three numbers, hence dof, mass_dof and
// follow_target: the atoms' chain drives Σ m v² to dof·kB·T with a first mass
// dof·kB·T/ω² that follows T (LAMMPS eta_mass_flag = 1); the barostat's chain
// drives Σ W ω̇² to dof·kB·T (dof = 1 for iso, the number of barostatted
// components otherwise) with a first mass kB·T/ω² fixed at setup.
struct NhcParams {
  int length = 3;              // chain length (LAMMPS tchain / pchain)
  int loops = 1;               // inner loops (LAMMPS tloop / ploop)
  double dof = 0.0;            // degrees of freedom driven to kB·T each
  double mass_dof = 0.0;       // first chain mass = mass_dof·kB·T/t_freq²
  bool follow_target = true;   // masses recomputed from t_target every half step
  double t_target = 0.0;       // K
  double t_freq = 0.0;         // 1/Tdamp (1/Pdamp for the barostat), 1/ps
  double dt = 0.0;             // full time step, ps
  double drag_factor = 1.0;    // LAMMPS drag: 1 − dt·t_freq·drag/loops multiplies the link
                               // velocities once per loop (1 = none)
};

// Chain masses for the current target.
VITRA_HD void nhc_update_masses(NhcState& c, const NhcParams& p) {
  const double kt = units::kBoltzmann * p.t_target;
  const double w2 = p.t_freq * p.t_freq;
  c.eta_mass[0] = p.mass_dof * kt / w2;
  for (int k = 1; k < p.length; ++k) c.eta_mass[k] = kt / w2;
}

// Initialises the forces on the chain links beyond the first (LAMMPS
// FixNH::setup). Called once at the start of a stage.
VITRA_HD void nhc_setup(NhcState& c, const NhcParams& p) {
  nhc_update_masses(c, p);
  const double kt = units::kBoltzmann * p.t_target;
  for (int k = 1; k < p.length; ++k)
    c.eta_dotdot[k] = (c.eta_mass[k - 1] * c.eta_dot[k - 1] * c.eta_dot[k - 1] - kt) / c.eta_mass[k];
}

// One half step (dt/2) of the chain, given the current kinetic energy of
// what it thermostats (eV: ½ Σ m v², or ½ Σ W ω̇² for the barostat). Returns
// the factor the caller multiplies those velocities by.
VITRA_HD double nhc_half_step(NhcState& c, const NhcParams& p, double ke_current) {
  const double kt = units::kBoltzmann * p.t_target;
  const double ke_target = p.dof * kt;  // LAMMPS ke_target = tdof·kB·T (twice the mean KE)
  double ke2 = 2.0 * ke_current;        // LAMMPS kecurrent = tdof·kB·T_current = 2 KE
  if (p.follow_target) nhc_update_masses(c, p);
  const int m = p.length;
  const double ncfac = 1.0 / p.loops;
  const double dthalf = 0.5 * p.dt, dt4 = 0.25 * p.dt, dt8 = 0.125 * p.dt;
  c.eta_dotdot[0] = c.eta_mass[0] > 0.0 ? (ke2 - ke_target) / c.eta_mass[0] : 0.0;
  double total = 1.0;
  for (int loop = 0; loop < p.loops; ++loop) {
    for (int k = m - 1; k > 0; --k) {
      const double e = exp(-ncfac * dt8 * c.eta_dot[k + 1]);
      c.eta_dot[k] = (c.eta_dot[k] * e + c.eta_dotdot[k] * ncfac * dt4) * p.drag_factor * e;
    }
    double e = exp(-ncfac * dt8 * c.eta_dot[1]);
    c.eta_dot[0] = (c.eta_dot[0] * e + c.eta_dotdot[0] * ncfac * dt4) * p.drag_factor * e;
    const double factor = exp(-ncfac * dthalf * c.eta_dot[0]);
    total *= factor;
    ke2 *= factor * factor;
    c.eta_dotdot[0] = c.eta_mass[0] > 0.0 ? (ke2 - ke_target) / c.eta_mass[0] : 0.0;
    for (int k = 0; k < m; ++k) c.eta[k] += ncfac * dthalf * c.eta_dot[k];
    c.eta_dot[0] = (c.eta_dot[0] * e + c.eta_dotdot[0] * ncfac * dt4) * e;
    for (int k = 1; k < m; ++k) {
      e = exp(-ncfac * dt8 * c.eta_dot[k + 1]);
      c.eta_dot[k] *= e;
      c.eta_dotdot[k] = (c.eta_mass[k - 1] * c.eta_dot[k - 1] * c.eta_dot[k - 1] - kt) / c.eta_mass[k];
      c.eta_dot[k] = (c.eta_dot[k] + c.eta_dotdot[k] * ncfac * dt4) * e;
    }
  }
  return total;
}

// Energy of the chain (eV), the term the conserved quantity adds to the
// total energy (LAMMPS FixNH::compute_scalar, thermostat part).
VITRA_HD double nhc_energy(const NhcState& c, const NhcParams& p) {
  const double kt = units::kBoltzmann * p.t_target;
  double e = p.dof * kt * c.eta[0] + 0.5 * c.eta_mass[0] * c.eta_dot[0] * c.eta_dot[0];
  for (int k = 1; k < p.length; ++k) e += kt * c.eta[k] + 0.5 * c.eta_mass[k] * c.eta_dot[k] * c.eta_dot[k];
  return e;
}

}  // namespace vitra::integrate
