#pragma once
// The Potential of a workflow's [potential] table for a System's type map.
// Pair terms are looked up by element name; every unordered pair of elements
// present in the system must have a [[potential.pair]] entry (a missing one
// is an InputError naming the two elements and the workflow file). Entries
// for elements the system lacks are ignored.
#include <memory>

#include "host/workflow/workflow_config.hpp"
#include "kernels/potential.hpp"
#include "kernels/system.hpp"

namespace vitra::workflow {

std::unique_ptr<Potential> make_potential(const WorkflowConfig& cfg, const TypeMap& types);

}  // namespace vitra::workflow
