#pragma once
// NVE: velocity Verlet (LAMMPS fix nve).
#include "kernels/integrate/integrator.hpp"

namespace vitra::integrate {

class VelocityVerlet : public Integrator {
 public:
  using Integrator::Integrator;
  std::string name() const override { return "nve"; }
  ComputeResult setup(System& s, Potential& p, const StepTargets& t,
                      const ComputeRequest& request) override;
  ComputeResult step(System& s, Potential& p, const StepTargets& t,
                     const ComputeRequest& request) override;
};

}  // namespace vitra::integrate
