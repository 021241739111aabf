#pragma once
// Extended XYZ, as ASE's ase.io.extxyz reads and writes it.
//
// Reading: the comment line is key=value pairs (values may be quoted with "",
// '', {} or []; a bare key means "T"). Lattice="ax ay az bx by bz cx cy cz"
// gives the cell rows a, b, c; pbc="T T T" (default T T T with a Lattice,
// F F F without, when the cell stays zero). Properties=name:type:count...
// (types S R I L) is parsed generically: species from `species` or `Z`,
// positions from `pos`, velocities (Å/ps) from `vel`/`velo`/`velocities` or
// ASE's `momenta` (divided by the mass -- the `masses` column when present,
// else the periodic table -- and converted from ASE units), forces (eV/Å) from
// `forces`/`force`. Other per-atom columns are skipped; other comment keys are
// kept verbatim in Structure::info.
//
// Writing: Lattice=... Properties=species:S:1:pos:R:3[:vel:R:3][:forces:R:3],
// the info keys, pbc="T T T"; numbers in their shortest exact form, so a
// write -> read round trip returns the same doubles.
#include <memory>
#include <string>
#include <vector>

#include "host/structure.hpp"

namespace vitra {

// ASE's velocity unit, Å/(Å·sqrt(amu/eV)), in Å/ps: 0.01·sqrt(e/amu) with
// ASE's (CODATA 2014) e and amu, i.e. 1000·ase.units.fs = 98.2269...
double ase_velocity_unit_in_angstrom_per_ps();

// Frame `frame` (0 first, -1 last, -2 the one before...) of an extended XYZ
// file; an InputError names how many frames there are when out of range.
Structure read_extxyz(const std::string& path, long frame = 0);
std::vector<Structure> read_extxyz_frames(const std::string& path);

// Writes one frame (the file is replaced).
void write_extxyz(const std::string& path, const Structure& s);
// Adds one frame at the end of the file (created when missing).
void append_extxyz(const std::string& path, const Structure& s);

// A trajectory file kept open: write() adds one frame.
class ExtxyzWriter {
 public:
  // append=false replaces the file, true adds to it.
  explicit ExtxyzWriter(const std::string& path, bool append = false);
  ~ExtxyzWriter();
  ExtxyzWriter(const ExtxyzWriter&) = delete;
  ExtxyzWriter& operator=(const ExtxyzWriter&) = delete;

  void write(const Structure& s);
  // Flushes to disk (frames written so far become readable).
  void flush();
  void close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vitra
