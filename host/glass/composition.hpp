#pragma once
// Glass compositions: "B2O3:66.7,Li2O:33.3" -> components (chemical formulas
// with molar amounts), whole formula units for a requested atom count, charge
// neutrality and mass.
#include <string>
#include <utility>
#include <vector>

namespace vitra::glass {

// Element counts of one formula in order of first appearance: "B2O3" ->
// {{"B", 2}, {"O", 3}}. A repeated element is summed ("CH3COOH").
using FormulaCounts = std::vector<std::pair<std::string, long>>;

// Parses a chemical formula: element symbols (case-sensitive), each followed by
// an optional positive count; no spaces, parentheses or charges. Throws
// InputError naming the formula and the 1-based column of the problem; a case
// error ("LI2O", "sio2") gets a suggestion.
FormulaCounts parse_formula(const std::string& formula);

struct Component {
  std::string formula;  // as written, e.g. "B2O3"
  FormulaCounts atoms;  // element counts per formula unit
  double amount = 0;    // as written (mol%, or any positive weight)
  double fraction = 0;  // amount / sum of amounts (mole fraction, sums to 1)

  long atoms_per_unit() const;
  double mass() const;  // amu per formula unit
  bool is_pure_element() const { return atoms.size() == 1; }
};

struct Composition {
  std::string text;  // as given
  std::vector<Component> components;

  // Elements grouped for output: every element except oxygen in order of first
  // appearance over the components, then oxygen last ("B2O3,Li2O" -> B, Li, O;
  // "SiO2,B2O3,Li2O" -> Si, B, Li, O).
  std::vector<std::string> elements() const;
  // Mole fraction of the component with this formula (compared by element
  // counts, so "SiO2" == "O2Si"); 0 when absent.
  double fraction_of(const std::string& formula) const;
  // "66.7% B2O3 + 33.3% Li2O" (normalised mol%).
  std::string describe() const;
};

// Parses "FORMULA:AMOUNT,FORMULA:AMOUNT,...". Amounts are positive numbers
// (mol%); they need not sum to 100 and are normalised. A single component may
// omit its amount ("B2O3" = pure B2O3). Errors (empty part, missing or
// non-positive amount, bad formula, unknown element, a formula given twice)
// are InputError naming the offending part, its index and its column.
Composition parse_composition(const std::string& text);

// Standard oxidation states of an element (O -2, Li +1, B +3, Si +4, ...);
// several for elements that commonly take more than one (Fe +2/+3); empty when
// the table has none.
std::vector<int> oxidation_states(const std::string& symbol);

// Throws InputError unless every component is charge-neutral with standard
// oxidation states (some choice of states per element sums to zero). A pure
// element ("Si") counts as neutral. An element without a known state in a
// compound formula is an InputError naming it.
void check_charge_neutrality(const Composition& c);

// Whole formula units for a target atom count (see formula_units()).
struct UnitCounts {
  std::vector<double> fractions;  // the mole fractions aimed at (after snapping, see below)
  bool snapped = false;           // fractions were snapped to a small-integer ratio
  std::vector<long> units;        // formula units per component
  long total_units = 0;
  long total_atoms = 0;
  std::vector<std::pair<std::string, long>> atoms;  // per element, in Composition::elements() order
  double mass = 0;                                  // amu, whole system
  double max_fraction_error = 0;  // max_i |units_i / total_units - requested fraction_i|
};

// Chooses the number of formula units per component for about `target_atoms`
// atoms. The rule:
//  1. The requested fractions x_i are read as rounded numbers: if, for some
//     total T <= 12, the closest integer ratio (largest-remainder rounding of
//     x_i*T, every part >= 1) reproduces every x_i within 0.05 mol%, that exact
//     ratio is used instead (66.7:33.3 -> 2:1, lithium diborate). Exact inputs
//     (20:60:20) are unchanged by this.
//  2. For every total number of units U, the units per component are the
//     largest-remainder rounding of x_i*U (ties to the earlier component), i.e.
//     the best composition possible with U units; U with a component at zero
//     units are skipped.
//  3. The chosen U minimises, in formula units,
//        sum_i |u_i - x_i*U|  +  |atoms(U) - target| / a,
//     where a = sum_i x_i * atoms_per_unit_i is the mean atom count of a unit:
//     composition error and size error weigh the same per formula unit. Ties go
//     to the atom count closer to the target, then to the smaller U.
// LB67 (B2O3:66.7,Li2O:33.3) gives 46+23 units = 299 atoms for 300, 154+77 =
// 1001 for 1000 and 462+231 = 3003 for 3000. InputError when the target is too
// small to hold one unit of every component.
UnitCounts formula_units(const Composition& c, long target_atoms);

}  // namespace vitra::glass
