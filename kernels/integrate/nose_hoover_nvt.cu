#include "kernels/integrate/nose_hoover_nvt.hpp"

#include <cstring>
#include <stdexcept>
#include <string>

#include "cuda/for_each.cuh"
#include "kernels/integrate/verlet_update.hpp"
#include "kernels/kinetic.hpp"

namespace vitra::integrate {
namespace {

// Extended lambdas may not live in private member functions, hence these.
void chain_setup_on_device(NhcState* chain, NhcParams p) {
  for_each(1, [=] VITRA_HD_LAMBDA(std::size_t) { nhc_setup(*chain, p); });
}

// scalars[0] holds the kinetic energy; the factor goes to scalars[1].
void chain_half_step_on_device(NhcState* chain, NhcParams p, double* scalars) {
  for_each(1, [=] VITRA_HD_LAMBDA(std::size_t) { scalars[1] = nhc_half_step(*chain, p, scalars[0]); });
}

}  // namespace

NoseHooverNvt::NoseHooverNvt(double dt, NhcSettings settings)
    : Integrator(dt), settings_(settings), chain_(1), scalars_(2) {
  if (!(settings_.tdamp > 0.0)) throw std::invalid_argument("nvt: tdamp must be > 0");
  if (settings_.length < 1 || settings_.length > kMaxChain)
    throw std::invalid_argument("nvt: chain length must be in 1.." + std::to_string(kMaxChain));
  if (settings_.loops < 1) throw std::invalid_argument("nvt: chain loops must be >= 1");
  chain_.fill_zero();
}

NhcParams NoseHooverNvt::params_for(const System& s, const StepTargets& t) const {
  if (!(t.temperature > 0.0)) throw std::invalid_argument("nvt: target temperature must be > 0 K");
  NhcParams p;
  p.length = settings_.length;
  p.loops = settings_.loops;
  p.dof = static_cast<double>(degrees_of_freedom(s));
  p.t_target = t.temperature;
  p.t_freq = 1.0 / settings_.tdamp;
  p.dt = dt_;
  return p;
}

// KE reduction -> one-thread chain update -> velocity scaling, all queued on
// the device; the chain reads the KE and writes the factor in device memory.
void NoseHooverNvt::chain_half_step(System& s) {
  kinetic_energy_into(s, scalars_.data(), scratch_);
  chain_half_step_on_device(chain_.data(), params_, scalars_.data());
  scale_velocities(s, scalars_.data() + 1);
}

ComputeResult NoseHooverNvt::setup(System& s, Potential& p, const StepTargets& t,
                                   const ComputeRequest& request) {
  params_ = params_for(s, t);
  chain_setup_on_device(chain_.data(), params_);
  return p.compute(s, request);
}

ComputeResult NoseHooverNvt::step(System& s, Potential& p, const StepTargets& t,
                                  const ComputeRequest& request) {
  params_ = params_for(s, t);
  chain_half_step(s);
  kick(s, 0.5 * dt_);
  drift(s, dt_);
  const ComputeResult r = p.compute(s, request);
  kick(s, 0.5 * dt_);
  chain_half_step(s);
  return r;
}

NhcState NoseHooverNvt::chain() const { return chain_.get(0); }

double NoseHooverNvt::reservoir_energy() const { return nhc_energy(chain(), params_); }

// The chain is a block of doubles, saved as one (layout fixed by NhcState).
static_assert(sizeof(NhcState) % sizeof(double) == 0, "NhcState holds doubles only");
constexpr std::size_t kChainValues = sizeof(NhcState) / sizeof(double);

std::vector<double> NoseHooverNvt::save_state() const {
  const NhcState c = chain();
  std::vector<double> out(kChainValues);
  std::memcpy(out.data(), &c, sizeof(NhcState));
  return out;
}

void NoseHooverNvt::load_state(const std::vector<double>& state) {
  if (state.size() != kChainValues)
    throw std::invalid_argument("nvt: checkpoint holds " + std::to_string(state.size()) +
                                " thermostat values, expected " + std::to_string(kChainValues));
  NhcState c;
  std::memcpy(static_cast<void*>(&c), state.data(), sizeof(NhcState));
  chain_.set(0, c);
}

}  // namespace vitra::integrate
