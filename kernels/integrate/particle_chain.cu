#include "kernels/integrate/particle_chain.hpp"

#include "cuda/for_each.cuh"
#include "kernels/kinetic.hpp"

namespace vitra::integrate {

NhcParams particle_chain_params(const System& s, double t_target, double tdamp, int length, int loops,
                                double dt) {
  NhcParams p;
  p.length = length;
  p.loops = loops;
  p.dof = static_cast<double>(degrees_of_freedom(s));
  p.mass_dof = p.dof;
  p.follow_target = true;
  p.t_target = t_target;
  p.t_freq = 1.0 / tdamp;
  p.dt = dt;
  return p;
}

ParticleChain::ParticleChain() : state_(1), scalars_(2) { state_.fill_zero(); }

void ParticleChain::reset(const NhcParams& p) {
  state_.fill_zero();
  setup(p);
}

void ParticleChain::setup(const NhcParams& p) {
  NhcState* c = state_.data();
  for_each(1, [=] VITRA_HD_LAMBDA(std::size_t) { nhc_setup(*c, p); });
}

void ParticleChain::half_step(System& s, const NhcParams& p) {
  kinetic_energy_into(s, scalars_.data(), scratch_);
  NhcState* c = state_.data();
  double* scalars = scalars_.data();
  for_each(1, [=] VITRA_HD_LAMBDA(std::size_t) { scalars[1] = nhc_half_step(*c, p, scalars[0]); });
  scale_velocities(s, scalars_.data() + 1);
}

}  // namespace vitra::integrate
