#include "host/io/lammps_dump.hpp"

#include <algorithm>
#include <array>
#include <iterator>
#include <map>
#include <numeric>

#include "host/elements.hpp"
#include "host/error.hpp"
#include "host/io/lammps_data.hpp"
#include "host/io/text.hpp"

namespace vitra {

using io::LineReader;

namespace {

int column(const std::vector<std::string>& cols, std::string_view name) {
  for (std::size_t k = 0; k < cols.size(); ++k)
    if (cols[k] == name) return static_cast<int>(k);
  return -1;
}

// The columns named a, b, c (e.g. x y z), in any order; false when none is
// there, an InputError when only some are.
struct Triple {
  int at[3] = {-1, -1, -1};
  bool found() const { return at[0] >= 0; }
};
Triple triple(const std::vector<std::string>& cols, std::string_view a, std::string_view b,
              std::string_view c, const LineReader& in) {
  Triple t;
  t.at[0] = column(cols, a);
  t.at[1] = column(cols, b);
  t.at[2] = column(cols, c);
  const int have = (t.at[0] >= 0) + (t.at[1] >= 0) + (t.at[2] >= 0);
  if (have != 0 && have != 3)
    in.fail(fmt::format("expected all of the columns {} {} {} in ITEM: ATOMS, found only some", a,
                        b, c));
  return t;
}

// Reads one frame starting at the next non-blank line. With `out` null the
// atom lines are skipped (indexing). False when the file has no more frames.
bool read_frame(LineReader& in, long index, const std::vector<std::string>& type_names,
                Structure* out) {
  std::string_view line;
  if (!in.next_nonblank(line, false)) return false;
  std::vector<std::string_view> tok;
  long natoms = -1, natoms_line = 0;
  bool have_box = false, have_timestep = false;
  Mat3 cell;
  Vec3 origin;
  std::array<bool, 3> pbc{{true, true, true}};
  std::map<std::string, std::string> info;
  auto value_line = [&](std::string_view item) {
    if (!in.next(line)) in.fail(fmt::format("the file ends right after ITEM: {}", item));
    if (io::split(line, tok) < 1)
      in.fail(fmt::format("expected the value of ITEM: {}, found a blank line", item));
  };
  for (;;) {
    const std::string_view t = io::trim(line);
    if (!io::starts_with(t, "ITEM:"))
      in.fail(fmt::format("expected an 'ITEM:' line of frame {}, found {}", index, io::quoted(t)));
    const std::string_view item = io::trim(t.substr(5));
    if (item == "TIMESTEP") {
      if (have_timestep)
        in.fail(fmt::format("expected ITEM: ATOMS to close frame {} before the next ITEM: TIMESTEP",
                            index));
      value_line(item);
      info["timestep"] = std::to_string(io::parse_long(in, tok[0], "the timestep"));
      have_timestep = true;
    } else if (item == "TIME") {
      value_line(item);
      io::parse_double(in, tok[0], "the time");
      info["time"] = std::string(tok[0]);
    } else if (item == "UNITS") {
      value_line(item);
      if (tok[0] != "metal")
        in.fail(fmt::format("expected units metal, found {}", io::quoted(tok[0])));
    } else if (item == "NUMBER OF ATOMS") {
      value_line(item);
      natoms = io::parse_long(in, tok[0], "the number of atoms");
      natoms_line = in.line_no();
      if (natoms < 0)
        in.fail(fmt::format("expected a non-negative number of atoms, found {}", natoms));
    } else if (io::starts_with(item, "BOX BOUNDS")) {
      std::vector<std::string_view> flags;
      io::split(item.substr(10), flags);
      bool abc = false;
      int tilt_at[3] = {0, 1, 2};
      bool tri = false;
      std::vector<std::string_view> pbc_flags;
      int ntilt = 0;
      for (auto f : flags) {
        if (f == "abc" || f == "origin") {
          abc = true;
        } else if (f == "xy" || f == "xz" || f == "yz") {
          tri = true;
          tilt_at[f == "xy" ? 0 : (f == "xz" ? 1 : 2)] = ntilt++;
        } else {
          pbc_flags.push_back(f);
        }
      }
      if (pbc_flags.size() == 3)
        for (int k = 0; k < 3; ++k) pbc[k] = pbc_flags[k].find('p') != std::string_view::npos;
      double v[3][4];
      std::size_t ncols = 0;
      for (int r = 0; r < 3; ++r) {
        if (!in.next(line)) in.fail("the file ends inside ITEM: BOX BOUNDS");
        const std::size_t nt = io::split(line, tok);
        if (r == 0) ncols = nt;
        const std::size_t want = abc ? 4 : (tri ? 3 : ncols);
        if (nt != want || (nt != 2 && nt != 3 && nt != 4))
          in.fail(fmt::format("expected {} numbers on a BOX BOUNDS line, found {}",
                              abc ? "4" : (tri ? "3" : "2 or 3"), nt));
        for (std::size_t c = 0; c < nt; ++c) v[r][c] = io::parse_double(in, tok[c], "a box bound");
      }
      cell = Mat3();
      if (abc) {
        for (int r = 0; r < 3; ++r)
          for (int c = 0; c < 3; ++c) cell.m[r][c] = v[r][c];
        origin = Vec3{v[0][3], v[1][3], v[2][3]};
      } else {
        // Old files have a third column without the xy xz yz labels.
        const bool tilted = tri || ncols == 3;
        const double xy = tilted ? v[tilt_at[0]][2] : 0.0;
        const double xz = tilted ? v[tilt_at[1]][2] : 0.0;
        const double yz = tilted ? v[tilt_at[2]][2] : 0.0;
        const double xlo = v[0][0] - std::min({0.0, xy, xz, xy + xz});
        const double xhi = v[0][1] - std::max({0.0, xy, xz, xy + xz});
        const double ylo = v[1][0] - std::min(0.0, yz);
        const double yhi = v[1][1] - std::max(0.0, yz);
        cell.m[0][0] = xhi - xlo;
        cell.m[1][1] = yhi - ylo;
        cell.m[2][2] = v[2][1] - v[2][0];
        cell.m[1][0] = xy;
        cell.m[2][0] = xz;
        cell.m[2][1] = yz;
        origin = Vec3{xlo, ylo, v[2][0]};
      }
      if (!(determinant(cell) != 0.0)) in.fail("expected a box with a non-zero volume");
      have_box = true;
    } else if (io::starts_with(item, "ATOMS")) {
      const long atoms_line = in.line_no();
      if (natoms < 0)
        in.fail(
            fmt::format("expected ITEM: NUMBER OF ATOMS before ITEM: ATOMS in frame {}", index));
      if (!have_box)
        in.fail(fmt::format("expected ITEM: BOX BOUNDS before ITEM: ATOMS in frame {}", index));
      std::vector<std::string> cols;
      io::split(item.substr(5), tok);
      for (auto c : tok) cols.emplace_back(c);
      if (!out) {
        for (long i = 0; i < natoms; ++i) {
          if (!in.next(line))
            in.fail(
                fmt::format("the file ends after {} of the {} atom lines of frame {} (ITEM: "
                            "NUMBER OF ATOMS on line {})",
                            i, natoms, index, natoms_line));
          if (io::starts_with(io::trim(line), "ITEM:"))
            in.fail(
                fmt::format("expected {} atom lines after ITEM: ATOMS on line {}, found an ITEM: "
                            "line after {} (is the number of atoms {} on line {} right?)",
                            natoms, atoms_line, i, natoms, natoms_line));
        }
        return true;
      }
      const int cid = column(cols, "id"), ctype = column(cols, "type"),
                celem = column(cols, "element"), cmass = column(cols, "mass");
      enum { Cart, Scaled } pos_kind = Cart;
      Triple cpos = triple(cols, "xu", "yu", "zu", in);
      bool unwrapped = cpos.found();
      if (!cpos.found()) cpos = triple(cols, "x", "y", "z", in);
      if (!cpos.found()) {
        pos_kind = Scaled;
        cpos = triple(cols, "xsu", "ysu", "zsu", in);
        unwrapped = cpos.found();
        if (!cpos.found()) cpos = triple(cols, "xs", "ys", "zs", in);
      }
      if (!cpos.found())
        in.fail("expected position columns (x y z, xu yu zu, xs ys zs or xsu ysu zsu)");
      const Triple cimg = unwrapped ? Triple() : triple(cols, "ix", "iy", "iz", in);
      const Triple cvel = triple(cols, "vx", "vy", "vz", in);
      const Triple cfrc = triple(cols, "fx", "fy", "fz", in);
      enum { ByTypeName, ByElement, ByMass } how;
      if (!type_names.empty() && ctype >= 0)
        how = ByTypeName;
      else if (celem >= 0)
        how = ByElement;
      else if (cmass >= 0)
        how = ByMass;
      else if (ctype >= 0)
        in.fail(
            "cannot tell the elements: the dump has a type column but no element column; name "
            "the types with --types (e.g. --types O,B,Li)");
      else
        in.fail("expected an element, type or mass column in ITEM: ATOMS");
      for (const auto& name : type_names)
        if (how == ByTypeName && !is_element(name))
          in.fail(fmt::format("expected element names for the types, found '{}'", name));

      Structure& s = *out;
      s = Structure();
      s.cell = cell;
      s.pbc = pbc;
      s.info = std::move(info);
      s.species.resize(natoms);
      s.positions.resize(natoms);
      if (cvel.found()) s.velocities.resize(natoms);
      if (cfrc.found()) s.forces.resize(natoms);
      std::vector<long> ids(cid >= 0 ? natoms : 0), lines(cid >= 0 ? natoms : 0);
      io::SpeciesCache species;
      std::vector<std::pair<double, std::string>> by_mass;
      const bool shift = origin.x != 0.0 || origin.y != 0.0 || origin.z != 0.0;
      for (long i = 0; i < natoms; ++i) {
        if (!in.next(line))
          in.fail(
              fmt::format("the file ends after {} of the {} atom lines of frame {} (ITEM: "
                          "NUMBER OF ATOMS on line {})",
                          i, natoms, index, natoms_line));
        if (io::split(line, tok) != cols.size())
          in.fail(
              fmt::format("expected {} columns as ITEM: ATOMS on line {} says, found {} (is the "
                          "number of atoms {} on line {} right?)",
                          cols.size(), atoms_line, tok.size(), natoms, natoms_line));
        if (cid >= 0) {
          ids[i] = io::parse_long(in, tok[cid], "an atom id");
          lines[i] = in.line_no();
        }
        if (how == ByTypeName) {
          const long t = io::parse_long(in, tok[ctype], "an atom type");
          if (t < 1 || t > static_cast<long>(type_names.size()))
            in.fail(fmt::format(
                "expected an atom type from 1 to {} (the number of type names), found {}",
                type_names.size(), t));
          s.species[i] = type_names[t - 1];
        } else if (how == ByElement) {
          s.species[i] = species.check(in, tok[celem], "an element");
        } else {
          const double m = io::parse_double(in, tok[cmass], "a mass");
          const std::string* found = nullptr;
          for (const auto& p : by_mass)
            if (p.first == m) found = &p.second;
          if (!found) {
            by_mass.emplace_back(m, element_from_mass(m));
            found = &by_mass.back().second;
          }
          if (found->empty())
            in.fail(
                fmt::format("cannot tell the element of mass {}: not exactly one element within "
                            "0.01 amu; name the types with --types",
                            m));
          s.species[i] = *found;
        }
        auto vec3 = [&](const Triple& c, const char* what) {
          return Vec3{io::parse_double(in, tok[c.at[0]], what),
                      io::parse_double(in, tok[c.at[1]], what),
                      io::parse_double(in, tok[c.at[2]], what)};
        };
        Vec3 r = vec3(cpos, "a coordinate");
        if (pos_kind == Scaled)
          r = r * cell;
        else if (shift)
          r -= origin;
        if (cimg.found()) {
          const long ix = io::parse_long(in, tok[cimg.at[0]], "an image flag");
          const long iy = io::parse_long(in, tok[cimg.at[1]], "an image flag");
          const long iz = io::parse_long(in, tok[cimg.at[2]], "an image flag");
          if (ix || iy || iz) r += Vec3{double(ix), double(iy), double(iz)} * cell;
        }
        s.positions[i] = r;
        if (cvel.found()) s.velocities[i] = vec3(cvel, "a velocity");
        if (cfrc.found()) s.forces[i] = vec3(cfrc, "a force");
      }
      if (cid >= 0 && !std::is_sorted(ids.begin(), ids.end())) {
        std::vector<std::size_t> order(natoms);
        std::iota(order.begin(), order.end(), 0);
        std::sort(order.begin(), order.end(),
                  [&](std::size_t a, std::size_t b) { return ids[a] < ids[b]; });
        auto permute = [&](auto& v) {
          if (v.empty()) return;
          auto copy = v;
          for (std::size_t k = 0; k < order.size(); ++k) v[k] = copy[order[k]];
        };
        permute(s.species);
        permute(s.positions);
        permute(s.velocities);
        permute(s.forces);
        permute(ids);
        permute(lines);
      }
      for (std::size_t k = 1; k < ids.size(); ++k)
        if (ids[k] == ids[k - 1])
          in.fail_at(
              std::max(lines[k], lines[k - 1]),
              fmt::format("expected unique atom ids, found id {} on lines {} and {}", ids[k],
                          std::min(lines[k], lines[k - 1]), std::max(lines[k], lines[k - 1])));
      return true;
    } else {
      in.fail(fmt::format("expected ITEM: TIMESTEP, NUMBER OF ATOMS, BOX BOUNDS or ATOMS, found {}",
                          io::quoted(t)));
    }
    if (!in.next_nonblank(line, false))
      in.fail(fmt::format("the file ends in frame {} before its ITEM: ATOMS", index));
  }
}

std::vector<LineReader::Mark> index_frames(LineReader& in) {
  std::vector<LineReader::Mark> marks;
  for (;;) {
    const auto m = in.mark();
    if (!read_frame(in, static_cast<long>(marks.size()), {}, nullptr)) break;
    marks.push_back(m);
  }
  if (marks.empty())
    in.fail_at(0, "expected a LAMMPS dump frame (ITEM: TIMESTEP ...), found an empty file");
  return marks;
}

}  // namespace

Structure read_lammps_dump(const std::string& path, long frame,
                           const std::vector<std::string>& type_names) {
  LineReader in(path);
  const auto marks = index_frames(in);
  const std::size_t k = io::resolve_frame(path, frame, marks.size());
  in.reset(marks[k]);
  Structure s;
  read_frame(in, static_cast<long>(k), type_names, &s);
  return s;
}

std::vector<Structure> read_lammps_dump_frames(const std::string& path,
                                               const std::vector<std::string>& type_names) {
  LineReader in(path);
  std::vector<Structure> frames;
  for (;;) {
    Structure s;
    if (!read_frame(in, static_cast<long>(frames.size()), type_names, &s)) break;
    frames.push_back(std::move(s));
  }
  if (frames.empty())
    in.fail_at(0, "expected a LAMMPS dump frame (ITEM: TIMESTEP ...), found an empty file");
  return frames;
}

struct LammpsDumpWriter::Impl {
  io::TextWriter w;
  std::vector<std::string> types;
  bool fixed_types;
  long frames = 0;
  Impl(const std::string& path, bool append, std::vector<std::string> names)
      : w(path, append), types(std::move(names)), fixed_types(!types.empty()) {}
};

LammpsDumpWriter::LammpsDumpWriter(const std::string& path, bool append,
                                   std::vector<std::string> type_names)
    : impl_(std::make_unique<Impl>(path, append, std::move(type_names))) {}
LammpsDumpWriter::~LammpsDumpWriter() = default;

void LammpsDumpWriter::write(const Structure& s) {
  long ts = impl_->frames;
  const auto it = s.info.find("timestep");
  long v;
  if (it != s.info.end() && io::to_long(io::trim(it->second), v)) ts = v;
  write(s, ts);
}

void LammpsDumpWriter::write(const Structure& s, long timestep) {
  Impl& im = *impl_;
  const std::string& path = im.w.path();
  const std::size_t n = s.size();
  if (s.species.size() != n)
    throw InputError(path, 0,
                     fmt::format("cannot write: {} positions but {} species", n, s.species.size()));
  if (determinant(s.cell) == 0.0)
    throw InputError(path, 0,
                     "cannot write a LAMMPS dump for a structure without a cell (zero or "
                     "singular cell)");
  const bool vel = !s.velocities.empty(), frc = !s.forces.empty();
  if ((vel && s.velocities.size() != n) || (frc && s.forces.size() != n))
    throw InputError(path, 0, "cannot write: velocities or forces do not match the atom count");

  std::vector<int> type(n);
  {
    std::string last;
    int last_t = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (i == 0 || s.species[i] != last) {
        auto f = std::find(im.types.begin(), im.types.end(), s.species[i]);
        if (f == im.types.end()) {
          if (im.fixed_types)
            throw InputError(path, 0,
                             fmt::format("atom {} is {}, which is not among the type names", i + 1,
                                         s.species[i]));
          im.types.push_back(s.species[i]);
          f = im.types.end() - 1;
        }
        last = s.species[i];
        last_t = static_cast<int>(f - im.types.begin()) + 1;
      }
      type[i] = last_t;
    }
  }

  const LammpsCell lc = lammps_cell(s.cell);
  const auto& L = lc.cell.m;
  const double xy = L[1][0], xz = L[2][0], yz = L[2][1];
  auto out = std::back_inserter(im.w.buf());
  fmt::format_to(out, "ITEM: TIMESTEP\n{}\nITEM: NUMBER OF ATOMS\n{}\n", timestep, n);
  const char* pb[3];
  for (int k = 0; k < 3; ++k) pb[k] = s.pbc[k] ? "pp" : "ff";
  if (xy != 0.0 || xz != 0.0 || yz != 0.0) {
    fmt::format_to(out, "ITEM: BOX BOUNDS xy xz yz {} {} {}\n", pb[0], pb[1], pb[2]);
    fmt::format_to(out, "{} {} {}\n", std::min({0.0, xy, xz, xy + xz}),
                   L[0][0] + std::max({0.0, xy, xz, xy + xz}), xy);
    fmt::format_to(out, "{} {} {}\n", std::min(0.0, yz), L[1][1] + std::max(0.0, yz), xz);
    fmt::format_to(out, "0 {} {}\n", L[2][2], yz);
  } else {
    fmt::format_to(out, "ITEM: BOX BOUNDS {} {} {}\n0 {}\n0 {}\n0 {}\n", pb[0], pb[1], pb[2],
                   L[0][0], L[1][1], L[2][2]);
  }
  fmt::format_to(out, "ITEM: ATOMS id type element x y z{}{}\n", vel ? " vx vy vz" : "",
                 frc ? " fx fy fz" : "");
  for (std::size_t i = 0; i < n; ++i) {
    const Vec3 r = lc.rotated ? s.positions[i] * lc.rotation : s.positions[i];
    fmt::format_to(out, "{} {} {} {} {} {}", i + 1, type[i], s.species[i], r.x, r.y, r.z);
    if (vel) {
      const Vec3 v = lc.rotated ? s.velocities[i] * lc.rotation : s.velocities[i];
      fmt::format_to(out, " {} {} {}", v.x, v.y, v.z);
    }
    if (frc) {
      const Vec3 f = lc.rotated ? s.forces[i] * lc.rotation : s.forces[i];
      fmt::format_to(out, " {} {} {}", f.x, f.y, f.z);
    }
    im.w.buf().push_back('\n');
    im.w.maybe_flush();
  }
  ++im.frames;
}

void LammpsDumpWriter::flush() { impl_->w.flush(); }
void LammpsDumpWriter::close() { impl_->w.close(); }

void write_lammps_dump(const std::string& path, const Structure& s,
                       const std::vector<std::string>& type_names) {
  LammpsDumpWriter w(path, false, type_names);
  w.write(s);
  w.close();
}

void append_lammps_dump(const std::string& path, const Structure& s,
                        const std::vector<std::string>& type_names) {
  LammpsDumpWriter w(path, true, type_names);
  w.write(s);
  w.close();
}

}  // namespace vitra
