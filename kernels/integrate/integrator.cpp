#include "kernels/integrate/integrator.hpp"

#include <stdexcept>

namespace vitra::integrate {

void Integrator::load_state(const std::vector<double>& state) {
  if (!state.empty())
    throw std::invalid_argument(name() + " integrator: the checkpoint holds " + std::to_string(state.size()) +
                                " state values, this integrator has none");
}

}  // namespace vitra::integrate
