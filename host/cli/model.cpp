// `vitra model show M [--json]` and `vitra model convert IN OUT`: se_e2_a
// models in DeePMD-kit's .yaml and .dp formats and vitra's .vdp
// (host/model/deepmd_model_io.hpp).
#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "host/cli/commands.hpp"
#include "host/error.hpp"
#include "host/model/deepmd_model_io.hpp"

namespace vitra::cli {

namespace {

using deepmd::DenseNet;
using deepmd::SeE2aModel;

struct ShowOptions {
  std::string model;
  bool json = false;
};

struct ConvertOptions {
  std::string in, out, precision;
  bool force = false;
};

const char* format_key(ModelFormat f) {
  switch (f) {
    case ModelFormat::Yaml: return "yaml";
    case ModelFormat::Dp: return "dp";
    case ModelFormat::Vdp: return "vdp";
  }
  return "?";
}

const char* precision_key(deepmd::Precision p) {
  return p == deepmd::Precision::Float32 ? "float32" : "float64";
}

const DenseNet& first_net(const std::vector<DenseNet>& nets) {
  for (const DenseNet& n : nets)
    if (!n.empty()) return n;
  return nets.front();
}

bool has_idt(const std::vector<DenseNet>& nets) {
  for (const DenseNet& n : nets)
    for (const auto& L : n.layers)
      if (!L.idt.empty()) return true;
  return false;
}

std::vector<int> hidden_widths(const DenseNet& net) {
  std::vector<int> w;
  for (std::size_t l = 0; l + 1 < net.layers.size(); ++l) w.push_back(net.layers[l].out);
  return w;
}

std::string widths_chain(const DenseNet& net) {
  std::string s = std::to_string(net.in());
  for (const auto& L : net.layers) s += " -> " + std::to_string(L.out);
  return s;
}

std::size_t empty_nets(const std::vector<DenseNet>& nets) {
  std::size_t n = 0;
  for (const DenseNet& net : nets) n += net.empty() ? 1 : 0;
  return n;
}

nlohmann::json show_json(const SeE2aModel& m, const std::string& path, ModelFormat f) {
  using nlohmann::json;
  const DenseNet& emb = first_net(m.embeddings);
  const DenseNet& fit = first_net(m.fittings);
  json exclude = json::array();
  for (const auto& e : m.exclude_types) exclude.push_back(json::array({e.first, e.second}));
  json bias = json::array();
  for (int t = 0; t < m.ntypes(); ++t)
    bias.push_back({{"type", m.type_map[t]},
                    {"bias_atom_e", m.bias_atom_e[t]},
                    {"out_bias", m.out_bias[t]},
                    {"total", m.bias_atom_e[t] + m.out_bias[t]},
                    {"out_std", m.out_std[t]}});
  return json{
      {"file", path},
      {"format", format_key(f)},
      {"type_map", m.type_map},
      {"ntypes", m.ntypes()},
      {"rcut", m.rcut},
      {"rcut_smth", m.rcut_smth},
      {"env_protection", m.env_protection},
      {"sel", m.sel},
      {"nnei", m.nnei()},
      {"neuron", m.neuron},
      {"axis_neuron", m.axis_neuron},
      {"descriptor_size", m.descriptor_size()},
      {"type_one_side", m.type_one_side},
      {"exclude_types", exclude},
      {"atom_exclude_types", m.atom_exclude_types},
      {"embedding_nets", m.embeddings.size()},
      {"empty_embedding_nets", empty_nets(m.embeddings)},
      {"embedding_activation", deepmd::activation_name(emb.layers.front().activation)},
      {"embedding_resnet_dt", has_idt(m.embeddings)},
      {"fitting_neuron", hidden_widths(fit)},
      {"fitting_activation", deepmd::activation_name(fit.layers.front().activation)},
      {"fitting_resnet_dt", has_idt(m.fittings)},
      {"precision", precision_key(m.precision)},
      {"parameter_count", m.parameter_count()},
      {"energy_bias", bias}};
}

void print_text(const SeE2aModel& m, const std::string& path, ModelFormat f) {
  const DenseNet& emb = first_net(m.embeddings);
  const DenseNet& fit = first_net(m.fittings);
  std::string excl;
  for (const auto& e : m.exclude_types)
    excl += (excl.empty() ? "" : ", ") + m.type_map[e.first] + "-" + m.type_map[e.second];
  std::string atom_excl;
  for (int t : m.atom_exclude_types) atom_excl += (atom_excl.empty() ? "" : ", ") + m.type_map[t];
  const std::size_t nempty = empty_nets(m.embeddings);

  fmt::print("model            {} ({})\n", path, model_format_label(f));
  fmt::print("type map         {}\n", fmt::join(m.type_map, " "));
  fmt::print("precision        {}\n", precision_key(m.precision));
  fmt::print("cutoff           rcut {} Å, smooth from rcut_smth {} Å", m.rcut, m.rcut_smth);
  if (m.env_protection != 0.0) fmt::print(", env_protection {}", m.env_protection);
  fmt::print("\n");
  fmt::print("sel              {} (nnei {})\n", fmt::join(m.sel, " "), m.nnei());
  fmt::print("embedding nets   {}, {}{}; {}\n", widths_chain(emb),
             deepmd::activation_name(emb.layers.front().activation),
             has_idt(m.embeddings) ? ", resnet_dt" : "",
             m.type_one_side ? fmt::format("one per neighbor type (type_one_side), {} nets",
                                           m.embeddings.size())
                             : fmt::format("one per pair of types, {} nets{}", m.embeddings.size(),
                                           nempty ? fmt::format(" ({} empty)", nempty) : ""));
  fmt::print("axis_neuron      {} (descriptor size {})\n", m.axis_neuron, m.descriptor_size());
  fmt::print("exclude types    {}\n", excl.empty() ? "none" : excl);
  if (!atom_excl.empty()) fmt::print("excluded atoms   {} (zero energy)\n", atom_excl);
  fmt::print("fitting nets     {}, {}{}; one per type\n", widths_chain(fit),
             deepmd::activation_name(fit.layers.front().activation),
             has_idt(m.fittings) ? ", resnet_dt" : "");
  fmt::print("parameters       {}\n", m.parameter_count());
  fmt::print("\nenergy bias per type (eV): bias_atom_e + out_bias\n");
  fmt::print("  {:<6} {:>22} {:>22} {:>22}\n", "type", "bias_atom_e", "out_bias", "total");
  for (int t = 0; t < m.ntypes(); ++t)
    fmt::print("  {:<6} {:>22.15g} {:>22.15g} {:>22.15g}\n", m.type_map[t], m.bias_atom_e[t],
               m.out_bias[t], m.bias_atom_e[t] + m.out_bias[t]);
}

void run_show(const ShowOptions& o) {
  const ModelFormat f = model_format_from_path(o.model);
  const SeE2aModel m = read_model(o.model);
  if (o.json) std::cout << show_json(m, o.model, f).dump(2) << "\n";
  else print_text(m, o.model, f);
}

void run_convert(const ConvertOptions& o) {
  const ModelFormat fin = model_format_from_path(o.in);
  const ModelFormat fout = model_format_from_path(o.out);
  std::error_code ec;
  if (std::filesystem::exists(o.out, ec)) {
    if (std::filesystem::equivalent(o.in, o.out, ec))
      throw InputError(o.out, 0, "the output file is the input file");
    if (!o.force)
      throw InputError(o.out, 0, "the output file exists already; pass --force to overwrite it");
  }
  SeE2aModel m = read_model(o.in);
  if (o.precision == "float32") m.precision = deepmd::Precision::Float32;
  else if (o.precision == "float64") m.precision = deepmd::Precision::Float64;
  write_model(o.out, m);
  fmt::print("wrote {} ({}, from {}): {} types, {} parameters, {}\n", o.out,
             model_format_label(fout), model_format_label(fin), m.ntypes(), m.parameter_count(),
             precision_key(m.precision));
}

}  // namespace

void add_model_command(CLI::App& app, GlobalOptions&) {
  auto* cmd = app.add_subcommand(
      "model",
      "Inspect and convert se_e2_a models: DeePMD-kit .yaml/.yml and .dp, vitra .vdp");
  cmd->require_subcommand(1);

  auto show = std::make_shared<ShowOptions>();
  auto* s = cmd->add_subcommand("show", "Print a model's hyperparameters and energy bias");
  s->add_option("MODEL", show->model, "Model file (.yaml, .yml, .dp, .vdp)")->required();
  s->add_flag("--json", show->json, "Print JSON instead of text");
  s->callback([show]() { run_show(*show); });

  auto conv = std::make_shared<ConvertOptions>();
  auto* c = cmd->add_subcommand(
      "convert", "Convert a model between formats (chosen by the extensions of IN and OUT)");
  c->add_option("IN", conv->in, "Input model (.yaml, .yml, .dp, .vdp)")->required();
  c->add_option("OUT", conv->out, "Output model (.yaml, .yml, .dp, .vdp)")->required();
  c->add_option("--precision", conv->precision,
                "Precision the output model runs in (default: the input's)")
      ->check(CLI::IsMember({"float32", "float64"}));
  c->add_flag("--force", conv->force, "Overwrite OUT if it exists");
  c->callback([conv]() { run_convert(*conv); });
}

}  // namespace vitra::cli
