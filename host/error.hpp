#pragma once
// InputError: bad input from the user (a file, a flag, a config key). Its
// message names where (file, line or key), what was expected and what was
// found; the CLI prints it and exits non-zero.
#include <stdexcept>
#include <string>

namespace vitra {

class InputError : public std::runtime_error {
 public:
  explicit InputError(const std::string& what) : std::runtime_error(what) {}
  // "<file>:<line>: <what>"; line 0 means the file as a whole.
  InputError(const std::string& file, long line, const std::string& what)
      : std::runtime_error(file + (line > 0 ? ":" + std::to_string(line) : std::string()) + ": " +
                           what) {}
};

}  // namespace vitra
