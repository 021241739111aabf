#include "host/io/lammps_data.hpp"

#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <iterator>
#include <map>
#include <numeric>

#include "host/elements.hpp"
#include "host/error.hpp"
#include "host/io/text.hpp"

namespace vitra {

using io::LineReader;

LammpsCell lammps_cell(const Mat3& h) {
  LammpsCell out;
  const auto& m = h.m;
  if (m[0][1] == 0.0 && m[0][2] == 0.0 && m[1][2] == 0.0 && m[0][0] > 0.0 && m[1][1] > 0.0 &&
      m[2][2] > 0.0) {
    out.cell = h;
    out.rotation = Mat3::identity();
    return out;
  }
  // Orthonormal frame: e1 along a, e2 in the (a, b) plane, e3 completing it
  // so that c·e3 > 0 (a reflection for a left-handed cell). r_lammps = r · M
  // with M's columns e1, e2, e3.
  const Vec3 a = h.row(0), b = h.row(1), c = h.row(2);
  const Vec3 e1 = (1.0 / norm(a)) * a;
  Vec3 e2 = b - dot(b, e1) * e1;
  e2 = (1.0 / norm(e2)) * e2;
  Vec3 e3 = cross(e1, e2);
  if (dot(c, e3) < 0.0) e3 = -e3;
  const Vec3 e[3] = {e1, e2, e3};
  for (int k = 0; k < 3; ++k)
    for (int j = 0; j < 3; ++j) out.rotation.m[k][j] = e[j][k];
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j <= i; ++j) out.cell.m[i][j] = dot(h.row(i), e[j]);
  out.rotated = true;
  return out;
}

std::string element_from_mass(double mass, double tolerance) {
  std::string found;
  int matches = 0;
  for (int z = 1; z <= 118; ++z) {
    try {
      const Element& e = element(z);
      if (std::fabs(e.mass - mass) <= tolerance) {
        found = e.symbol;
        ++matches;
      }
    } catch (const InputError&) {
      // an element the table does not have
    }
  }
  return matches == 1 ? found : std::string();
}

namespace {

const char* const kSections[] = {"Atoms",
                                 "Velocities",
                                 "Masses",
                                 "Atom Type Labels",
                                 "Charges",
                                 "Ellipsoids",
                                 "Lines",
                                 "Triangles",
                                 "Bodies",
                                 "Bonds",
                                 "Angles",
                                 "Dihedrals",
                                 "Impropers",
                                 "Pair Coeffs",
                                 "PairIJ Coeffs",
                                 "Bond Coeffs",
                                 "Angle Coeffs",
                                 "Dihedral Coeffs",
                                 "Improper Coeffs",
                                 "BondBond Coeffs",
                                 "BondAngle Coeffs",
                                 "MiddleBondTorsion Coeffs",
                                 "EndBondTorsion Coeffs",
                                 "AngleTorsion Coeffs",
                                 "AngleAngleTorsion Coeffs",
                                 "BondBond13 Coeffs",
                                 "AngleAngle Coeffs",
                                 "Bond Type Labels",
                                 "Angle Type Labels",
                                 "Dihedral Type Labels",
                                 "Improper Type Labels"};

// The section name a line (comment removed) is, or "".
std::string section_name(std::string_view body, std::vector<std::string_view>& tok) {
  io::split(body, tok);
  if (tok.empty() || !std::isalpha(static_cast<unsigned char>(tok[0][0]))) return {};
  std::string joined;
  for (std::size_t k = 0; k < tok.size(); ++k) {
    if (k) joined += ' ';
    joined.append(tok[k]);
  }
  for (const char* s : kSections)
    if (joined == s) return joined;
  return {};
}

bool header_matches(const std::vector<std::string_view>& tok, std::size_t nvalues,
                    std::initializer_list<std::string_view> words) {
  if (tok.size() != nvalues + words.size()) return false;
  std::size_t k = nvalues;
  for (auto w : words)
    if (tok[k++] != w) return false;
  return true;
}

struct AtomRow {
  long id;
  int type;
  long line;
  Vec3 r;
  int image[3];
};

}  // namespace

Structure read_lammps_data(const std::string& path, const std::vector<std::string>& type_names) {
  LineReader in(path);
  std::string_view line, comment;
  std::vector<std::string_view> tok;
  if (!in.next(line)) in.fail_at(0, "expected a LAMMPS data file, found an empty file");

  long natoms = -1, ntypes = -1;
  double lo[3] = {-0.5, -0.5, -0.5}, hi[3] = {0.5, 0.5, 0.5}, tilt[3] = {0, 0, 0};
  bool general = false;
  Vec3 gvec[3], gorigin;
  int have_gvec = 0;

  // Header: everything up to the first section name.
  std::string section;
  long section_line = 0;
  std::string section_comment;
  while (in.next(line)) {
    const std::string_view body = io::trim(io::strip_comment(line, &comment));
    if (body.empty()) continue;
    section = section_name(body, tok);
    if (!section.empty()) {
      section_line = in.line_no();
      section_comment = std::string(comment);
      break;
    }
    io::split(body, tok);
    auto num = [&](std::size_t k, const char* what) { return io::parse_double(in, tok[k], what); };
    if (header_matches(tok, 1, {"atoms"})) {
      natoms = io::parse_long(in, tok[0], "the number of atoms");
      if (natoms < 0)
        in.fail(fmt::format("expected a non-negative number of atoms, found {}", natoms));
    } else if (header_matches(tok, 1, {"atom", "types"})) {
      ntypes = io::parse_long(in, tok[0], "the number of atom types");
      if (ntypes < 1) in.fail(fmt::format("expected at least 1 atom type, found {}", ntypes));
    } else if (header_matches(tok, 2, {"xlo", "xhi"}) || header_matches(tok, 2, {"ylo", "yhi"}) ||
               header_matches(tok, 2, {"zlo", "zhi"})) {
      const int k = tok[2][0] - 'x';
      lo[k] = num(0, "the lower box bound");
      hi[k] = num(1, "the upper box bound");
      if (!(hi[k] > lo[k]))
        in.fail(fmt::format("expected {} > {}, found {} <= {}", tok[3], tok[2], hi[k], lo[k]));
    } else if (header_matches(tok, 3, {"xy", "xz", "yz"})) {
      for (int k = 0; k < 3; ++k) tilt[k] = num(k, "a box tilt factor");
    } else if (header_matches(tok, 3, {"avec"}) || header_matches(tok, 3, {"bvec"}) ||
               header_matches(tok, 3, {"cvec"})) {
      const int k = tok[3][0] - 'a';
      gvec[k] = Vec3{num(0, "a cell vector component"), num(1, "a cell vector component"),
                     num(2, "a cell vector component")};
      general = true;
      have_gvec |= 1 << k;
    } else if (header_matches(tok, 3, {"abc", "origin"})) {
      gorigin = Vec3{num(0, "an origin component"), num(1, "an origin component"),
                     num(2, "an origin component")};
    } else {
      // Counts of things atom_style atomic has none of: accepted and ignored.
      static const std::vector<std::vector<std::string_view>> ignored = {
          {"bonds"},
          {"angles"},
          {"dihedrals"},
          {"impropers"},
          {"bond", "types"},
          {"angle", "types"},
          {"dihedral", "types"},
          {"improper", "types"},
          {"extra", "bond", "per", "atom"},
          {"extra", "angle", "per", "atom"},
          {"extra", "dihedral", "per", "atom"},
          {"extra", "improper", "per", "atom"},
          {"extra", "special", "per", "atom"},
          {"ellipsoids"},
          {"lines"},
          {"triangles"},
          {"bodies"}};
      bool ok = false;
      for (const auto& words : ignored) {
        if (tok.size() != words.size() + 1) continue;
        ok = std::equal(words.begin(), words.end(), tok.begin() + 1);
        if (ok) {
          io::parse_long(in, tok[0], "a count");
          break;
        }
      }
      if (!ok)
        in.fail(
            fmt::format("expected a header line such as 'N atoms', 'N atom types', "
                        "'xlo xhi' or a section name such as 'Atoms', found {}",
                        io::quoted(body)));
    }
  }
  if (general && have_gvec != 7)
    in.fail_at(0, "expected all of avec, bvec and cvec for a general triclinic box");
  if (natoms < 0) in.fail_at(0, "expected an 'N atoms' header line, found none");

  std::vector<AtomRow> atoms;
  std::vector<Vec3> vel;
  std::vector<long> vel_id, vel_line;
  long atoms_line = 0;
  std::map<int, double> mass_of;
  std::map<int, long> mass_line;
  std::map<int, std::string> mass_comment;
  std::map<std::string, int> labels;  // Atom Type Labels: name -> type

  auto need_types = [&]() {
    if (ntypes < 1)
      in.fail(fmt::format("expected an 'N atom types' header line before the {} section", section));
  };
  auto type_of = [&](std::string_view t) {
    long v;
    if (io::to_long(t, v)) {
      if (v < 1 || v > ntypes)
        in.fail(fmt::format("expected an atom type from 1 to {}, found {}", ntypes, v));
      return static_cast<int>(v);
    }
    const auto it = labels.find(std::string(t));
    if (it == labels.end())
      in.fail(fmt::format("expected an atom type (1 to {} or a type label), found {}", ntypes,
                          io::quoted(t)));
    return it->second;
  };
  // Reads `count` lines of the current section; each is split into tok, its
  // comment in row_comment.
  std::string_view row_comment;
  auto read_rows = [&](long count, const char* what, auto&& row) {
    for (long i = 0; i < count; ++i) {
      std::string_view l;
      bool got = false;
      while (in.next(l)) {
        const std::string_view body = io::trim(io::strip_comment(l, &row_comment));
        if (body.empty()) continue;
        if (!section_name(body, tok).empty())
          in.fail(
              fmt::format("expected {} {} lines in the {} section (line {}), found {} before "
                          "the next section",
                          count, what, section, section_line, i));
        io::split(body, tok);
        got = true;
        break;
      }
      if (!got)
        in.fail(fmt::format("the file ends after {} of the {} {} lines of the {} section (line {})",
                            i, count, what, section, section_line));
      row(i);
    }
  };

  while (!section.empty()) {
    if (section == "Masses") {
      need_types();
      read_rows(ntypes, "mass", [&](long) {
        if (tok.size() != 2)
          in.fail(fmt::format("expected 'type mass', found {} columns", tok.size()));
        const int t = type_of(tok[0]);
        const double m = io::parse_double(in, tok[1], "a mass");
        if (!(m > 0)) in.fail(fmt::format("expected a positive mass, found {}", m));
        mass_of[t] = m;
        mass_line[t] = in.line_no();
        std::vector<std::string_view> ct;
        io::split(row_comment, ct);
        if (!ct.empty()) mass_comment[t] = io::capitalized(ct[0]);
      });
    } else if (section == "Atom Type Labels") {
      need_types();
      read_rows(ntypes, "type label", [&](long) {
        if (tok.size() != 2)
          in.fail(fmt::format("expected 'type label', found {} columns", tok.size()));
        const long t = io::parse_long(in, tok[0], "an atom type");
        if (t < 1 || t > ntypes)
          in.fail(fmt::format("expected an atom type from 1 to {}, found {}", ntypes, t));
        labels[std::string(tok[1])] = static_cast<int>(t);
      });
    } else if (section == "Atoms") {
      need_types();
      atoms_line = section_line;
      std::string style;
      {
        std::vector<std::string_view> ct;
        io::split(section_comment, ct);
        if (!ct.empty()) style = std::string(ct[0]);
      }
      atoms.resize(natoms);
      int base = 0, itype = 1, ipos = 2;
      read_rows(natoms, "atom", [&](long i) {
        if (i == 0) {
          if (style.empty()) {
            if (tok.size() == 5 || tok.size() == 8)
              style = "atomic";
            else if (tok.size() == 7 || tok.size() == 10)
              style = "full";
            else
              in.fail(
                  fmt::format("cannot tell the atom style from {} columns; expected 5 or 8 "
                              "(id type x y z [ix iy iz]), or name the style after 'Atoms' "
                              "on line {} as in 'Atoms # atomic'",
                              tok.size(), section_line));
          }
          if (style == "atomic") {
            base = 5, itype = 1, ipos = 2;
          } else if (style == "charge") {
            base = 6, itype = 1, ipos = 3;
          } else if (style == "full") {
            base = 7, itype = 2, ipos = 4;
          } else if (style == "molecular" || style == "bond" || style == "angle") {
            base = 6, itype = 2, ipos = 3;
          } else {
            in.fail_at(section_line,
                       fmt::format("expected atom style atomic, charge, full, molecular, bond or "
                                   "angle after 'Atoms', found '{}'",
                                   style));
          }
        }
        if (tok.size() != static_cast<std::size_t>(base) &&
            tok.size() != static_cast<std::size_t>(base + 3))
          in.fail(fmt::format("expected {} or {} columns for atom style {}, found {}", base,
                              base + 3, style, tok.size()));
        AtomRow& a = atoms[i];
        a.id = io::parse_long(in, tok[0], "an atom id");
        a.type = type_of(tok[itype]);
        a.line = in.line_no();
        a.r = Vec3{io::parse_double(in, tok[ipos], "a coordinate"),
                   io::parse_double(in, tok[ipos + 1], "a coordinate"),
                   io::parse_double(in, tok[ipos + 2], "a coordinate")};
        for (int k = 0; k < 3; ++k)
          a.image[k] =
              tok.size() == static_cast<std::size_t>(base + 3)
                  ? static_cast<int>(io::parse_long(in, tok[ipos + 3 + k], "an image flag"))
                  : 0;
      });
    } else if (section == "Velocities") {
      if (atoms_line == 0) in.fail("expected the Atoms section before the Velocities section");
      vel.resize(natoms);
      vel_id.resize(natoms);
      vel_line.resize(natoms);
      // Kept in file order; matched to the atoms once they are sorted by id.
      read_rows(natoms, "velocity", [&](long i) {
        if (tok.size() != 4)
          in.fail(fmt::format("expected 'id vx vy vz', found {} columns", tok.size()));
        vel_id[i] = io::parse_long(in, tok[0], "an atom id");
        vel_line[i] = in.line_no();
        vel[i] = Vec3{io::parse_double(in, tok[1], "a velocity"),
                      io::parse_double(in, tok[2], "a velocity"),
                      io::parse_double(in, tok[3], "a velocity")};
      });
    } else {
      // A section vitra does not use: skip its lines up to the next section.
      section.clear();
      std::string_view l;
      while (in.next(l)) {
        const std::string_view body = io::trim(io::strip_comment(l, &comment));
        if (body.empty()) continue;
        section = section_name(body, tok);
        if (!section.empty()) {
          section_line = in.line_no();
          section_comment = std::string(comment);
          break;
        }
        io::split(body, tok);
        double dummy;
        if (!io::to_double(tok[0], dummy))
          in.fail(
              fmt::format("expected a section name such as 'Atoms', 'Velocities' or 'Masses', "
                          "found {}",
                          io::quoted(body)));
      }
      continue;
    }
    // After a section of known length: a section name or the end of the file.
    const std::string section_name_before = section;
    section.clear();
    std::string_view l;
    while (in.next(l)) {
      const std::string_view body = io::trim(io::strip_comment(l, &comment));
      if (body.empty()) continue;
      section = section_name(body, tok);
      if (section.empty())
        in.fail(
            fmt::format("expected a section name after the lines of the {} section (line "
                        "{}), found {}: is the count in the header right?",
                        section_name_before, section_line, io::quoted(body)));
      section_line = in.line_no();
      section_comment = std::string(comment);
      break;
    }
  }
  if (atoms_line == 0 && natoms > 0) in.fail_at(0, "expected an Atoms section, found none");

  // Element names of the types.
  std::vector<std::string> names(ntypes + 1);
  if (!type_names.empty()) {
    if (static_cast<long>(type_names.size()) < ntypes)
      throw InputError(path, 0,
                       fmt::format("expected {} type names (the file has {} atom types), found {}",
                                   ntypes, ntypes, type_names.size()));
    for (long t = 1; t <= ntypes; ++t) {
      if (!is_element(type_names[t - 1]))
        throw InputError(path, 0,
                         fmt::format("expected an element name for atom type {}, found '{}'", t,
                                     type_names[t - 1]));
      names[t] = type_names[t - 1];
    }
  } else {
    for (const auto& [label, t] : labels)
      if (is_element(label)) names[t] = label;
    for (const auto& [t, name] : mass_comment)
      if (names[t].empty() && is_element(name)) names[t] = name;
  }
  std::vector<bool> used(ntypes + 1, false);
  for (const auto& a : atoms) used[a.type] = true;
  for (long t = 1; t <= ntypes; ++t) {
    if (!used[t] || !names[t].empty()) continue;
    const auto m = mass_of.find(static_cast<int>(t));
    if (m == mass_of.end())
      throw InputError(
          path, 0,
          fmt::format("cannot tell the element of atom type {}: no Masses entry, "
                      "no type label; name the types with --types (e.g. --types O,B,Li)",
                      t));
    names[t] = element_from_mass(m->second);
    if (names[t].empty())
      in.fail_at(mass_line[t], fmt::format("cannot tell the element of atom type {} (mass {}): no "
                                           "'# Element' comment after the mass and not exactly one "
                                           "element within 0.01 amu; name the types with --types "
                                           "(e.g. --types O,B,Li)",
                                           t, m->second));
  }

  // Sort by id and build the structure.
  std::vector<std::size_t> order(atoms.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](std::size_t x, std::size_t y) { return atoms[x].id < atoms[y].id; });
  for (std::size_t k = 1; k < order.size(); ++k)
    if (atoms[order[k]].id == atoms[order[k - 1]].id) {
      const auto& a = atoms[order[k]];
      const auto& b = atoms[order[k - 1]];
      in.fail_at(std::max(a.line, b.line),
                 fmt::format("expected unique atom ids, found id {} on lines {} and {}", a.id,
                             std::min(a.line, b.line), std::max(a.line, b.line)));
    }

  Structure s;
  Vec3 origin;
  if (general) {
    s.cell = Mat3::from_rows(gvec[0], gvec[1], gvec[2]);
    origin = gorigin;
  } else {
    s.cell.m[0][0] = hi[0] - lo[0];
    s.cell.m[1][1] = hi[1] - lo[1];
    s.cell.m[2][2] = hi[2] - lo[2];
    s.cell.m[1][0] = tilt[0];
    s.cell.m[2][0] = tilt[1];
    s.cell.m[2][1] = tilt[2];
    origin = Vec3{lo[0], lo[1], lo[2]};
  }
  if (determinant(s.cell) == 0.0) in.fail_at(0, "expected a box with a non-zero volume");
  const bool shift = origin.x != 0.0 || origin.y != 0.0 || origin.z != 0.0;
  s.species.resize(atoms.size());
  s.positions.resize(atoms.size());
  std::vector<long> sorted_ids(atoms.size());
  for (std::size_t k = 0; k < order.size(); ++k) {
    const AtomRow& a = atoms[order[k]];
    sorted_ids[k] = a.id;
    s.species[k] = names[a.type];
    Vec3 r = shift ? a.r - origin : a.r;
    if (a.image[0] || a.image[1] || a.image[2])
      r += s.cell.row(0) * double(a.image[0]) + s.cell.row(1) * double(a.image[1]) +
           s.cell.row(2) * double(a.image[2]);
    s.positions[k] = r;
  }
  if (!vel.empty()) {
    s.velocities.assign(atoms.size(), Vec3{});
    std::vector<char> seen(atoms.size(), 0);
    for (std::size_t i = 0; i < vel.size(); ++i) {
      const long id = vel_id[i];
      const auto it = std::lower_bound(sorted_ids.begin(), sorted_ids.end(), id);
      if (it == sorted_ids.end() || *it != id || seen[it - sorted_ids.begin()])
        in.fail_at(vel_line[i], fmt::format("expected each atom id once in the Velocities section, "
                                            "found id {} {}",
                                            id,
                                            it == sorted_ids.end() || *it != id ? "that no atom has"
                                                                                : "a second time"));
      seen[it - sorted_ids.begin()] = 1;
      s.velocities[it - sorted_ids.begin()] = vel[i];
    }
  }
  return s;
}

void write_lammps_data(const std::string& path, const Structure& s,
                       const std::vector<std::string>& type_names) {
  const std::size_t n = s.size();
  if (s.species.size() != n)
    throw InputError(path, 0,
                     fmt::format("cannot write: {} positions but {} species", n, s.species.size()));
  if (determinant(s.cell) == 0.0)
    throw InputError(path, 0,
                     "cannot write a LAMMPS data file for a structure without a cell "
                     "(zero or singular cell)");
  const bool vel = !s.velocities.empty();
  if (vel && s.velocities.size() != n)
    throw InputError(path, 0, "cannot write: the velocities do not match the atom count");

  const std::vector<std::string> types = type_names.empty() ? species_in_order(s) : type_names;
  std::vector<int> type(n);
  {
    std::string last;
    int last_t = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (i == 0 || s.species[i] != last) {
        const auto it = std::find(types.begin(), types.end(), s.species[i]);
        if (it == types.end())
          throw InputError(path, 0,
                           fmt::format("atom {} is {}, which is not among the type names {}", i + 1,
                                       s.species[i], fmt::join(types, ",")));
        last = s.species[i];
        last_t = static_cast<int>(it - types.begin()) + 1;
      }
      type[i] = last_t;
    }
  }
  std::vector<double> masses;
  for (const auto& t : types) {
    try {
      masses.push_back(element(t).mass);
    } catch (const InputError& e) {
      throw InputError(path, 0, fmt::format("cannot write the mass of type '{}': {}", t, e.what()));
    }
  }

  const LammpsCell lc = lammps_cell(s.cell);
  const auto& L = lc.cell.m;
  io::TextWriter w(path, false);
  auto out = std::back_inserter(w.buf());
  fmt::format_to(out, "LAMMPS data file written by vitra (atom_style atomic, units metal)\n\n");
  fmt::format_to(out, "{} atoms\n{} atom types\n\n", n, types.size());
  fmt::format_to(out, "0 {} xlo xhi\n0 {} ylo yhi\n0 {} zlo zhi\n", L[0][0], L[1][1], L[2][2]);
  if (L[1][0] != 0.0 || L[2][0] != 0.0 || L[2][1] != 0.0)
    fmt::format_to(out, "{} {} {} xy xz yz\n", L[1][0], L[2][0], L[2][1]);
  fmt::format_to(out, "\nMasses\n\n");
  for (std::size_t t = 0; t < types.size(); ++t)
    fmt::format_to(out, "{} {} # {}\n", t + 1, masses[t], types[t]);
  fmt::format_to(out, "\nAtoms # atomic\n\n");
  for (std::size_t i = 0; i < n; ++i) {
    const Vec3 r = lc.rotated ? s.positions[i] * lc.rotation : s.positions[i];
    fmt::format_to(out, "{} {} {} {} {}\n", i + 1, type[i], r.x, r.y, r.z);
    w.maybe_flush();
  }
  if (vel) {
    fmt::format_to(out, "\nVelocities\n\n");
    for (std::size_t i = 0; i < n; ++i) {
      const Vec3 v = lc.rotated ? s.velocities[i] * lc.rotation : s.velocities[i];
      fmt::format_to(out, "{} {} {} {}\n", i + 1, v.x, v.y, v.z);
      w.maybe_flush();
    }
  }
  w.close();
}

}  // namespace vitra
