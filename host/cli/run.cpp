// `vitra run WORKFLOW [--overwrite]` / `vitra run --resume DIR`: runs a
// workflow file's stages into its run folder (host/workflow/runner.hpp).
#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>

#include "host/cli/commands.hpp"
#include "host/error.hpp"
#include "host/workflow/runner.hpp"
#include "host/workflow/stop_signal.hpp"
#include "host/workflow/workflow_config.hpp"

namespace vitra::cli {

namespace {

struct RunCliOptions {
  std::string workflow;
  std::string resume;
  bool overwrite = false;
};

void run_run(const RunCliOptions& o, GlobalOptions g) {
  using namespace workflow;
  if (o.workflow.empty() == o.resume.empty())
    throw InputError(o.workflow.empty()
                         ? "vitra run: give a workflow file, or --resume DIR to continue a run"
                         : "vitra run: give either a workflow file or --resume DIR, not both");
  RunOptions ro;
  ro.log = &std::cout;
  ro.progress = true;
  if (o.overwrite) ro.overwrite = true;

  // --device on the command line wins over the workflow's run.device.
  std::unique_ptr<WorkflowConfig> cfg;
  if (!o.workflow.empty()) {
    cfg = std::make_unique<WorkflowConfig>(load_workflow(o.workflow));
    if (g.device == "auto") g.device = cfg->run.device;
  } else if (g.device == "auto") {
    // The run folder's workflow names the device the run started on.
    const std::string saved = (std::filesystem::path(o.resume) / "workflow.toml").string();
    if (std::filesystem::exists(saved)) g.device = load_workflow(saved).run.device;
  }
  activate_backend(g);

  StopSignalHandlers handlers;
  clear_stop_request();
  const RunResult r = cfg ? run_workflow(*cfg, ro) : resume_workflow(o.resume, ro);
  if (!r.completed) {
    std::cerr << fmt::format(
        "vitra: run stopped{} at step {}; the checkpoint and all outputs are in {}; continue "
        "with: vitra run --resume {}\n",
        r.signal ? fmt::format(" by signal {}", r.signal) : "", r.global_step, r.folder, r.folder);
    std::cout.flush();
    std::exit(exit_code(r));
  }
  std::cout << fmt::format("run complete: {} steps; outputs in {}\n", r.global_step, r.folder);
}

}  // namespace

void add_run_command(CLI::App& app, GlobalOptions& g) {
  auto o = std::make_shared<RunCliOptions>();
  auto* cmd = app.add_subcommand(
      "run", "Run a workflow file's stages (build or read, minimise, melt, quench, deform...) into "
             "its run folder; Ctrl-C stops cleanly with a checkpoint");
  cmd->add_option("workflow", o->workflow, "Workflow file (TOML), e.g. examples/lj_liquid.toml");
  cmd->add_option("--resume", o->resume,
                  "Continue the run in this folder from its checkpoint.vcp (reads its workflow.toml)");
  cmd->add_flag("--overwrite", o->overwrite, "Replace the outputs of an existing run folder");
  cmd->callback([o, &g]() { run_run(*o, g); });
}

}  // namespace vitra::cli
