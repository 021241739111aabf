// STUB (replaced by the glass-builder work): `vitra build`.
#include "host/cli/commands.hpp"
namespace vitra::cli {
void add_build_command(CLI::App& app, GlobalOptions&) { app.add_subcommand("build", "Build a random glass (not yet)"); }
}  // namespace vitra::cli
