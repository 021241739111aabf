#pragma once
// FIRE minimisation of the atom positions (Bitzek, Koskinen, Gähler, Moseler,
// Gumbsch, PRL 97, 170201 (2006)), with the parameters of that paper and
// LAMMPS' conventions: mass-weighted MD with a time step that adapts between
// dt and dt_max, and no atom moving more than max_step per iteration.
//
// Per iteration (P = F·v over all atoms, norms over all 3N components):
//   P > 0: v <- (1-α) v + α |v| F/|F|; after n_min such steps dt <- min(dt·f_inc, dt_max), α <- α·f_alpha
//   P ≤ 0: v <- 0, dt <- dt·f_dec, α <- α_start
//   v += dt F/m;  Δx = dt v, scaled down so that max |Δx_i| ≤ max_step;  x += Δx
// The search velocities are FIRE's own: the System's velocities are left as
// they were. Stops when max_i |F_i| < ftol, or when the energy changed by
// less than etol·|E| between iterations (etol > 0), or after max_steps.
//
// With relax_cell the cell relaxes too, towards the hydrostatic `pressure`,
// as ASE's UnitCellFilter does it: the cell is h = h0·F (h0 the cell at the
// start, F lower triangular so that a cell in LAMMPS orientation stays in
// it; six degrees of freedom, every shape reachable), atoms move in the
// reference frame u = x·F⁻¹ with forces f·Fᵀ, and F moves with the
// generalised force G = F⁻ᵀ(W − P·V·I)/N (W the virial, N atoms: ASE's
// cell_factor), which vanishes when the stress equals the target. FIRE runs
// on atoms and cell together (the cell's entries get the mean atomic mass);
// it has converged when max |F_i| < ftol and every |G_ab| < ftol, i.e. the
// stress is within ftol·N/V of the target. The energy it minimises and
// reports is then the enthalpy E + P·V.
#include <functional>
#include <string>

#include "cuda/device_array.hpp"
#include "kernels/potential.hpp"
#include "kernels/system.hpp"

namespace vitra::integrate {

struct FireSettings {
  double ftol = 1e-3;      // eV/Å, on the largest atomic force
  double etol = 0.0;       // relative energy change; 0 = not used
  long long max_steps = 10000;
  double dt = 0.001;       // ps, initial step
  double dt_max = 0.01;    // ps
  double max_step = 0.1;   // Å, largest displacement of one atom per iteration
  int n_min = 5;
  double f_inc = 1.1;
  double f_dec = 0.5;
  double alpha_start = 0.1;
  double f_alpha = 0.99;
  bool relax_cell = false;  // also the cell, to the target pressure
  double pressure = 0.0;    // bar, hydrostatic target of the cell relaxation
};

struct FireResult {
  long long steps = 0;
  double energy = 0.0;       // eV, at the final positions (enthalpy E + P·V with relax_cell)
  double max_force = 0.0;    // eV/Å, at the final positions
  double max_cell_force = 0.0;  // eV, largest |G_ab| (relax_cell)
  bool converged = false;
  std::string reason;        // "ftol", "etol" or "max_steps"
};

// Called after every iteration with (iteration, energy, max force); returns
// false to stop early (e.g. on a signal).
using FireObserver = std::function<bool(long long, double, double)>;

FireResult fire_minimize(System& s, Potential& p, const FireSettings& settings,
                         const FireObserver& observe = {});

}  // namespace vitra::integrate
