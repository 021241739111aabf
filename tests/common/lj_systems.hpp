#pragma once
// Lennard-Jones argon for dynamics tests: an fcc crystal (optionally sheared
// into a triclinic cell in LAMMPS orientation) with Maxwell–Boltzmann
// velocities, and the matching pair potential (ε = 0.0104 eV, σ = 3.4 Å).
#include <cstdint>
#include <memory>
#include <vector>

#include "kernels/pair/pair_potential.hpp"
#include "kernels/system.hpp"
#include "kernels/velocity_init.hpp"

namespace vitra::test {

constexpr double kArgonEpsilon = 0.0104;  // eV
constexpr double kArgonSigma = 3.4;       // Å
constexpr double kArgonMass = 39.948;     // amu

// n×n×n conventional fcc cells of edge a (Å); tilt xy/xz/yz added as
// fractions of the cell edge (rows of h stay lower triangular).
inline System fcc_argon(int n, double a, double temperature, std::uint64_t seed, double tilt_xy = 0.0,
                        double tilt_xz = 0.0, double tilt_yz = 0.0) {
  const double l = n * a;
  Mat3 h;
  h.m[0][0] = l;
  h.m[1][0] = tilt_xy * l;
  h.m[1][1] = l;
  h.m[2][0] = tilt_xz * l;
  h.m[2][1] = tilt_yz * l;
  h.m[2][2] = l;
  const Vec3 basis[4] = {{0, 0, 0}, {0.5, 0.5, 0}, {0.5, 0, 0.5}, {0, 0.5, 0.5}};
  std::vector<Vec3> x;
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j)
      for (int k = 0; k < n; ++k)
        for (const Vec3& b : basis) x.push_back((1.0 / n) * (Vec3{double(i), double(j), double(k)} + b) * h);
  TypeMap tm;
  tm.names = {"Ar"};
  tm.masses = {kArgonMass};
  System s(Box(h), tm, std::vector<int>(x.size(), 0), x);
  if (temperature > 0.0) maxwell_boltzmann(s, VelocityInit{temperature, seed, true, true});
  return s;
}

// An independent copy of a System (same backend): box, types, positions,
// velocities, forces and image counters.
inline System copy_system(const System& s) {
  System c(s.box, s.type_map, s.host_types(), s.host_positions(), s.host_velocities());
  c.forces.copy_from_host(s.forces.to_host());
  c.images.copy_from_host(s.images.to_host());
  return c;
}

inline std::unique_ptr<PairPotential> argon_potential(double rc = 8.5, double skin = 1.0) {
  auto p = std::make_unique<PairPotential>(1, skin);
  p->set_lennard_jones(0, 0, kArgonEpsilon, kArgonSigma, rc, true);
  return p;
}

}  // namespace vitra::test
