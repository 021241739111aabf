#pragma once
// The periodic table: symbol, atomic number and standard atomic weight.
#include <string>

namespace vitra {

struct Element {
  const char* symbol;
  int number;   // Z
  double mass;  // standard atomic weight, amu
};

// Looks up an element by symbol (case-sensitive, "O", "Li"). Unknown symbols
// throw InputError listing what was given.
const Element& element(const std::string& symbol);
// Element by atomic number Z (1..118).
const Element& element(int number);
bool is_element(const std::string& symbol);

}  // namespace vitra
