// `vitra neighbor-stat`: neighbor counts within rcut per centre type and
// neighbor type, as DeePMD-kit's `dp neighbor-stat`, to choose a model's sel.
#include <algorithm>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "host/cli/commands.hpp"
#include "host/error.hpp"
#include "host/io/structure_io.hpp"
#include "host/structure.hpp"
#include "kernels/neighbor/neighbor_list.hpp"

namespace vitra::cli {

namespace {

constexpr double kSelFactor = 1.1;

struct NeighborStatOptions {
  std::vector<std::string> files;
  double rcut = 6.0;
  std::vector<int> sel;
  std::vector<std::string> type_map;
  std::string format = "text";
  bool all_frames = false;
};

struct PairStat {
  long long centres = 0;  // atoms of the centre type seen
  long long sum = 0;
  int min = std::numeric_limits<int>::max();
  int max = 0;
  double min_distance = std::numeric_limits<double>::infinity();
};

struct Totals {
  std::vector<std::string> types;
  long long frames = 0, atoms = 0;
  std::vector<PairStat> pairs;     // [centre * ntypes + neighbor]
  std::vector<int> max_per_type;   // over all centres
  int max_total = 0;
  double min_distance = std::numeric_limits<double>::infinity();
};

void accumulate(const Structure& st, const std::string& file, const NeighborStatOptions& o, Totals& tot) {
  if (!(st.pbc[0] && st.pbc[1] && st.pbc[2]))
    throw InputError(file, 0, "neighbor-stat needs a cell periodic in all three directions (pbc=\"T T T\")");
  const System sys = to_system(st, tot.types);
  const int nt = static_cast<int>(tot.types.size());
  NeighborParams p;
  p.rcut = o.rcut;
  p.skin = 0.0;
  p.sel.assign(nt, 1);  // slot 0 of each type: the nearest neighbor of that type
  p.truncate_sel = true;
  NeighborList nl(p);
  nl.build(sys);
  const std::vector<int> counts = nl.host_type_counts(sys);
  nl.build_sel(sys);
  const std::vector<int> nearest = nl.host_sel_index();
  const std::vector<double> rij = nl.host_sel_rij();
  const std::vector<int> types = sys.host_types();
  for (std::size_t i = 0; i < sys.size(); ++i) {
    const int a = types[i];
    int total = 0;
    for (int b = 0; b < nt; ++b) {
      const int c = counts[i * nt + b];
      PairStat& ps = tot.pairs[a * nt + b];
      ++ps.centres;
      ps.sum += c;
      ps.min = std::min(ps.min, c);
      ps.max = std::max(ps.max, c);
      tot.max_per_type[b] = std::max(tot.max_per_type[b], c);
      total += c;
      const std::size_t slot = i * nt + b;
      if (nearest[slot] >= 0) {
        const double r = std::sqrt(rij[3 * slot] * rij[3 * slot] + rij[3 * slot + 1] * rij[3 * slot + 1] +
                                   rij[3 * slot + 2] * rij[3 * slot + 2]);
        ps.min_distance = std::min(ps.min_distance, r);
        tot.min_distance = std::min(tot.min_distance, r);
      }
    }
    tot.max_total = std::max(tot.max_total, total);
  }
  ++tot.frames;
  tot.atoms += static_cast<long long>(sys.size());
}

std::vector<int> suggested_sel(const Totals& t) {
  std::vector<int> s;
  for (int m : t.max_per_type) s.push_back(static_cast<int>(std::ceil(m * kSelFactor - 1e-9)));
  return s;
}

std::string join_ints(const std::vector<int>& v) {
  std::string out;
  for (std::size_t k = 0; k < v.size(); ++k) out += (k ? "," : "") + std::to_string(v[k]);
  return out;
}

void run(const NeighborStatOptions& o) {
  if (!(o.rcut > 0.0)) throw InputError("--rcut must be positive, got " + std::to_string(o.rcut));
  // Read everything first: the type order must be fixed before the first System.
  std::vector<std::pair<std::string, std::vector<Structure>>> inputs;
  for (const std::string& f : o.files) {
    if (o.all_frames) {
      inputs.push_back({f, read_frames(f)});
    } else {
      inputs.push_back({f, {read_structure(f)}});
    }
  }
  Totals tot;
  tot.types = o.type_map;
  if (tot.types.empty())
    for (const auto& in : inputs)
      for (const Structure& st : in.second)
        for (const std::string& e : species_in_order(st))
          if (std::find(tot.types.begin(), tot.types.end(), e) == tot.types.end()) tot.types.push_back(e);
  const int nt = static_cast<int>(tot.types.size());
  if (nt == 0) throw InputError("neighbor-stat: the structure holds no atoms");
  if (nt > NeighborList::kMaxTypes)
    throw InputError("neighbor-stat: " + std::to_string(nt) + " atom types, at most " +
                     std::to_string(NeighborList::kMaxTypes) + " are supported");
  if (!o.sel.empty() && static_cast<int>(o.sel.size()) != nt)
    throw InputError("--sel has " + std::to_string(o.sel.size()) + " entries, expected one per type (" +
                     std::to_string(nt) + ")");
  tot.pairs.assign(nt * nt, PairStat{});
  tot.max_per_type.assign(nt, 0);
  for (const auto& in : inputs)
    for (const Structure& st : in.second) accumulate(st, in.first, o, tot);

  const std::vector<int> suggest = suggested_sel(tot);
  std::vector<int> overflowing;
  for (int b = 0; b < nt && !o.sel.empty(); ++b)
    if (tot.max_per_type[b] > o.sel[b]) overflowing.push_back(b);

  if (o.format == "json") {
    nlohmann::json j;
    j["files"] = o.files;
    j["frames"] = tot.frames;
    j["atoms"] = tot.atoms;
    j["rcut"] = o.rcut;
    j["type_map"] = tot.types;
    nlohmann::json pairs = nlohmann::json::array();
    for (int a = 0; a < nt; ++a)
      for (int b = 0; b < nt; ++b) {
        const PairStat& ps = tot.pairs[a * nt + b];
        if (ps.centres == 0) continue;
        nlohmann::json e;
        e["centre"] = tot.types[a];
        e["neighbor"] = tot.types[b];
        e["centres"] = ps.centres;
        e["min"] = ps.min;
        e["mean"] = static_cast<double>(ps.sum) / static_cast<double>(ps.centres);
        e["max"] = ps.max;
        e["min_distance"] = std::isfinite(ps.min_distance) ? nlohmann::json(ps.min_distance) : nlohmann::json();
        pairs.push_back(e);
      }
    j["pairs"] = pairs;
    j["max_per_neighbor_type"] = tot.max_per_type;
    j["max_total"] = tot.max_total;
    j["min_distance"] = std::isfinite(tot.min_distance) ? nlohmann::json(tot.min_distance) : nlohmann::json();
    j["suggested_sel"] = suggest;
    j["suggested_sel_rule"] = "ceil(1.1 * max)";
    if (!o.sel.empty()) {
      j["sel"] = o.sel;
      j["overflow"] = !overflowing.empty();
      std::vector<std::string> names;
      for (int b : overflowing) names.push_back(tot.types[b]);
      j["overflowing_types"] = names;
    }
    std::cout << j.dump(2) << "\n";
    return;
  }

  std::ostringstream out;
  out << "neighbor statistics within rcut = " << o.rcut << " Å: " << tot.atoms << " atoms in " << tot.frames
      << " frame(s) of " << o.files.size() << " file(s)\n";
  out << "type map: ";
  for (int t = 0; t < nt; ++t) out << (t ? " " : "") << tot.types[t];
  out << "\n\n";
  out << std::left << std::setw(8) << "centre" << std::setw(10) << "neighbor" << std::right << std::setw(8) << "min"
      << std::setw(10) << "mean" << std::setw(8) << "max" << std::setw(14) << "min dist (Å)" << "\n";
  for (int a = 0; a < nt; ++a)
    for (int b = 0; b < nt; ++b) {
      const PairStat& ps = tot.pairs[a * nt + b];
      if (ps.centres == 0) continue;
      out << std::left << std::setw(8) << tot.types[a] << std::setw(10) << tot.types[b] << std::right << std::setw(8)
          << ps.min << std::setw(10) << std::fixed << std::setprecision(2)
          << static_cast<double>(ps.sum) / static_cast<double>(ps.centres) << std::setw(8) << ps.max << std::setw(14);
      if (std::isfinite(ps.min_distance))
        out << std::setprecision(3) << ps.min_distance;
      else
        out << "-";
      out << std::defaultfloat << "\n";
    }
  out << "\nmax neighbors of one atom (all types): " << tot.max_total << "\n";
  out << "max per neighbor type (over all centres):";
  for (int b = 0; b < nt; ++b) out << " " << tot.types[b] << " " << tot.max_per_type[b];
  out << "\n";
  if (std::isfinite(tot.min_distance))
    out << "min neighbor distance: " << std::setprecision(4) << tot.min_distance << std::defaultfloat << " Å\n";
  out << "suggested sel (ceil(1.1 x max per type)): " << join_ints(suggest) << "\n";
  if (!o.sel.empty()) {
    out << "sel " << join_ints(o.sel) << ": ";
    if (overflowing.empty()) {
      out << "fits (no atom has more neighbors of a type than its sel)\n";
    } else {
      out << "OVERFLOWS for";
      for (int b : overflowing) out << " " << tot.types[b] << " (max " << tot.max_per_type[b] << " > " << o.sel[b] << ")";
      out << "\n";
    }
  }
  std::cout << out.str();
}

}  // namespace

void add_neighbor_stat_command(CLI::App& app, GlobalOptions& g) {
  auto opt = std::make_shared<NeighborStatOptions>();
  auto* cmd = app.add_subcommand("neighbor-stat",
                                 "Neighbor counts within rcut per type pair, and the sel they call for");
  cmd->add_option("structure", opt->files, "Structure file(s): extended XYZ, LAMMPS data or dump")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--rcut", opt->rcut, "Cutoff radius (Å)")->capture_default_str();
  cmd->add_option("--sel", opt->sel, "sel to check, one entry per type, e.g. 46,92,20")->delimiter(',');
  cmd->add_option("--type-map", opt->type_map,
                  "Type order, e.g. O,B,Li (a model's type_map); default: order of first appearance")
      ->delimiter(',');
  cmd->add_option("--format", opt->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->add_flag("--all-frames", opt->all_frames, "Use every frame of trajectory files (default: the first)");
  cmd->callback([opt, &g]() {
    activate_backend(g);
    run(*opt);
  });
}

}  // namespace vitra::cli
