#include "host/workflow/runner.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>

#include "host/error.hpp"
#include "host/io/extxyz.hpp"
#include "host/progress.hpp"
#include "host/structure.hpp"
#include "host/workflow/checkpoint.hpp"
#include "host/workflow/deform.hpp"
#include "host/workflow/make_potential.hpp"
#include "host/workflow/make_system.hpp"
#include "host/workflow/model_devi_log.hpp"
#include "host/workflow/stage_integrator.hpp"
#include "host/workflow/stop_signal.hpp"
#include "host/workflow/thermo_log.hpp"
#include "host/workflow/trajectory_writer.hpp"
#include "kernels/deepmd/ensemble.hpp"
#include "kernels/integrate/affine_remap.hpp"
#include "kernels/integrate/fire.hpp"

namespace vitra::workflow {

namespace fs = std::filesystem;

namespace {

constexpr const char* kWorkflowFile = "workflow.toml";
constexpr const char* kThermoFile = "thermo.csv";
constexpr const char* kCheckpointFile = "checkpoint.vcp";
constexpr const char* kFailedCheckpointFile = "checkpoint_failed.vcp";
constexpr const char* kFinalFile = "final.extxyz";
constexpr const char* kReportFile = "report.txt";
constexpr const char* kModelDeviFile = "model_devi.csv";

// A box this much smaller than at the start, or this thin, has collapsed.
constexpr double kCollapsedVolumeFraction = 1e-3;
constexpr double kMinFaceDistance = 2.0;  // A

const ComputeRequest kForcesOnly{false, false, false, false};
const ComputeRequest kEnergyVirial{true, true, false, false};

const ObserverConfig* find_observer(const StageConfig& st, ObserverKind kind) {
  for (const ObserverConfig& o : st.observers)
    if (o.kind == kind) return &o;
  return nullptr;
}

// Every dump file the workflow writes, relative to the run folder.
std::vector<std::string> dump_files(const WorkflowConfig& cfg) {
  std::vector<std::string> files;
  for (const StageConfig& st : cfg.stages)
    for (const ObserverConfig& o : st.observers)
      if (o.kind == ObserverKind::Dump) files.push_back(o.file);
  return files;
}

bool has_model_devi(const WorkflowConfig& cfg) {
  for (const StageConfig& st : cfg.stages)
    if (find_observer(st, ObserverKind::ModelDevi)) return true;
  return false;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

class Runner {
 public:
  Runner(const WorkflowConfig& cfg, fs::path dir, const RunOptions& opt)
      : cfg_(cfg), dir_(std::move(dir)), opt_(opt) {}

  RunResult start(System s);
  RunResult resume(const Checkpoint& c);

 private:
  RunResult run_from(std::size_t first_stage, long long k0, const Checkpoint* resumed);
  bool run_md_stage(std::size_t i, long long k0, const std::vector<double>* resume_state);
  bool run_minimize_stage(std::size_t i);

  void write_thermo(const StageConfig& st, const ComputeResult& r, long long k);
  void write_dumps(const StageConfig& st, long long k, bool stage_end);
  void set_potential(std::unique_ptr<Potential> p);
  Ensemble& ensemble(std::size_t i);
  void write_model_devi(const Ensemble& ens);
  void save_checkpoint(std::size_t i, long long k, bool stage_complete, const char* file);
  void reanchor(const StageConfig& st, long long k);
  void check_box(std::size_t i, long long k);
  [[noreturn]] void fail(std::size_t i, long long k, const std::string& what);
  void flush_outputs();
  void report(const std::string& line);
  std::unique_ptr<Progress> make_progress(const StageConfig& st) const;
  void stage_summary(std::size_t i, long long steps, double wall, const std::string& extra = {});
  bool stop_now();

  const WorkflowConfig& cfg_;
  fs::path dir_;
  RunOptions opt_;

  System s_;
  std::unique_ptr<Potential> pot_;
  std::unique_ptr<integrate::Integrator> integ_;
  // The previous stage's integrator state, taken over by a stage of the same
  // kind with reset_thermostat = false.
  std::string carry_name_;
  std::vector<double> carry_state_;

  std::unique_ptr<ThermoLog> thermo_;
  std::unique_ptr<ModelDeviLog> model_devi_;  // when some stage has a model_devi observer
  std::map<std::string, std::unique_ptr<TrajectoryWriter>> dumps_;  // by file
  std::ofstream report_;

  long long global_step_ = 0;
  double initial_volume_ = 0;
  Mat3 deform_cell0_;
  double strain_ = 0;
  int stop_signal_ = 0;
};

// ---- outputs ---------------------------------------------------------------

void Runner::report(const std::string& line) {
  report_ << line << '\n';
  report_.flush();
  if (opt_.log) *opt_.log << line << std::endl;
}

void Runner::flush_outputs() {
  if (thermo_) thermo_->flush();
  if (model_devi_) model_devi_->flush();
  for (auto& [file, w] : dumps_) w->flush();
  report_.flush();
}

void Runner::write_thermo(const StageConfig& st, const ComputeResult& r, long long k) {
  ThermoRow row = thermo_row(s_, r, integ_ ? integ_->reservoir_energy() : 0.0);
  row.stage = st.name;
  row.step = global_step_;
  row.time_ps = static_cast<double>(global_step_) * cfg_.run.timestep;
  row.strain = strain_;
  thermo_->write(row);
  if (!std::isfinite(row.potential) || !std::isfinite(row.temperature)) {
    thermo_->flush();
    fail(&st - cfg_.stages.data(), k,
         fmt::format("the potential energy is {} eV and the temperature {} K", row.potential,
                     row.temperature));
  }
}

void Runner::write_dumps(const StageConfig& st, long long k, bool stage_end) {
  for (const ObserverConfig& o : st.observers) {
    if (o.kind != ObserverKind::Dump) continue;
    if (stage_end ? false : (k == 0 || k % o.every != 0)) continue;
    auto& w = dumps_[o.file];
    // Appending: a fresh run starts without these files, a resumed one has
    // cut them back to their size at the checkpoint.
    if (!w) w = std::make_unique<TrajectoryWriter>((dir_ / o.file).string(), o.format, true, s_.type_map.names);
    w->write(s_, st.name, global_step_, static_cast<double>(global_step_) * cfg_.run.timestep);
  }
}

// The potential of the run; an ensemble evaluates its other models only on
// the steps a model_devi observer writes (model 0's forces are the same
// either way, so the trajectory does not depend on the observer).
void Runner::set_potential(std::unique_ptr<Potential> p) {
  pot_ = std::move(p);
  if (auto* e = dynamic_cast<Ensemble*>(pot_.get())) e->set_compute_deviation(false);
}

Ensemble& Runner::ensemble(std::size_t i) {
  auto* e = dynamic_cast<Ensemble*>(pot_.get());
  if (!e)
    throw InputError(cfg_.source_path, 0,
                     fmt::format("stage[{}].observe: observer kind model_devi needs potential.kind = "
                                 "\"ensemble\", found \"{}\"",
                                 i, cfg_.potential.kind));
  return *e;
}

// One row of model_devi.csv from the ensemble's last compute(), flushed at
// once (rows written so far survive a failure or a kill).
void Runner::write_model_devi(const Ensemble& ens) {
  if (!model_devi_) model_devi_ = std::make_unique<ModelDeviLog>(ModelDeviLog::create((dir_ / kModelDeviFile).string()));
  model_devi_->write(global_step_, static_cast<double>(global_step_) * cfg_.run.timestep, ens.last_deviation());
  model_devi_->flush();
}

void Runner::save_checkpoint(std::size_t i, long long k, bool stage_complete, const char* file) {
  flush_outputs();
  Checkpoint c;
  c.stage_index = static_cast<int>(i);
  c.stage_name = cfg_.stages[i].name;
  c.step_in_stage = k;
  c.stage_complete = stage_complete;
  c.global_step = global_step_;
  if (integ_) {
    c.integrator = integ_->name();
    c.integrator_state = integ_->save_state();
  }
  c.deform_cell0 = deform_cell0_;
  c.thermo_rows = thermo_->rows();
  for (const std::string& f : dump_files(cfg_)) {
    std::error_code ec;
    const auto size = fs::file_size(dir_ / f, ec);
    if (!ec) c.dump_bytes[f] = size;
  }
  if (model_devi_) {
    // Cut back on resume as the dump files are.
    std::error_code ec;
    const auto size = fs::file_size(dir_ / kModelDeviFile, ec);
    if (!ec) c.dump_bytes[kModelDeviFile] = size;
  }
  c.initial_volume = initial_volume_;
  capture_system(s_, c);
  write_checkpoint((dir_ / file).string(), c);
}

// What a resume does (a fresh potential, setup for the forces, the saved
// integrator state), done by the uninterrupted run too: see runner.hpp.
void Runner::reanchor(const StageConfig& st, long long k) {
  set_potential(make_potential(cfg_, s_));
  if (integ_ && k < st.steps) {
    const std::vector<double> state = integ_->save_state();
    integ_->setup(s_, *pot_, stage_targets(st, k), kForcesOnly);
    integ_->load_state(state);
  }
}

void Runner::fail(std::size_t i, long long k, const std::string& what) {
  std::string saved;
  try {
    save_checkpoint(i, k, false, kFailedCheckpointFile);
    saved = fmt::format("the state was written to {}", (dir_ / kFailedCheckpointFile).string());
  } catch (const std::exception& e) {
    saved = fmt::format("writing {} failed too ({})", kFailedCheckpointFile, e.what());
  }
  const std::string msg =
      fmt::format("stage {} (\"{}\"), step {} of the stage (global step {}): {}; {}; every output "
                  "written so far is kept in {}",
                  i, cfg_.stages[i].name, k, global_step_, what, saved, dir_.string());
  report("failed: " + msg);
  throw SimulationError(msg);
}

void Runner::check_box(std::size_t i, long long k) {
  const double v = s_.box.volume();
  const Vec3 d = s_.box.face_distances();
  const double dmin = std::fmin(d.x, std::fmin(d.y, d.z));
  if (!(v >= kCollapsedVolumeFraction * initial_volume_))
    fail(i, k, fmt::format("the box collapsed: volume {} A^3, initially {} A^3", v, initial_volume_));
  if (!(dmin >= kMinFaceDistance))
    fail(i, k, fmt::format("the box collapsed: a face distance is {} A (minimum {} A)", dmin,
                           kMinFaceDistance));
}

std::unique_ptr<Progress> Runner::make_progress(const StageConfig& st) const {
  if (!opt_.progress) return nullptr;
  ProgressOptions po;
  po.label = st.name;
  if (st.kind == StageKind::Minimize) {
    po.unit = "iterations";
    return std::make_unique<Progress>(std::cerr, static_cast<long>(st.max_steps), po,
                                      Progress::stderr_is_terminal());
  }
  po.unit = "steps";
  po.secondary_scale = cfg_.run.timestep * 86400.0 / 1000.0;  // steps/s -> ns/day
  po.secondary_unit = "ns/day";
  return std::make_unique<Progress>(std::cerr, static_cast<long>(st.steps), po,
                                    Progress::stderr_is_terminal());
}

void Runner::stage_summary(std::size_t i, long long steps, double wall, const std::string& extra) {
  const StageConfig& st = cfg_.stages[i];
  const double n = static_cast<double>(s_.size());
  const double rate = wall > 0 ? static_cast<double>(steps) / wall : 0.0;
  std::string line = fmt::format("stage {} {} ({}): {} steps, {:.3f} s", i, st.name,
                                 stage_kind_name(st.kind), steps, wall);
  if (st.kind != StageKind::Minimize)
    line += fmt::format(", {:.4g} ns/day, {} atom-steps/s",
                        rate * cfg_.run.timestep * 86400.0 / 1000.0, format_rate(rate * n));
  line += extra;
  report(line);
}

bool Runner::stop_now() {
  if (const int sig = stop_requested()) {
    stop_signal_ = sig;
    return true;
  }
  if (opt_.stop_after_step >= 0 && global_step_ == opt_.stop_after_step) {
    stop_signal_ = 0;
    return true;
  }
  return false;
}

// ---- stages ----------------------------------------------------------------

bool Runner::run_md_stage(std::size_t i, long long k0, const std::vector<double>* resume_state) {
  const StageConfig& st = cfg_.stages[i];
  const long long n = st.steps;
  const double dt = cfg_.run.timestep;
  const ObserverConfig* thermo_obs = find_observer(st, ObserverKind::Thermo);
  const ObserverConfig* ckpt_obs = find_observer(st, ObserverKind::Checkpoint);
  const ObserverConfig* devi_obs = find_observer(st, ObserverKind::ModelDevi);
  const bool deform = st.kind == StageKind::Deform;

  integ_ = make_integrator(st, dt);
  if (k0 == 0) {
    if (deform) deform_cell0_ = s_.box.h;
    strain_ = 0;
    if (devi_obs) ensemble(i).set_compute_deviation(true);
    const ComputeResult r = integ_->setup(s_, *pot_, stage_targets(st, 0), kEnergyVirial);
    if (!st.reset_thermostat && carry_name_ == integ_->name()) integ_->load_state(carry_state_);
    if (thermo_obs) write_thermo(st, r, 0);
    if (devi_obs) {
      write_model_devi(ensemble(i));
      ensemble(i).set_compute_deviation(false);
    }
  } else {
    strain_ = deform ? deform_strain(st, k0, dt) : 0.0;
    integ_->setup(s_, *pot_, stage_targets(st, k0), kForcesOnly);
    integ_->load_state(*resume_state);
  }

  const auto t0 = std::chrono::steady_clock::now();
  std::unique_ptr<Progress> progress = make_progress(st);
  if (progress) progress->update(static_cast<long>(k0));
  for (long long k = k0 + 1; k <= n; ++k) {
    const bool thermo_due = thermo_obs && (k % thermo_obs->every == 0 || k == n);
    const bool devi_due = devi_obs && k % devi_obs->every == 0;
    if (devi_due) ensemble(i).set_compute_deviation(true);
    const ComputeResult r =
        integ_->step(s_, *pot_, stage_targets(st, k), thermo_due ? kEnergyVirial : kForcesOnly);
    ++global_step_;
    if (deform) {
      const double e0 = deform_strain(st, k - 1, dt), e1 = deform_strain(st, k, dt);
      integrate::affine_remap(s_, deformed_cell(st, s_.box.h, deform_cell0_, e0, e1));
      strain_ = e1;
    }
    if (devi_due) {
      // The deviation at the positions of this step's forces (before a
      // deformation's remap, as the thermo row).
      write_model_devi(ensemble(i));
      ensemble(i).set_compute_deviation(false);
    }
    check_box(i, k);
    if (thermo_due) write_thermo(st, r, k);
    write_dumps(st, k, false);
    const bool stop = stop_now();
    const bool ckpt_due = ckpt_obs && k % ckpt_obs->every == 0;
    if (ckpt_due || stop) save_checkpoint(i, k, k == n, kCheckpointFile);
    if (progress) progress->update(static_cast<long>(k));
    if (stop) {
      if (progress) progress->finish();
      stage_summary(i, k - k0, seconds_since(t0),
                    fmt::format(" (stopped at step {} of {}; checkpoint written)", k, n));
      return false;
    }
    if (ckpt_due) reanchor(st, k);
  }
  if (progress) progress->finish();
  stage_summary(i, n - k0, seconds_since(t0));
  carry_name_ = integ_->name();
  carry_state_ = integ_->save_state();
  return true;
}

bool Runner::run_minimize_stage(std::size_t i) {
  const StageConfig& st = cfg_.stages[i];
  integ_.reset();
  strain_ = 0;
  carry_name_.clear();
  carry_state_.clear();
  const ObserverConfig* thermo_obs = find_observer(st, ObserverKind::Thermo);
  if (thermo_obs) write_thermo(st, pot_->compute(s_, kEnergyVirial), 0);

  integrate::FireSettings fsets;
  fsets.ftol = st.ftol;
  fsets.etol = st.etol;
  fsets.max_steps = st.max_steps;
  fsets.dt = cfg_.run.timestep;
  fsets.dt_max = 10.0 * cfg_.run.timestep;  // LAMMPS: dtmax = 10 dt
  fsets.relax_cell = st.cell;
  fsets.pressure = st.pressure;
  std::unique_ptr<Progress> progress = make_progress(st);
  bool stopped = false;
  const auto t0 = std::chrono::steady_clock::now();
  const integrate::FireResult fr =
      integrate::fire_minimize(s_, *pot_, fsets, [&](long long it, double, double) {
        if (progress) progress->update(static_cast<long>(it));
        if (stop_now()) {
          stopped = true;
          return false;
        }
        return true;
      });
  if (progress) progress->finish();
  if (stopped) {
    // FIRE's own state is not saved: a resume starts this stage again.
    save_checkpoint(i, 0, false, kCheckpointFile);
    stage_summary(i, fr.steps, seconds_since(t0), " (stopped; checkpoint written)");
    return false;
  }
  if (thermo_obs) write_thermo(st, pot_->compute(s_, kEnergyVirial), fr.steps);
  if (find_observer(st, ObserverKind::ModelDevi)) {
    Ensemble& ens = ensemble(i);
    ens.set_compute_deviation(true);
    pot_->compute(s_, kEnergyVirial);
    write_model_devi(ens);
    ens.set_compute_deviation(false);
  }
  write_dumps(st, 0, true);
  stage_summary(i, fr.steps, seconds_since(t0),
                fmt::format(", FIRE stopped on {}: E = {:.8g} eV, max |F| = {:.3g} eV/A",
                            fr.reason, fr.energy, fr.max_force));
  if (find_observer(st, ObserverKind::Checkpoint)) {
    save_checkpoint(i, 0, true, kCheckpointFile);
    reanchor(st, 0);
  }
  return true;
}

RunResult Runner::run_from(std::size_t first, long long k0, const Checkpoint* resumed) {
  RunResult res;
  res.folder = dir_.string();
  try {
    for (std::size_t i = first; i < cfg_.stages.size(); ++i) {
      const StageConfig& st = cfg_.stages[i];
      const bool resumed_here = resumed && i == first && k0 > 0;
      const bool ok = st.kind == StageKind::Minimize
                          ? run_minimize_stage(i)
                          : run_md_stage(i, resumed_here ? k0 : 0,
                                         resumed_here ? &resumed->integrator_state : nullptr);
      if (!ok) {
        res.signal = stop_signal_;
        res.global_step = global_step_;
        report(fmt::format("stopped at global step {}{}; continue with: vitra run --resume {}",
                           global_step_, stop_signal_ ? fmt::format(" by signal {}", stop_signal_) : "",
                           dir_.string()));
        flush_outputs();
        return res;
      }
    }
    Structure final_structure = from_system(s_);
    final_structure.info["step"] = std::to_string(global_step_);
    write_extxyz((dir_ / kFinalFile).string(), final_structure);
  } catch (const SimulationError&) {
    flush_outputs();
    throw;
  } catch (const std::exception& e) {
    flush_outputs();
    report(fmt::format("failed at global step {}: {}", global_step_, e.what()));
    throw;
  }
  flush_outputs();
  res.completed = true;
  res.global_step = global_step_;
  return res;
}

RunResult Runner::start(System s) {
  s_ = std::move(s);
  initial_volume_ = s_.box.volume();
  set_potential(make_potential(cfg_, s_));
  thermo_ = std::make_unique<ThermoLog>(ThermoLog::create((dir_ / kThermoFile).string()));
  if (has_model_devi(cfg_))
    model_devi_ = std::make_unique<ModelDeviLog>(ModelDeviLog::create((dir_ / kModelDeviFile).string()));
  report_.open(dir_ / kReportFile, std::ios::out | std::ios::trunc);
  report(fmt::format("vitra run {}: {} atoms, {} stages, time step {} ps, output {}",
                     cfg_.source_path, s_.size(), cfg_.stages.size(), cfg_.run.timestep,
                     dir_.string()));
  return run_from(0, 0, nullptr);
}

RunResult Runner::resume(const Checkpoint& c) {
  const fs::path ck = dir_ / kCheckpointFile;
  if (c.stage_index < 0 || static_cast<std::size_t>(c.stage_index) >= cfg_.stages.size() ||
      cfg_.stages[c.stage_index].name != c.stage_name)
    throw InputError(ck.string(), 0,
                     fmt::format("stage {} (\"{}\") of the checkpoint is not in {}", c.stage_index,
                                 c.stage_name, (dir_ / kWorkflowFile).string()));
  const StageConfig& st = cfg_.stages[c.stage_index];
  if (!c.stage_complete && st.kind != StageKind::Minimize && integrator_name(st) != c.integrator)
    throw InputError(ck.string(), 0,
                     fmt::format("the checkpoint holds a \"{}\" integrator state, stage \"{}\" runs \"{}\"",
                                 c.integrator, st.name, integrator_name(st)));
  s_ = restore_system(c);
  global_step_ = c.global_step;
  initial_volume_ = c.initial_volume;
  deform_cell0_ = c.deform_cell0;
  set_potential(make_potential(cfg_, s_));

  // Outputs continue where the checkpoint was taken: later rows and frames go.
  thermo_ = std::make_unique<ThermoLog>(ThermoLog::resume((dir_ / kThermoFile).string(), c.thermo_rows));
  for (const std::string& f : dump_files(cfg_)) {
    const fs::path p = dir_ / f;
    const auto it = c.dump_bytes.find(f);
    std::error_code ec;
    if (it == c.dump_bytes.end())
      fs::remove(p, ec);
    else if (fs::exists(p))
      fs::resize_file(p, it->second);
  }
  if (has_model_devi(cfg_)) {
    // Rows after the checkpoint go, as the dump frames do.
    const fs::path p = dir_ / kModelDeviFile;
    const auto it = c.dump_bytes.find(kModelDeviFile);
    if (it != c.dump_bytes.end() && fs::exists(p)) {
      fs::resize_file(p, it->second);
      model_devi_ = std::make_unique<ModelDeviLog>(ModelDeviLog::append(p.string()));
    } else {
      model_devi_ = std::make_unique<ModelDeviLog>(ModelDeviLog::create(p.string()));
    }
  }
  report_.open(dir_ / kReportFile, std::ios::out | std::ios::app);
  report(fmt::format("resumed from {}: stage {} (\"{}\"), step {} of the stage, global step {}",
                     ck.string(), c.stage_index, c.stage_name, c.step_in_stage, c.global_step));
  if (c.stage_complete) {
    carry_name_ = c.integrator;
    carry_state_ = c.integrator_state;
    return run_from(c.stage_index + 1, 0, &c);
  }
  return run_from(c.stage_index, c.step_in_stage, &c);
}

}  // namespace

RunResult run_workflow(const WorkflowConfig& cfg, const RunOptions& options) {
  const fs::path dir = options.output.empty() ? fs::path(cfg.run.output) : fs::path(options.output);
  const bool overwrite = options.overwrite.value_or(cfg.run.overwrite);
  if (fs::exists(dir) && !overwrite)
    throw InputError(cfg.source_path, 0,
                     fmt::format("run.output: the run folder {} exists already; choose another, set "
                                 "run.overwrite = true or pass --overwrite (or continue it with "
                                 "vitra run --resume {})",
                                 dir.string(), dir.string()));
  // Everything that can be wrong with the input shows before the folder is made.
  System s = make_system(cfg);
  make_potential(cfg, s);

  fs::create_directories(dir);
  // Overwriting replaces vitra's own outputs; other files in the folder stay.
  std::vector<std::string> ours = {kWorkflowFile, kThermoFile, kCheckpointFile,
                                   kFailedCheckpointFile, kFinalFile, kReportFile, kModelDeviFile};
  for (const std::string& f : dump_files(cfg)) ours.push_back(f);
  for (const std::string& f : ours) {
    std::error_code ec;
    fs::remove(dir / f, ec);
  }
  {
    std::ofstream out(dir / kWorkflowFile);
    out << resolved_toml(cfg);
    if (!out) throw InputError((dir / kWorkflowFile).string(), 0, "cannot write the resolved workflow");
  }
  Runner runner(cfg, dir, options);
  return runner.start(std::move(s));
}

RunResult resume_workflow(const std::string& folder, const RunOptions& options) {
  const fs::path dir(folder);
  if (!fs::is_directory(dir)) throw InputError(folder, 0, "--resume: no such run folder");
  const WorkflowConfig cfg = load_workflow((dir / kWorkflowFile).string());
  const Checkpoint c = read_checkpoint((dir / kCheckpointFile).string());
  Runner runner(cfg, dir, options);
  return runner.resume(c);
}

int exit_code(const RunResult& r) {
  if (r.completed) return 0;
  return 128 + (r.signal ? r.signal : SIGINT);
}

}  // namespace vitra::workflow
