// STUB (replaced by the structure-I/O work): `vitra convert`.
#include "host/cli/commands.hpp"
namespace vitra::cli {
void add_convert_command(CLI::App& app, GlobalOptions&) { app.add_subcommand("convert", "Convert structure files (not yet)"); }
}  // namespace vitra::cli
