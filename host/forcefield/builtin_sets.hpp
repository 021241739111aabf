#pragma once
// The force-field parameter sets that ship with vitra (data/forcefields/),
// compiled into the binary so that nothing is looked up at run time.
#include <string>
#include <string_view>
#include <vector>

namespace vitra {

// The TOML text of a shipped set ("shik"), and the file it came from;
// empty text for an unknown name.
struct BuiltinSet {
  std::string_view text;
  std::string source;  // e.g. "data/forcefields/shik.toml"
};
BuiltinSet builtin_forcefield(const std::string& name);
std::vector<std::string> builtin_forcefield_names();

}  // namespace vitra
