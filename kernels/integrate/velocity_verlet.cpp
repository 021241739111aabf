#include "kernels/integrate/velocity_verlet.hpp"

#include "kernels/integrate/verlet_update.hpp"

namespace vitra::integrate {

ComputeResult VelocityVerlet::setup(System& s, Potential& p, const StepTargets&,
                                    const ComputeRequest& request) {
  return p.compute(s, request);
}

ComputeResult VelocityVerlet::step(System& s, Potential& p, const StepTargets&,
                                   const ComputeRequest& request) {
  kick(s, 0.5 * dt_);
  drift(s, dt_);
  const ComputeResult r = p.compute(s, request);
  kick(s, 0.5 * dt_);
  return r;
}

}  // namespace vitra::integrate
