#include "kernels/integrate/nose_hoover_nvt.hpp"

#include <cstring>
#include <stdexcept>
#include <string>

#include "kernels/integrate/verlet_update.hpp"

namespace vitra::integrate {

void validate(const NhcSettings& s, const char* who) {
  if (!(s.tdamp > 0.0)) throw std::invalid_argument(std::string(who) + ": tdamp must be > 0");
  if (s.length < 1 || s.length > kMaxChain)
    throw std::invalid_argument(std::string(who) + ": chain length must be in 1.." + std::to_string(kMaxChain));
  if (s.loops < 1) throw std::invalid_argument(std::string(who) + ": chain loops must be >= 1");
}

NoseHooverNvt::NoseHooverNvt(double dt, NhcSettings settings) : Integrator(dt), settings_(settings) {
  validate(settings_, "nvt");
}

NhcParams NoseHooverNvt::params_for(const System& s, const StepTargets& t) const {
  if (!(t.temperature > 0.0)) throw std::invalid_argument("nvt: target temperature must be > 0 K");
  return particle_chain_params(s, t.temperature, settings_.tdamp, settings_.length, settings_.loops, dt_);
}

ComputeResult NoseHooverNvt::setup(System& s, Potential& p, const StepTargets& t,
                                   const ComputeRequest& request) {
  params_ = params_for(s, t);
  chain_.reset(params_);
  return p.compute(s, request);
}

ComputeResult NoseHooverNvt::step(System& s, Potential& p, const StepTargets& t,
                                  const ComputeRequest& request) {
  params_ = params_for(s, t);
  chain_.half_step(s, params_);
  kick(s, 0.5 * dt_);
  drift(s, dt_);
  const ComputeResult r = p.compute(s, request);
  kick(s, 0.5 * dt_);
  chain_.half_step(s, params_);
  return r;
}

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
  chain_.set_host(c);
}

}  // namespace vitra::integrate
