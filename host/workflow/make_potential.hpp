#pragma once
// The Potential of a workflow's [potential] table for a System.
// kind "pair": terms are looked up by element name; every unordered pair of
// elements present in the system must have a [[potential.pair]] entry (a
// missing one is an InputError naming the two elements and the workflow
// file); entries for elements the system lacks are ignored.
// kind "classical": the shipped parameter set, with charges that depend on
// the system's atom counts (SHIK's neutralising oxygen charge).
// kind "deepmd": a DeepPotential; kind "ensemble": an Ensemble of the model
// files (models that do not share rcut, sel and type_map are an InputError
// naming the file), with the deviation switched on (the runner switches it
// off between the steps a model_devi observer writes).
#include <memory>

#include "host/workflow/workflow_config.hpp"
#include "kernels/potential.hpp"
#include "kernels/system.hpp"

namespace vitra::workflow {

std::unique_ptr<Potential> make_potential(const WorkflowConfig& cfg, const System& s);

}  // namespace vitra::workflow
