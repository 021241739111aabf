#pragma once
// The starting System of a workflow: read from [system].structure or built
// from [system].composition (glass builder seeded by run.seed), with
// Maxwell-Boltzmann velocities at [system].temperature (seeded by run.seed,
// zero total momentum) when that is set.
#include "host/workflow/workflow_config.hpp"
#include "kernels/system.hpp"

namespace vitra::workflow {

System make_system(const WorkflowConfig& cfg);

}  // namespace vitra::workflow
