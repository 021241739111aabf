#pragma once
// Integrator: advances a System by one time step on the device, calling the
// Potential for the forces. The host sets the targets of each step (a ramp
// is the host evaluating the schedule), the integrator does the rest.
//
// A step's only force evaluation is the one between the two half kicks; the
// request passed to step() applies to it, so a step that writes no output
// asks for forces only and stays free of device->host copies.
#include <string>
#include <vector>

#include "kernels/potential.hpp"
#include "kernels/system.hpp"
#include "kernels/vec3.hpp"

namespace vitra::integrate {

struct StepTargets {
  double temperature = 0.0;  // K (thermostatted integrators)
  Mat3 pressure;             // bar, target pressure tensor (barostatted integrators)
};

class Integrator {
 public:
  explicit Integrator(double dt) : dt_(dt) {}
  virtual ~Integrator() = default;

  virtual std::string name() const = 0;
  double dt() const { return dt_; }

  // Starts a stage: computes the forces of the current positions and sets up
  // the thermostat/barostat variables (unless keep_reservoirs and they were
  // set up before, for a stage that continues the previous one).
  virtual ComputeResult setup(System& s, Potential& p, const StepTargets& t,
                              const ComputeRequest& request) = 0;
  // One time step.
  virtual ComputeResult step(System& s, Potential& p, const StepTargets& t,
                             const ComputeRequest& request) = 0;

  // Energy stored in thermostat/barostat variables (eV), so that
  // E_pot + E_kin + reservoir_energy() is the conserved quantity. Copies a few
  // scalars from the device: call it at output intervals only.
  virtual double reservoir_energy() const { return 0.0; }

  // The integrator's own state (thermostat and barostat variables), for
  // checkpoints; load_state() restores exactly what save_state() returned.
  virtual std::vector<double> save_state() const { return {}; }
  virtual void load_state(const std::vector<double>& state);

 protected:
  double dt_;
};

}  // namespace vitra::integrate
