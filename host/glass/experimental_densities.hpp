#pragma once
// Experimental densities and boron coordination of the reference glasses (seed
// paper Table II), compiled in from host/glass/experimental_densities.csv.
#include <string>
#include <string_view>
#include <vector>

namespace vitra::glass {

struct Composition;

struct ExperimentalGlass {
  std::string id;                       // "LBS-10-50-40", "LB70", ...
  double sio2 = 0, b2o3 = 0, li2o = 0;  // mol%, as tabulated (sum 100)
  double density = 0;                   // g/cm^3
  double b3_percent = 0;                // % of B that is three-fold coordinated
  double b4_percent = 0;                // % of B that is four-fold coordinated
};

// Default matching tolerance: every component within 0.6 mol%.
inline constexpr double kDensityMatchTolerance = 0.6;

// The embedded CSV text, verbatim.
std::string_view experimental_densities_csv();
// Every tabulated glass, in file order.
const std::vector<ExperimentalGlass>& experimental_glasses();

// The tabulated glass whose SiO2, B2O3 and Li2O mol% are each within
// `tolerance` mol% of the given composition (mole fractions, normalised here,
// so any positive scale works); the closest when several match; nullptr when
// none does.
const ExperimentalGlass* find_experimental_glass(double x_sio2, double x_b2o3, double x_li2o,
                                                 double tolerance = kDensityMatchTolerance);
// As above, but a miss is an InputError that lists every available glass id
// with its composition.
const ExperimentalGlass& experimental_glass(double x_sio2, double x_b2o3, double x_li2o,
                                            double tolerance = kDensityMatchTolerance);
// For a parsed composition. Components other than SiO2, B2O3 and Li2O (by
// element counts) are a miss: InputError naming them and listing the glasses.
const ExperimentalGlass* find_experimental_glass(const Composition& c,
                                                 double tolerance = kDensityMatchTolerance);
const ExperimentalGlass& experimental_glass(const Composition& c,
                                            double tolerance = kDensityMatchTolerance);

}  // namespace vitra::glass
