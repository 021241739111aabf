#pragma once
// `vitra run`: runs a workflow's stages in order, each continuing from the
// state the previous one left, and writes the run folder:
//
//   workflow.toml    the resolved workflow (what `--resume` reads back)
//   thermo.csv       one row per thermo output step of every stage (thermo_log.hpp)
//   <dump files>     per dump observer, frames appended (trajectory_writer.hpp)
//   model_devi.csv   when a stage has a model_devi observer (potential kind
//                    "ensemble"): one row per observed step (model_devi_log.hpp)
//   checkpoint.vcp   the latest checkpoint (checkpoint.hpp)
//   final.extxyz     the final structure, with velocities
//   report.txt       one line per stage: steps, wall time, ns/day, atom-steps/s
//
// Observers (per stage; `every` counts the stage's own steps k = 1..steps):
// thermo writes a row at the stage start (k = 0), every `every` steps and at
// the last step, and only those steps ask the potential for energy and
// virial (the others ask for forces only, so they copy nothing to the host);
// dump writes a frame when k is a multiple of `every`; checkpoint writes
// checkpoint.vcp when k is a multiple of `every`; model_devi writes a row at
// the stage start (k = 0) and when k is a multiple of `every`, and only
// those steps evaluate the ensemble's other models (model 0 alone drives the
// dynamics, so the trajectory is the same with or without the observer;
// rows are flushed as written and cut back on resume as dump frames are). A
// minimize stage writes a thermo row before and after FIRE, and its dump
// frame, model_devi row and checkpoint at its end only.
//
// Bit-for-bit resume: a resumed run rebuilds its potential (a fresh neighbor
// list, positions wrapped afresh) and calls the integrator's setup() for the
// forces, then load_state(). So that the uninterrupted run follows the very
// same trajectory, it does the same right after writing every checkpoint:
// the checkpoint, not the neighbor-list history, defines what comes next.
// A run resumed from a checkpoint-observer step therefore continues
// bit-for-bit as the uninterrupted run; one resumed from a stop that fell
// between checkpoint steps continues from the exact saved state, with forces
// that may differ in the last bits from the ones the interrupted run had. A
// minimize stage that was interrupted starts again (from the saved positions).
//
// Errors: anything wrong with the workflow (an existing run folder without
// overwrite, a missing pair) is an InputError before anything runs. A simulation that goes wrong (NaN energy
// or temperature at a thermo step, a box whose volume fell below 1e-3 of the
// initial one or with a face distance below 2 A) writes checkpoint_failed.vcp
// (checkpoint.vcp keeps the last good state), keeps every output and throws
// SimulationError naming the stage and step.
#include <iosfwd>
#include <optional>
#include <stdexcept>
#include <string>

#include "host/workflow/workflow_config.hpp"

namespace vitra::workflow {

class SimulationError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct RunOptions {
  // The run folder; empty: the workflow's run.output (relative to the working directory).
  std::string output;
  // Overrides run.overwrite when set (`--overwrite`).
  std::optional<bool> overwrite;
  // Progress per stage on stderr (a bar on a terminal, plain lines otherwise).
  bool progress = true;
  // Per-stage summary lines; nullptr: none.
  std::ostream* log = nullptr;
  // Stop as if a signal had come right after this global step (>= 0), e.g.
  // to test resuming; -1: never.
  long long stop_after_step = -1;
};

struct RunResult {
  bool completed = false;  // false: stopped by a signal or stop request, with a checkpoint
  int signal = 0;          // the signal that stopped it (0 when completed or stop_after_step)
  long long global_step = 0;
  std::string folder;
};

// Runs a workflow from its start.
RunResult run_workflow(const WorkflowConfig& cfg, const RunOptions& options = {});
// Continues the run in `folder` from folder/checkpoint.vcp, reading
// folder/workflow.toml (RunOptions::output and overwrite are not used).
RunResult resume_workflow(const std::string& folder, const RunOptions& options = {});

// Exit status for the CLI: 0 when completed, 128 + signal after a signal,
// 130 after a stop request without a signal.
int exit_code(const RunResult& r);

}  // namespace vitra::workflow
