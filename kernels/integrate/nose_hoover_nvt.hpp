#pragma once
// NVT: velocity Verlet with a Nosé–Hoover chain, as LAMMPS `fix nvt`:
//   chain(dt/2) -> kick -> drift -> forces -> kick -> chain(dt/2)
// The chain state stays on the device (see particle_chain.hpp).
#include "kernels/integrate/integrator.hpp"
#include "kernels/integrate/particle_chain.hpp"

namespace vitra::integrate {

struct NhcSettings {
  double tdamp = 0.1;  // ps (LAMMPS Tdamp; 100 time steps of 1 fs)
  int length = 3;      // chain length
  int loops = 1;       // inner loops per half step
};

// Throws std::invalid_argument naming `who` for a non-positive tdamp or a
// chain length outside 1..kMaxChain.
void validate(const NhcSettings& s, const char* who);

class NoseHooverNvt : public Integrator {
 public:
  NoseHooverNvt(double dt, NhcSettings settings);
  std::string name() const override { return "nvt"; }
  ComputeResult setup(System& s, Potential& p, const StepTargets& t,
                      const ComputeRequest& request) override;
  ComputeResult step(System& s, Potential& p, const StepTargets& t,
                     const ComputeRequest& request) override;
  double reservoir_energy() const override;
  std::vector<double> save_state() const override;
  void load_state(const std::vector<double>& state) override;

  // Host copy of the chain (tests, reports).
  NhcState chain() const { return chain_.host(); }

 private:
  NhcParams params_for(const System& s, const StepTargets& t) const;

  NhcSettings settings_;
  NhcParams params_;  // of the current step
  ParticleChain chain_;
};

}  // namespace vitra::integrate
