#pragma once
// The Nosé–Hoover chain on the atoms' velocities, kept in device memory:
// a half step is a kinetic-energy reduction into device memory, a one-thread
// chain update and a velocity scaling, all queued on the device with no copy
// to the host. Shared by NVT and NPT.
#include "cuda/device_array.hpp"
#include "kernels/integrate/nose_hoover_chain.hpp"
#include "kernels/system.hpp"

namespace vitra::integrate {

// Chain parameters for the atoms of s at target temperature t (K).
NhcParams particle_chain_params(const System& s, double t_target, double tdamp, int length, int loops,
                                double dt);

class ParticleChain {
 public:
  ParticleChain();
  // Zeroes the chain and sets its masses and link forces for p (LAMMPS setup).
  void reset(const NhcParams& p);
  // Recomputes the masses and link forces for p, keeping positions and
  // velocities of the chain (a stage that continues the previous chain).
  void setup(const NhcParams& p);
  // Half step of the chain, then v <- factor·v for every atom.
  void half_step(System& s, const NhcParams& p);

  NhcState host() const { return state_.get(0); }
  void set_host(const NhcState& c) { state_.set(0, c); }

 private:
  DeviceArray<NhcState> state_;         // 1 element
  DeviceArray<double> scalars_;         // [0] kinetic energy, [1] velocity factor
  DeviceArray<unsigned char> scratch_;  // reduction storage
};

}  // namespace vitra::integrate
