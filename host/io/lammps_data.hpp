#pragma once
// LAMMPS data files (units metal: Å, Å/ps, amu).
//
// Reading: header counts and box (xlo xhi / ylo yhi / zlo zhi / xy xz yz, or
// the general-triclinic avec/bvec/cvec/abc origin); Masses; Atom Type Labels;
// Atoms in style atomic (id type x y z [ix iy iz]), charge (id type q x y z),
// full (id mol type q x y z) or molecular/bond/angle (id mol type x y z),
// chosen by the comment after "Atoms" (else atomic, or full for 7/10
// columns); Velocities. Other sections are skipped. Atoms come out sorted by
// id; positions are taken relative to the box origin (xlo, ylo, zlo) and,
// as ASE's reader does by default, image flags are applied: r = x + ix·a +
// iy·b + iz·c (unwrapped). Element names of the types come from, in order:
// ReadOptions-style `type_names` (the user's --types), an Atom Type Labels
// section of element names, the "# O" comment after each mass, the mass
// itself (the only element within 0.01 amu), else an InputError asking for
// --types.
//
// Writing: atom_style atomic with Masses ("# Element" comments) and
// Velocities when present. LAMMPS needs the restricted triclinic form (a
// along x, b in the xy plane, lower-triangular cell with positive diagonal):
// a cell that is not in it is rotated into it, positions and velocities with
// it, as ASE's write_lammps_data does (no lattice reduction, no wrapping; a
// cell already in that form is written unchanged, so the round trip is
// exact). The tilt line is written when a tilt is non-zero.
#include <string>
#include <vector>

#include "host/structure.hpp"

namespace vitra {

// The LAMMPS (restricted triclinic) form of a cell: cell = h · rotation is
// lower triangular with a positive diagonal; rotation is orthogonal (a proper
// rotation for right-handed cells). rotated is false when h already has that
// form (then cell == h and rotation is the identity, bit for bit).
struct LammpsCell {
  Mat3 cell;
  Mat3 rotation;
  bool rotated = false;
};
LammpsCell lammps_cell(const Mat3& h);

// Element whose standard atomic weight is within `tolerance` amu of `mass`
// when exactly one is; else an empty string.
std::string element_from_mass(double mass, double tolerance = 0.01);

// `type_names` are the element names of LAMMPS types 1..n (may be empty).
Structure read_lammps_data(const std::string& path,
                           const std::vector<std::string>& type_names = {});

// Types follow `type_names` when given (every species must be there; names
// not present get a type and a mass all the same), else the order of first
// appearance.
void write_lammps_data(const std::string& path, const Structure& s,
                       const std::vector<std::string>& type_names = {});

}  // namespace vitra
