#include "host/workflow/checkpoint.hpp"

#include <fmt/format.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "host/error.hpp"

namespace vitra::workflow {

namespace {

constexpr char kMagic[8] = {'V', 'I', 'T', 'R', 'A', 'C', 'P', '\0'};

// The raw arrays are the host's bytes; vitra only runs on little-endian hosts
// (x86-64, aarch64), which this checks once.
bool host_is_little_endian() {
  const std::uint32_t one = 1;
  unsigned char b;
  std::memcpy(&b, &one, 1);
  return b == 1;
}

std::vector<double> mat_values(const Mat3& m) {
  std::vector<double> v(9);
  for (int a = 0; a < 3; ++a)
    for (int b = 0; b < 3; ++b) v[3 * a + b] = m.m[a][b];
  return v;
}

Mat3 values_mat(const std::vector<double>& v) {
  Mat3 m;
  for (int a = 0; a < 3; ++a)
    for (int b = 0; b < 3; ++b) m.m[a][b] = v[3 * a + b];
  return m;
}

struct ArrayOut {
  std::string name;
  const char* type;
  const void* data;
  std::size_t count;
  std::size_t element_size;
};

}  // namespace

void capture_system(const System& s, Checkpoint& c) {
  c.cell = s.box.h;
  c.cell_inverse = s.box.hinv;
  c.type_map = s.type_map;
  c.types = s.types.to_host();
  c.positions = s.positions.to_host();
  c.velocities = s.velocities.to_host();
  c.images = s.images.to_host();
}

System restore_system(const Checkpoint& c) {
  const std::size_t n = c.atoms();
  System s(Box(c.cell), c.type_map, c.types, std::vector<Vec3>(n));
  s.box.h = c.cell;
  s.box.hinv = c.cell_inverse;  // as saved, not recomputed: bit-for-bit
  s.positions.copy_from_host(c.positions);
  s.velocities.copy_from_host(c.velocities);
  s.images.copy_from_host(c.images);
  return s;
}

void write_checkpoint(const std::string& path, const Checkpoint& c) {
  if (!host_is_little_endian())
    throw std::runtime_error("checkpoints are written on little-endian hosts only");
  const std::size_t n = c.atoms();
  if (c.positions.size() != 3 * n || c.velocities.size() != 3 * n || c.images.size() != 3 * n)
    throw std::logic_error("write_checkpoint: array sizes do not match the atom count");
  const std::vector<double> cell = mat_values(c.cell);
  const std::vector<double> cell_inv = mat_values(c.cell_inverse);
  const std::vector<double> cell0 = mat_values(c.deform_cell0);
  const std::vector<ArrayOut> arrays = {
      {"cell", "f64", cell.data(), 9, 8},
      {"cell_inverse", "f64", cell_inv.data(), 9, 8},
      {"type_masses", "f64", c.type_map.masses.data(), c.type_map.masses.size(), 8},
      {"types", "i32", c.types.data(), n, 4},
      {"positions", "f64", c.positions.data(), 3 * n, 8},
      {"velocities", "f64", c.velocities.data(), 3 * n, 8},
      {"images", "i32", c.images.data(), 3 * n, 4},
      {"integrator_state", "f64", c.integrator_state.data(), c.integrator_state.size(), 8},
      {"deform_cell0", "f64", cell0.data(), 9, 8},
  };
  nlohmann::json h;
  h["format_version"] = kCheckpointVersion;
  h["stage_index"] = c.stage_index;
  h["stage_name"] = c.stage_name;
  h["step_in_stage"] = c.step_in_stage;
  h["stage_complete"] = c.stage_complete;
  h["global_step"] = c.global_step;
  h["atoms"] = n;
  h["type_names"] = c.type_map.names;
  h["integrator"] = c.integrator;
  h["thermo_rows"] = c.thermo_rows;
  h["dump_bytes"] = c.dump_bytes;
  h["initial_volume"] = c.initial_volume;
  nlohmann::json list = nlohmann::json::array();
  for (const ArrayOut& a : arrays) list.push_back({{"name", a.name}, {"type", a.type}, {"count", a.count}});
  h["arrays"] = list;
  const std::string header = h.dump();

  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw InputError(tmp, 0, "cannot open the checkpoint for writing");
    const std::uint32_t version = kCheckpointVersion;
    const std::uint64_t hlen = header.size();
    out.write(kMagic, sizeof kMagic);
    out.write(reinterpret_cast<const char*>(&version), sizeof version);
    out.write(reinterpret_cast<const char*>(&hlen), sizeof hlen);
    out.write(header.data(), static_cast<std::streamsize>(header.size()));
    for (const ArrayOut& a : arrays)
      out.write(static_cast<const char*>(a.data), static_cast<std::streamsize>(a.count * a.element_size));
    out.flush();
    if (!out) throw InputError(tmp, 0, "writing the checkpoint failed (disk full?)");
  }
  std::filesystem::rename(tmp, path);
}

Checkpoint read_checkpoint(const std::string& path) {
  auto fail = [&](const std::string& what) { return InputError(path, 0, "not a valid vitra checkpoint: " + what); };
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, 0, "cannot open the checkpoint");
  in.seekg(0, std::ios::end);
  const std::uint64_t file_size = static_cast<std::uint64_t>(in.tellg());
  in.seekg(0);

  char magic[8] = {};
  std::uint32_t version = 0;
  std::uint64_t hlen = 0;
  if (file_size < 20) throw fail(fmt::format("the file has {} bytes, shorter than the 20-byte preamble", file_size));
  in.read(magic, 8);
  if (std::memcmp(magic, kMagic, 8) != 0) throw fail("wrong magic (expected \"VITRACP\")");
  in.read(reinterpret_cast<char*>(&version), 4);
  if (version != kCheckpointVersion)
    throw fail(fmt::format("format version {}, this vitra reads version {}", version, kCheckpointVersion));
  in.read(reinterpret_cast<char*>(&hlen), 8);
  if (hlen > file_size - 20) throw fail("truncated (the header runs past the end of the file)");
  std::string header(hlen, '\0');
  in.read(header.data(), static_cast<std::streamsize>(hlen));

  Checkpoint c;
  std::vector<double> cell, cell_inv, cell0;
  try {
    const nlohmann::json h = nlohmann::json::parse(header);
    c.stage_index = h.at("stage_index").get<int>();
    c.stage_name = h.at("stage_name").get<std::string>();
    c.step_in_stage = h.at("step_in_stage").get<long long>();
    c.stage_complete = h.at("stage_complete").get<bool>();
    c.global_step = h.at("global_step").get<long long>();
    c.type_map.names = h.at("type_names").get<std::vector<std::string>>();
    c.integrator = h.at("integrator").get<std::string>();
    c.thermo_rows = h.at("thermo_rows").get<std::size_t>();
    c.dump_bytes = h.at("dump_bytes").get<std::map<std::string, std::uint64_t>>();
    c.initial_volume = h.at("initial_volume").get<double>();
    const std::size_t n = h.at("atoms").get<std::size_t>();
    const std::size_t ntypes = c.type_map.names.size();
    // Expected sizes of the fixed arrays (0 = any: the integrator state).
    const std::map<std::string, std::size_t> expected = {
        {"cell", 9},           {"cell_inverse", 9},   {"type_masses", ntypes}, {"types", n},
        {"positions", 3 * n},  {"velocities", 3 * n}, {"images", 3 * n},       {"deform_cell0", 9}};
    std::uint64_t total = 20 + hlen;
    std::map<std::string, bool> seen;
    for (const auto& a : h.at("arrays")) {
      const std::string name = a.at("name").get<std::string>();
      const std::string type = a.at("type").get<std::string>();
      const std::uint64_t count = a.at("count").get<std::uint64_t>();
      const std::size_t es = type == "f64" ? 8 : type == "i32" ? 4 : 0;
      if (es == 0) throw fail(fmt::format("array {} has unknown type \"{}\"", name, type));
      const auto e = expected.find(name);
      if (e != expected.end() && e->second != count)
        throw fail(fmt::format("array {} has {} values, expected {}", name, count, e->second));
      if (e == expected.end() && name != "integrator_state") throw fail("unknown array " + name);
      if (count > (file_size - total) / es)
        throw fail(fmt::format("truncated: array {} needs {} bytes, {} are left", name, count * es,
                               file_size - total));
      total += count * es;
      auto read_into = [&](auto& v) {
        v.resize(count);
        in.read(reinterpret_cast<char*>(v.data()), static_cast<std::streamsize>(count * es));
      };
      if (name == "cell") read_into(cell);
      else if (name == "cell_inverse") read_into(cell_inv);
      else if (name == "type_masses") read_into(c.type_map.masses);
      else if (name == "types") read_into(c.types);
      else if (name == "positions") read_into(c.positions);
      else if (name == "velocities") read_into(c.velocities);
      else if (name == "images") read_into(c.images);
      else if (name == "integrator_state") read_into(c.integrator_state);
      else if (name == "deform_cell0") read_into(cell0);
      seen[name] = true;
    }
    for (const auto& [name, count] : expected)
      if (!seen.count(name)) throw fail("array " + name + " is missing");
    if (total != file_size)
      throw fail(fmt::format("{} bytes after the last array (expected the file to end there)", file_size - total));
    if (!in) throw fail("read error");
  } catch (const nlohmann::json::exception& e) {
    throw fail(std::string("bad header: ") + e.what());
  }
  c.cell = values_mat(cell);
  c.cell_inverse = values_mat(cell_inv);
  c.deform_cell0 = values_mat(cell0);
  return c;
}

}  // namespace vitra::workflow
