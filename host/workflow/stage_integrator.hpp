#pragma once
// What drives each stage kind: its integrator and its per-step targets.
//
//   nve                          VelocityVerlet
//   nvt                          NoseHooverNvt (tdamp, chain)
//   npt                          MtkNpt (tdamp, chain; pdamp, couple, mask, pressure)
//   quench                       NoseHooverNvt, or MtkNpt with ensemble = "npt"
//   deform uniaxial, barostat    MtkNpt, aniso, mask = the two lateral axes, at `pressure`
//   deform uniaxial fixed,
//     triaxial, shear            NoseHooverNvt
//   minimize                     none (FIRE, run by the runner)
//   npt-ase                      not available in this version
#include <memory>
#include <string>

#include "host/workflow/workflow_config.hpp"
#include "kernels/integrate/integrator.hpp"

namespace vitra::workflow {

// The stage's integrator (nullptr for minimize).
std::unique_ptr<integrate::Integrator> make_integrator(const StageConfig& st, double dt);

// Name the stage's integrator has (Integrator::name()), "" for minimize; a
// stage with reset_thermostat = false takes over the state of a previous
// stage whose integrator has the same name.
std::string integrator_name(const StageConfig& st);

// Targets of step k (1..steps; 0 for the setup) of the stage: the
// temperature ramps linearly, T(k) = t_start + (k / steps)(t_stop - t_start)
// (LAMMPS compute_temp_target, delta = (step - begin) / (end - begin)); the
// pressure is hydrostatic at `pressure` (bar) for barostatted stages.
integrate::StepTargets stage_targets(const StageConfig& st, long long k);

}  // namespace vitra::workflow
