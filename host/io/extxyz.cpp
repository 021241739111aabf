#include "host/io/extxyz.hpp"

#include <cmath>
#include <iterator>
#include <utility>

#include "host/elements.hpp"
#include "host/error.hpp"
#include "host/io/text.hpp"

namespace vitra {

using io::LineReader;

double ase_velocity_unit_in_angstrom_per_ps() {
  // ase.units with its default CODATA 2014: _e = 1.6021766208e-19 C,
  // _amu = 1.66053904e-27 kg. ASE time unit = 1e-10 m * sqrt(amu / e) s;
  // 1 ps / (ASE time unit) = 1e-12 / (1e-10 sqrt(amu/e)) = 0.01 sqrt(e/amu).
  static const double k = 0.01 * std::sqrt(1.6021766208e-19 / 1.66053904e-27);
  return k;
}

namespace {

struct KeyValue {
  std::string key, value;
  bool has_value = false;
};

// The comment line split into key=value pairs the way ase.io.extxyz's
// key_val_str_to_dict does: "", '', {} and [] delimit values, a backslash
// escapes the next character, blanks separate pairs, blanks around '=' are
// allowed, a key without '=' has no value.
std::vector<KeyValue> split_key_values(std::string_view s) {
  std::vector<std::vector<std::string>> pairs(1, std::vector<std::string>(1));
  bool started = false;  // the current part has content (or an opened quote)
  char closing = 0;
  bool escaped = false;
  auto empty_pair = [&]() { return pairs.back().size() == 1 && !started; };
  for (char c : io::trim(s)) {
    if (escaped) {
      pairs.back().back() += c;
      started = true;
      escaped = false;
    } else if (c == '\\') {
      escaped = true;
    } else if (closing) {
      if (c == closing)
        closing = 0;
      else
        pairs.back().back() += c;
    } else if (c == '"' || c == '\'' || c == '{' || c == '[') {
      closing = c == '{' ? '}' : (c == '[' ? ']' : c);
      started = true;
    } else if (c == ' ' || c == '\t') {
      if (!started) continue;  // leading blanks, or blanks after '='
      pairs.emplace_back(1);
      started = false;
    } else if (c == '=') {
      if (empty_pair() && pairs.size() > 1) pairs.pop_back();  // "key =value"
      pairs.back().emplace_back();
      started = false;
    } else {
      pairs.back().back() += c;
      started = true;
    }
  }
  std::vector<KeyValue> out;
  for (auto& p : pairs) {
    if (p.size() == 1 && p[0].empty()) continue;
    KeyValue kv;
    kv.key = std::move(p[0]);
    kv.has_value = p.size() > 1;
    for (std::size_t k = 1; k < p.size(); ++k) {
      if (k > 1) kv.value += '=';
      kv.value += p[k];
    }
    out.push_back(std::move(kv));
  }
  return out;
}

// Tokens of a value separated by blanks or commas (as ASE splits them).
std::vector<std::string_view> value_tokens(std::string_view v) {
  std::vector<std::string_view> t;
  std::size_t i = 0;
  while (i < v.size()) {
    while (i < v.size() && (v[i] == ' ' || v[i] == '\t' || v[i] == ',')) ++i;
    const std::size_t b = i;
    while (i < v.size() && v[i] != ' ' && v[i] != '\t' && v[i] != ',') ++i;
    if (i > b) t.push_back(v.substr(b, i - b));
  }
  return t;
}

bool parse_bool(std::string_view t, bool& b) {
  if (t == "T" || t == "True" || t == "true" || t == "TRUE") return b = true, true;
  if (t == "F" || t == "False" || t == "false" || t == "FALSE") return b = false, true;
  return false;
}

struct Column {
  std::string name;
  char type;
  int count;
  int first;  // index of its first token on an atom line
};

// Where the quantities vitra keeps sit on an atom line.
struct Layout {
  int ncols = 0;
  int species = -1, z = -1, pos = -1, vel = -1, momenta = -1, masses = -1, forces = -1;
};

Layout parse_properties(const LineReader& in, const std::string& text) {
  std::vector<std::string> f;
  std::size_t b = 0;
  for (;;) {
    const std::size_t c = text.find(':', b);
    f.push_back(text.substr(b, c == std::string::npos ? std::string::npos : c - b));
    if (c == std::string::npos) break;
    b = c + 1;
  }
  if (f.size() % 3 != 0)
    in.fail(
        fmt::format("expected Properties as name:type:count triples, found {}", io::quoted(text)));
  Layout L;
  for (std::size_t k = 0; k < f.size(); k += 3) {
    Column col{f[k], 0, 0, L.ncols};
    long n = 0;
    if (f[k + 1].size() != 1 ||
        std::string_view("SRIL").find(f[k + 1][0]) == std::string_view::npos)
      in.fail(fmt::format("expected the type of property '{}' to be S, R, I or L, found {}",
                          col.name, io::quoted(f[k + 1])));
    if (!io::to_long(f[k + 2], n) || n < 1 || n > 1000)
      in.fail(
          fmt::format("expected the column count of property '{}' (a positive integer), found {}",
                      col.name, io::quoted(f[k + 2])));
    col.type = f[k + 1][0];
    col.count = static_cast<int>(n);
    L.ncols += col.count;
    auto want = [&](char type, int count) {
      if (col.type != type || col.count != count)
        in.fail(fmt::format("expected property {}:{}:{}, found {}:{}:{}", col.name, type, count,
                            col.name, col.type, col.count));
      return col.first;
    };
    const std::string& name = col.name;
    if (name == "species")
      L.species = want('S', 1);
    else if (name == "Z")
      L.z = want('I', 1);
    else if (name == "pos" || name == "positions")
      L.pos = want('R', 3);
    else if (name == "vel" || name == "velo" || name == "velocities")
      L.vel = want('R', 3);
    else if (name == "momenta")
      L.momenta = want('R', 3);
    else if (name == "masses")
      L.masses = want('R', 1);
    else if (name == "forces" || name == "force")
      L.forces = want('R', 3);
  }
  if (L.species < 0 && L.z < 0)
    in.fail(fmt::format("expected a species:S:1 or Z:I:1 property, found Properties={}", text));
  if (L.pos < 0) in.fail(fmt::format("expected a pos:R:3 property, found Properties={}", text));
  return L;
}

// Reads the frame whose atom-count line is the next line of `in`.
Structure parse_frame(LineReader& in, long frame_index) {
  std::string_view line;
  in.next(line);
  const long count_line = in.line_no();
  std::vector<std::string_view> tok;
  long n = -1;
  if (io::split(line, tok) < 1 || !io::to_long(tok[0], n) || n < 0)
    in.fail(fmt::format("expected the number of atoms of frame {}, found {}", frame_index,
                        io::quoted(io::trim(line))));
  if (!in.next(line))
    in.fail(fmt::format("the file ends before the comment line of frame {}", frame_index));

  Structure s;
  s.pbc = {false, false, false};
  bool have_lattice = false, have_pbc = false;
  std::string properties = "species:S:1:pos:R:3";
  for (auto& kv : split_key_values(line)) {
    if (kv.key == "Lattice") {
      const auto t = value_tokens(kv.value);
      if (t.size() != 9)
        in.fail(fmt::format("expected Lattice to hold 9 numbers (a, b, c), found {}",
                            io::quoted(kv.value)));
      for (int k = 0; k < 9; ++k)
        s.cell.m[k / 3][k % 3] = io::parse_double(in, t[k], "a Lattice component");
      have_lattice = true;
    } else if (kv.key == "Properties") {
      properties = kv.value;
    } else if (kv.key == "pbc") {
      const auto t = value_tokens(kv.has_value ? kv.value : "T");
      bool b[3];
      bool ok = t.size() == 1 || t.size() == 3;
      for (std::size_t k = 0; ok && k < t.size(); ++k) ok = parse_bool(t[k], b[k]);
      if (!ok)
        in.fail(fmt::format("expected pbc as \"T T T\" (T or F), found {}", io::quoted(kv.value)));
      for (int k = 0; k < 3; ++k) s.pbc[k] = t.size() == 1 ? b[0] : b[k];
      have_pbc = true;
    } else {
      s.info[kv.key] = kv.has_value ? kv.value : "T";
    }
  }
  if (have_lattice && !have_pbc) s.pbc = {true, true, true};
  const Layout L = parse_properties(in, properties);

  s.species.resize(n);
  s.positions.resize(n);
  const bool vel = L.vel >= 0 || L.momenta >= 0;
  if (vel) s.velocities.resize(n);
  if (L.forces >= 0) s.forces.resize(n);
  io::SpeciesCache species;
  std::vector<std::pair<std::string, double>> mass_of;  // small cache for momenta
  const double vunit = ase_velocity_unit_in_angstrom_per_ps();
  auto vec3 = [&](int first, const char* what) {
    return Vec3{io::parse_double(in, tok[first], what), io::parse_double(in, tok[first + 1], what),
                io::parse_double(in, tok[first + 2], what)};
  };
  for (long i = 0; i < n; ++i) {
    if (!in.next(line))
      in.fail(
          fmt::format("the file ends after {} of the {} atom lines of frame {} (count on line {})",
                      i, n, frame_index, count_line));
    if (io::split(line, tok) != static_cast<std::size_t>(L.ncols))
      in.fail(
          fmt::format("expected {} columns (Properties={}) on the line of atom {} of frame {}, "
                      "found {} (is the atom count {} on line {} right?)",
                      L.ncols, properties, i + 1, frame_index, tok.size(), n, count_line));
    if (L.species >= 0) {
      s.species[i] = species.check(in, tok[L.species], "a species");
    } else {
      const long z = io::parse_long(in, tok[L.z], "an atomic number Z");
      try {
        s.species[i] = element(static_cast<int>(z)).symbol;
      } catch (const InputError&) {
        in.fail(fmt::format("expected an atomic number Z of a known element, found {}", z));
      }
    }
    s.positions[i] = vec3(L.pos, "a position");
    if (L.vel >= 0) {
      s.velocities[i] = vec3(L.vel, "a velocity");
    } else if (L.momenta >= 0) {
      double m;
      if (L.masses >= 0) {
        m = io::parse_double(in, tok[L.masses], "a mass");
      } else {
        m = 0;
        for (auto& p : mass_of)
          if (p.first == s.species[i]) m = p.second;
        if (m == 0) {
          m = element(s.species[i]).mass;
          mass_of.emplace_back(s.species[i], m);
        }
      }
      if (!(m > 0)) in.fail(fmt::format("expected a positive mass, found {}", m));
      s.velocities[i] = (vunit / m) * vec3(L.momenta, "a momentum");
    }
    if (L.forces >= 0) s.forces[i] = vec3(L.forces, "a force");
  }
  return s;
}

// Line marks of the frames' atom-count lines. Stops at the end of the file
// (trailing blank lines allowed); a frame cut short is an InputError.
std::vector<LineReader::Mark> index_frames(LineReader& in) {
  std::vector<LineReader::Mark> marks;
  std::string_view line;
  std::vector<std::string_view> tok;
  for (;;) {
    const LineReader::Mark m = in.mark();
    if (!in.next(line)) break;
    if (io::trim(line).empty()) {
      // Only blank lines may follow the last frame.
      std::string_view rest;
      if (!in.next_nonblank(rest, false)) break;
      in.fail(fmt::format("expected the atom count of frame {}, found {}", marks.size(),
                          io::quoted(io::trim(rest))));
    }
    long n = -1;
    if (io::split(line, tok) < 1 || !io::to_long(tok[0], n) || n < 0)
      in.fail(fmt::format("expected the number of atoms of frame {}, found {}{}", marks.size(),
                          io::quoted(io::trim(line)),
                          marks.empty() ? "" : " (is the atom count of the frame before right?)"));
    const long count_line = in.line_no();
    for (long k = 0; k < n + 1; ++k)
      if (!in.next(line))
        in.fail(fmt::format(
            "the file ends after {} of the {} atom lines of frame {} (count on line {})",
            k == 0 ? 0 : k - 1, n, marks.size(), count_line));
    marks.push_back(m);
  }
  if (marks.empty()) in.fail_at(0, "expected an extended XYZ frame, found an empty file");
  return marks;
}

void write_quoted_value(fmt::memory_buffer& b, const std::string& v) {
  bool quote = v.empty();
  for (char c : v)
    if (c == ' ' || c == '\t' || c == '"' || c == '\'' || c == '{' || c == '}' || c == '[' ||
        c == ']' || c == '=' || c == '\\')
      quote = true;
  if (!quote) {
    fmt::format_to(std::back_inserter(b), "{}", v);
    return;
  }
  b.push_back('"');
  for (char c : v) {
    if (c == '"' || c == '\\') b.push_back('\\');
    b.push_back(c);
  }
  b.push_back('"');
}

void format_frame(io::TextWriter& w, const Structure& s) {
  fmt::memory_buffer& b = w.buf();
  const std::size_t n = s.size();
  if (s.species.size() != n)
    throw InputError(
        fmt::format("cannot write extended XYZ: {} positions but {} species", n, s.species.size()));
  const bool vel = !s.velocities.empty(), frc = !s.forces.empty();
  if ((vel && s.velocities.size() != n) || (frc && s.forces.size() != n))
    throw InputError("cannot write extended XYZ: velocities or forces do not match the atom count");
  auto out = std::back_inserter(b);
  fmt::format_to(out, "{}\n", n);
  bool zero_cell = true;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) zero_cell = zero_cell && s.cell.m[i][j] == 0.0;
  if (!zero_cell) {
    const auto& h = s.cell.m;
    fmt::format_to(out, "Lattice=\"{} {} {} {} {} {} {} {} {}\" ", h[0][0], h[0][1], h[0][2],
                   h[1][0], h[1][1], h[1][2], h[2][0], h[2][1], h[2][2]);
  }
  fmt::format_to(out, "Properties=species:S:1:pos:R:3{}{}", vel ? ":vel:R:3" : "",
                 frc ? ":forces:R:3" : "");
  for (const auto& [key, value] : s.info) {
    if (key == "Lattice" || key == "Properties" || key == "pbc" || key.empty()) continue;
    b.push_back(' ');
    write_quoted_value(b, key);
    b.push_back('=');
    write_quoted_value(b, value);
  }
  fmt::format_to(out, " pbc=\"{} {} {}\"\n", s.pbc[0] ? 'T' : 'F', s.pbc[1] ? 'T' : 'F',
                 s.pbc[2] ? 'T' : 'F');
  for (std::size_t i = 0; i < n; ++i) {
    const Vec3& r = s.positions[i];
    fmt::format_to(out, "{:<2} {} {} {}", s.species[i], r.x, r.y, r.z);
    if (vel)
      fmt::format_to(out, " {} {} {}", s.velocities[i].x, s.velocities[i].y, s.velocities[i].z);
    if (frc) fmt::format_to(out, " {} {} {}", s.forces[i].x, s.forces[i].y, s.forces[i].z);
    b.push_back('\n');
    w.maybe_flush();
  }
}

}  // namespace

Structure read_extxyz(const std::string& path, long frame) {
  LineReader in(path);
  const auto marks = index_frames(in);
  const std::size_t k = io::resolve_frame(path, frame, marks.size());
  in.reset(marks[k]);
  return parse_frame(in, static_cast<long>(k));
}

std::vector<Structure> read_extxyz_frames(const std::string& path) {
  LineReader in(path);
  const auto marks = index_frames(in);
  std::vector<Structure> frames;
  frames.reserve(marks.size());
  for (std::size_t k = 0; k < marks.size(); ++k) {
    in.reset(marks[k]);
    frames.push_back(parse_frame(in, static_cast<long>(k)));
  }
  return frames;
}

struct ExtxyzWriter::Impl {
  io::TextWriter w;
  Impl(const std::string& path, bool append) : w(path, append) {}
};

ExtxyzWriter::ExtxyzWriter(const std::string& path, bool append)
    : impl_(std::make_unique<Impl>(path, append)) {}
ExtxyzWriter::~ExtxyzWriter() = default;

void ExtxyzWriter::write(const Structure& s) { format_frame(impl_->w, s); }
void ExtxyzWriter::flush() { impl_->w.flush(); }
void ExtxyzWriter::close() { impl_->w.close(); }

void write_extxyz(const std::string& path, const Structure& s) {
  ExtxyzWriter w(path, false);
  w.write(s);
  w.close();
}

void append_extxyz(const std::string& path, const Structure& s) {
  ExtxyzWriter w(path, true);
  w.write(s);
  w.close();
}

}  // namespace vitra
