#pragma once
// The Potential of a workflow's [potential] table for a System.
// kind "pair": terms are looked up by element name; every unordered pair of
// elements present in the system must have a [[potential.pair]] entry (a
// missing one is an InputError naming the two elements and the workflow
// file); entries for elements the system lacks are ignored.
// kind "classical": the shipped parameter set, with charges that depend on
// the system's atom counts (SHIK's neutralising oxygen charge).
#include <memory>

#include "host/workflow/workflow_config.hpp"
#include "kernels/potential.hpp"
#include "kernels/system.hpp"

namespace vitra::workflow {

std::unique_ptr<Potential> make_potential(const WorkflowConfig& cfg, const System& s);

}  // namespace vitra::workflow
