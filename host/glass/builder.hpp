#pragma once
// Random glass starting structures: atoms placed at random in a cubic periodic
// box at a given density, no pair closer than a per-element-pair minimum.
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "host/structure.hpp"

namespace vitra {
class Progress;
}

namespace vitra::glass {

// Minimum pair distances (Å), symmetric in the pair. Pairs not set explicitly
// use default_min_distance().
class MinDistances {
 public:
  double operator()(const std::string& a, const std::string& b) const;
  void set(const std::string& a, const std::string& b, double distance);
  bool is_set(const std::string& a, const std::string& b) const;
  // "B-O 1.20, Li-O 1.60, ..." for every pair of the given elements.
  std::string describe(const std::vector<std::string>& elements) const;

 private:
  std::map<std::pair<std::string, std::string>, double> set_;  // key: (min, max) by name
};

// The default table, about 0.75-0.8x typical bond or contact lengths, chosen so
// that random insertion at glass densities (2.0-2.5 g/cm3) succeeds quickly:
//   anion-anion (O, F, N, S, Cl, Se, Br, I): 2.0 (O-O 2.0)
//   cation-O by cation: B 1.20, P 1.30, Si 1.40, Al 1.45, Ge 1.45, Ti 1.50,
//     Zn 1.55, Fe 1.55, Li 1.60, Mg 1.60, Zr 1.65, Na 1.80, Ca 1.80, Sr 1.95,
//     K 2.10, Ba 2.10, Rb 2.20, Cs 2.30, H 0.80; any other cation 1.60
//   cation-cation: 2.0 when either is Li or H; else 2.5 when either is Si or a
//     large cation (Na, K, Rb, Cs, Ca, Sr, Ba); else 2.2 (B-B 2.2)
// With these, 3000-atom random insertion succeeds in well under a second up to
// 2.6 g/cm3 for the most Li-rich reference glasses ((B2O3)30(Li2O)70, exp.
// 2.09; LBS-10-20-70, exp. 2.10), 3.0 for LB67 and LBS-10-50-40 and 3.2 for
// B2O3: a wide margin over the experimental densities of seed paper Table II
// (1.99-2.34 g/cm3).
double default_min_distance(const std::string& a, const std::string& b);

// Parses overrides "B-O:1.3,O-O:2.1" on top of `base`. Errors are InputError
// naming the part and its column (bad pair, unknown element, non-positive or
// non-numeric distance).
MinDistances parse_min_distances(const std::string& text, MinDistances base = {});

struct BuildOptions {
  double density = 0;  // g/cm^3
  std::uint64_t seed = 1;
  MinDistances min_distances;
  long max_trials = 100000;      // random positions tried per atom before giving up
  Progress* progress = nullptr;  // optional: told the number of atoms placed
};

// Edge (Å) of the cubic box that holds `mass` amu at `density` g/cm^3.
double cubic_box_length(double mass_amu, double density_g_cm3);

// Random sequential insertion in a cubic periodic box whose edge follows from
// the total mass and the density. `counts` lists (element, atom count); the
// output keeps atoms grouped by element in that order (pass
// UnitCounts::atoms: network formers and modifiers first, oxygen last).
// Atoms are inserted species by species, the species with the largest
// excluded volume first (see builder.cpp), each at uniformly random trial
// positions until one keeps every minimum distance; a cell grid keeps it O(N).
// The result depends only on the inputs and the seed: std::mt19937_64 with
// uniform doubles made from its 64-bit output, the same on every platform.
// Throws InputError when an atom cannot be placed in `max_trials` tries,
// suggesting a lower density or smaller minimum distances.
Structure build_random_glass(const std::vector<std::pair<std::string, long>>& counts,
                             const BuildOptions& options);

}  // namespace vitra::glass
