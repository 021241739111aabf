#pragma once
// Subcommands of the `vitra` binary. Each file in host/cli/ registers one
// subcommand on the app; main() wires them together.
#include <CLI/CLI.hpp>
#include <string>

namespace vitra::cli {

// Options every subcommand shares.
struct GlobalOptions {
  std::string device = "auto";  // auto | cuda | cpu
  int device_id = 0;
  int threads = 0;              // OpenMP threads of the CPU backend, 0 = default
};

// Selects the backend from the global options (called by each subcommand
// that computes, so that `vitra --help` never touches the GPU).
void activate_backend(const GlobalOptions& g);

void add_info_command(CLI::App& app, GlobalOptions& g);
void add_build_command(CLI::App& app, GlobalOptions& g);
void add_convert_command(CLI::App& app, GlobalOptions& g);
void add_neighbor_stat_command(CLI::App&, GlobalOptions&);
void add_run_command(CLI::App& app, GlobalOptions& g);
void add_eval_command(CLI::App& app, GlobalOptions& g);
void add_model_command(CLI::App& app, GlobalOptions& g);
void add_model_devi_command(CLI::App& app, GlobalOptions& g);

}  // namespace vitra::cli
