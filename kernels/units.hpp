#pragma once
// LAMMPS `metal` units: Å, ps, eV, amu, K, bar. kB and the SI-derived
// factors are CODATA 2018 (exact SI definitions); mvv2e and nktv2p are the
// values LAMMPS uses for style metal, so thermo output matches LAMMPS.
namespace vitra::units {

constexpr double kBoltzmann = 8.617333262e-5;      // eV/K
constexpr double kMvv2e = 1.0364269e-4;            // amu·Å²/ps² -> eV (LAMMPS metal mvv2e)
constexpr double kEvPerA3ToBar = 1.6021765e6;      // eV/Å³ -> bar (LAMMPS metal nktv2p)
constexpr double kEvPerA3ToGPa = 160.2176634;      // eV/Å³ -> GPa
constexpr double kAmuPerA3ToGcm3 = 1.66053906660;  // amu/Å³ -> g/cm³
constexpr double kAvogadro = 6.02214076e23;

}  // namespace vitra::units
