#pragma once
// The SHIK parameter set as data (data/forcefields/shik.toml): read into a
// plain struct, the composition-dependent O charge computed from atom counts
// (q_O = −Σ_X q_X N_X / N_O, so the box is neutral to round-off), and a
// ShikPotential built for a TypeMap. kernels/ reads no file; this does.
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kernels/classical/shik_potential.hpp"
#include "kernels/system.hpp"

namespace vitra {

struct ShikSet {
  struct Publication {
    std::string citation;
    std::string doi;
    bool doi_verified = false;
  };
  struct Pair {
    std::string a, b;  // element symbols, as in the file
    double A = 0.0, B = 0.0, C = 0.0, D = 0.0;
    std::string status;  // "V" authors' input, "U" third-party only (see the file)
    std::string source;
  };

  std::string file;  // where it was read from (for messages)
  std::string name;
  std::vector<Publication> publications;
  double rc_sr = 0.0, rc_coulomb = 0.0, gamma_sr = 0.0, gamma_coulomb = 0.0;
  double coulomb_constant = 0.0;
  std::map<std::string, double> fixed_charges;  // cations (e)
  std::string neutralizing;                     // "O": its charge comes from neutrality
  std::vector<Pair> pairs;

  bool has_element(const std::string& el) const { return el == neutralizing || fixed_charges.count(el) > 0; }
  // The pair a–b in either order, or null.
  const Pair* find_pair(const std::string& a, const std::string& b) const;
};

// Reads and checks a parameter set. InputError (naming the file, line and
// key) for a missing file, bad TOML, a missing or mistyped key, duplicate
// pairs, pairs of elements without a charge, or a Coulomb constant other
// than the one the kernels use (14.399645 eV·Å).
ShikSet load_shik_set(const std::string& path);
// The same from text; `source_name` names it in messages.
ShikSet parse_shik_set(std::string_view text, const std::string& source_name);

// Charge of the neutralizing element for element counts (symbol -> count):
// −Σ_X q_X N_X / N_O. InputError naming the element and the file for an
// element the set does not have, or when there is no O to neutralize
// nonzero cation charge.
double shik_neutralizing_charge(const ShikSet& set, const std::map<std::string, long long>& counts);

// Per-type charges for a TypeMap and the number of atoms of each type
// (counts.size() == tm.size()); the box is neutral to round-off.
std::vector<double> shik_type_charges(const ShikSet& set, const TypeMap& tm, const std::vector<long long>& counts);

// Per-type atom counts of a list of atom types.
std::vector<long long> count_types(const std::vector<int>& types, int num_types);

// A ShikPotential for a TypeMap: the set's pairs between the map's elements,
// its cutoffs and γ, and charges from the counts. InputError naming the
// element and the file for an element of the map that the set lacks.
std::unique_ptr<ShikPotential> make_shik_potential(const ShikSet& set, const TypeMap& tm,
                                                   const std::vector<long long>& counts, double skin = 1.0);

}  // namespace vitra
