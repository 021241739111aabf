// vitra: GPU-first molecular dynamics for oxide glasses.
#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>

#include "cuda/check.hpp"
#include "host/cli/commands.hpp"
#include "host/error.hpp"
#include "host/version.hpp"

int main(int argc, char** argv) {
  CLI::App app{"vitra " VITRA_VERSION " - GPU molecular dynamics for oxide glasses"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("vitra ") + VITRA_VERSION);
  vitra::cli::GlobalOptions g;
  app.add_option("--device", g.device, "Backend: auto (CUDA when a GPU is present), cuda or cpu")
      ->check(CLI::IsMember({"auto", "cuda", "gpu", "cpu"}))
      ->capture_default_str();
  app.add_option("--gpu", g.device_id, "CUDA device index")->capture_default_str();
  app.add_option("--threads", g.threads, "OpenMP threads for the CPU backend (0 = all cores)");

  vitra::cli::add_info_command(app, g);
  vitra::cli::add_build_command(app, g);
  vitra::cli::add_convert_command(app, g);
  vitra::cli::add_neighbor_stat_command(app, g);
  vitra::cli::add_run_command(app, g);
  vitra::cli::add_eval_command(app, g);
  vitra::cli::add_model_command(app, g);
  vitra::cli::add_model_devi_command(app, g);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const vitra::InputError& e) {
    std::cerr << "vitra: error: " << e.what() << "\n";
    return 2;
  } catch (const vitra::DeviceError& e) {
    std::cerr << "vitra: device error: " << e.what() << "\n";
    return 3;
  } catch (const std::exception& e) {
    std::cerr << "vitra: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
