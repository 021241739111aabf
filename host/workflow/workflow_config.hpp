#pragma once
// The workflow file (`vitra run workflow.toml`): TOML -> a fully resolved
// WorkflowConfig, and back.
//
// "Resolved" means the runner never applies a default or converts a unit:
// every optional key has its value, quantities are in vitra units (ps, K, bar,
// A, 1/ps, eV), stage lengths are step counts, derived values (a quench's
// duration from its rate, a deformation's from its strain) are computed, and
// paths to input files are absolute. Everything wrong with the file is found
// here, before anything runs, as an InputError of the form
//   <file>:<line>: <key path>: <what was expected>, found <what was there>
// with key paths like `stage[2].temperature` (0-based, as the TOML path).
//
// The schema, its defaults and which keys each stage kind takes are documented
// field by field below; examples/lj_liquid.toml is a complete small workflow.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "host/io/structure_io.hpp"

namespace vitra::workflow {

// [run]
struct RunConfig {
  std::string output;          // required; the run folder, as written (relative to the
                               // working directory vitra is started in)
  bool overwrite = false;      // reuse an existing run folder
  std::uint64_t seed = 1;      // velocities, builder; TOML integer >= 0
  double timestep = 0.001;     // ps ("1 fs"); > 0
  std::string device = "auto";  // "auto" | "cuda" | "cpu" (as select_backend takes it)
};

// [system]: exactly one of `structure` or `composition`.
struct SystemConfig {
  // From a file: absolute path (written relative to the workflow file's
  // folder) and its format (never Auto once resolved: from the extension).
  std::string structure;
  StructureFormat format = StructureFormat::Auto;
  // Built from a composition ("B2O3:66.7,Li2O:33.3", checked for syntax and
  // charge neutrality here): about `atoms` atoms at `density` g/cm^3.
  // density = "experimental" is resolved here from the experimental table.
  std::string composition;
  long atoms = 0;
  double density = 0;  // g/cm^3
  // Initial Maxwell-Boltzmann velocities at this temperature (K, > 0); unset:
  // keep the velocities in the file (zero for a built glass).
  std::optional<double> temperature;

  bool from_structure() const { return !structure.empty(); }
};

enum class PairForm { LennardJones, Buckingham };
const char* pair_form_name(PairForm f);  // "lj", "buckingham"

// [[potential.pair]]: one unordered element pair.
struct PairConfig {
  std::array<std::string, 2> elements;  // element symbols, as written
  PairForm form = PairForm::LennardJones;
  // lj: 4 eps [(s/r)^12 - (s/r)^6]; epsilon >= 0 (eV), sigma > 0 (A), both required.
  double epsilon = 0, sigma = 0;
  // buckingham: A exp(-r/rho) - C/r^6; A >= 0 (eV) and rho > 0 (A) required, C >= 0 (eV A^6), default 0.
  double A = 0, rho = 0, C = 0;
  double cutoff = 0;   // A, required, > 0
  bool shift = false;  // shift the energy to zero at the cutoff
};

// [potential.coulomb]: Coulomb between fixed charges, on top of the pairs.
struct CoulombConfig {
  // "dsf" (damped shifted force, LAMMPS coul/dsf), "ewald" (Ewald summation,
  // LAMMPS coul/long + kspace_style ewald); "none" when the table is absent.
  std::string method = "none";
  double cutoff = 0;  // A, > 0, required (ewald: the real-space cutoff)
  // dsf: damping, 1/A, >= 0, default 0.2. ewald: the splitting parameter,
  // > 0; 0 (the default) derives it from the accuracy: sqrt(-ln accuracy)/cutoff.
  double alpha = 0.2;
  // ewald only: target relative accuracy in (0, 1), default 1e-6; sets the
  // reciprocal cutoff k_cut = 2 alpha sqrt(-ln accuracy) (pair::ewald_parameters).
  double accuracy = 1e-6;
  // Charge of each element (e), as [potential.coulomb.charges] or an inline
  // table; every element of the system needs one.
  std::vector<std::pair<std::string, double>> charges;
};

// [potential]
struct PotentialConfig {
  // "pair" (the [[potential.pair]] terms and optional [potential.coulomb]),
  // "classical" (a shipped force-field parameter set, `set`), "deepmd" (a
  // DeePMD-kit se_e2_a model file, `model`) or "ensemble" (two or more such
  // models, `models`, sharing rcut, sel and type_map: the first drives the
  // dynamics, all give the deviation a model_devi observer writes; see
  // kernels/deepmd/ensemble.hpp).
  std::string kind = "pair";
  std::string set;  // classical: "shik" (data/forcefields/shik.toml, compiled in)
  std::string model;          // deepmd: absolute path of the model (.yaml, .dp, .vdp)
  std::vector<std::string> models;  // ensemble: absolute paths (written relative to the workflow file), >= 2
  bool truncate_sel = false;  // deepmd, ensemble: keep the nearest sel[t] neighbors instead of failing
  double skin = 1.0;  // A, neighbor-list skin, >= 0
  // Every unordered pair at most once. For a composition system every pair of
  // its elements must be present (a file's elements are only known when it is
  // read, so the runner checks those).
  std::vector<PairConfig> pairs;
  CoulombConfig coulomb;
};

enum class StageKind { Nve, Nvt, Npt, NptAse, Quench, Minimize, Deform };
const char* stage_kind_name(StageKind k);  // "nve", "nvt", "npt", "npt-ase", "quench", ...

enum class Couple { Iso, Aniso, Tri };
const char* couple_name(Couple c);  // "iso", "aniso", "tri"

enum class DeformMode { Uniaxial, Triaxial, Shear };
const char* deform_mode_name(DeformMode m);  // "uniaxial", "triaxial", "shear"

enum class Lateral { Barostat, Fixed };
const char* lateral_name(Lateral l);  // "barostat", "fixed"

enum class ObserverKind { Thermo, Dump, Checkpoint, ModelDevi };
const char* observer_kind_name(ObserverKind k);  // "thermo", "dump", "checkpoint", "model_devi"

// [[stage.observe]]
// model_devi (potential kind "ensemble" only; at most one per stage): appends
// the ensemble deviation to model_devi.csv in the run folder
// (host/workflow/model_devi_log.hpp) at the stage start (k = 0) and when k is
// a multiple of `every`; a minimize stage writes a row at its end.
struct ObserverConfig {
  ObserverKind kind = ObserverKind::Thermo;
  long long every = 100;  // steps, required, > 0
  // dump only: ExtXYZ or LammpsDump (default from `file`'s extension, else
  // ExtXYZ), and the file, relative to the run folder (default
  // "<stage name>.extxyz" or "<stage name>.lammpstrj"; unique over the workflow).
  StructureFormat format = StructureFormat::Auto;
  std::string file;
};

// [[stage]]. One flat struct for all kinds; a field is meaningful only for the
// kinds listed beside it, and the file may only set keys meaningful for its
// kind (anything else is an error, not silently ignored). Fields not used by
// a kind keep their defaults.
//
//   key              nve nvt npt npt-ase quench minimize deform
//   duration          R   R   R    R      *                *
//   temperature           R   R    R                       R
//   t_start, t_stop                       R
//   rate, ensemble                        *
//   tdamp, chain          x   x           x                x
//   pressure                  x           npt    x         lateral barostat
//   pdamp, drag               x           npt              lateral barostat
//   couple, mask              x    mask   npt
//   ttime, pfactor                 x
//   ftol etol max_steps cell                       x
//   mode axis erate strain lateral                          x
//   reset_thermostat      x   x    x      x                x
// R = required; * = derived rules, see the fields.
struct StageConfig {
  std::string name;  // default "stage<i>" (i = index in the file, from 0); unique
  StageKind kind = StageKind::Nvt;

  // Length in steps (0 for minimize, which uses max_steps). From `duration`
  // ("N steps" or a whole number of time steps), or derived: a quench from
  // |t_stop - t_start| / rate, a deformation from strain / erate; a derived
  // time is rounded to the nearest step (at least 1).
  long long steps = 0;

  // Temperature target, K, > 0: ramps linearly from t_start to t_stop over the
  // stage. Constant-temperature kinds (nvt, npt, npt-ase, deform) write
  // `temperature` and have t_start == t_stop.
  double t_start = 0, t_stop = 0;
  // quench: |t_stop - t_start| / (steps * timestep), K/ps (0 when they are
  // equal). In the file: give `rate` or `duration`; both must agree to 1e-6.
  double rate = 0;
  // quench: ensemble = "nvt" (default) or "npt"; npt keeps the barostat
  // fields below.
  bool barostat = false;  // npt, npt-ase, quench with ensemble npt, uniaxial deform with lateral barostat

  // Nose-Hoover chain thermostat (nvt, npt, quench, deform).
  double tdamp = 0;  // ps, > 0; default 100 * timestep
  int chain = 3;     // >= 1

  // MTK barostat (npt, quench in npt, the lateral axes of a uniaxial deformation).
  double pressure = 0;  // bar
  double pdamp = 0;     // ps, > 0; default 1000 * timestep
  // LAMMPS' drag: damps the barostat's (and the thermostat's) velocities by
  // 1 - dt*freq*drag per update; >= 0, default 0 (none). It breaks the
  // conserved quantity and quiets a cell that rings, as in a cold solid.
  double drag = 0;
  // npt and quench-in-npt: iso | aniso | tri (default iso). A uniaxial
  // deformation barostats the two lateral axes independently (aniso), with
  // mask = the lateral axes; couple is not a key for deform.
  Couple couple = Couple::Iso;
  // Axes x, y, z that the barostat acts on; default all. iso needs all three.
  std::array<bool, 3> mask{true, true, true};

  // npt-ase: ASE's NPT (Melchionna). ttime in ps (default 25 * timestep);
  // pfactor in eV*ps^2/A^3 (written in GPa*fs^2 by default, see
  // parse_pfactor); required. pressure and mask as above.
  double ttime = 0;
  double pfactor = 0;

  // minimize (FIRE): stop when max |F| < ftol (eV/A, default 1e-3, > 0), or
  // the energy change between iterations < etol (default 0 = off, >= 0; the
  // minimizer defines its normalisation), or after max_steps (default 10000,
  // >= 1). cell: relax the cell too (default false), to the hydrostatic
  // `pressure` (bar, default 0; FIRE with ASE's UnitCellFilter scheme, see
  // kernels/integrate/fire.hpp).
  double ftol = 1e-3;
  double etol = 0;
  long long max_steps = 10000;
  bool cell = false;

  // deform: engineering strain eps(t) = erate * t (1/ps), reaching `strain`
  // at the end of the stage. In the file, give two of erate, strain and
  // duration (all three must agree to 1e-6); resolved, erate is as given (or
  // strain / duration) and strain = erate * steps * timestep.
  DeformMode mode = DeformMode::Uniaxial;
  // uniaxial: 0, 1, 2 = x, y, z (default x). shear: 0, 1, 2 = xy, xz, yz
  // (default xy). triaxial: unused (0).
  int axis = 0;
  double erate = 0;
  double strain = 0;
  // uniaxial only: lateral axes barostatted at `pressure` (default 0 bar) or
  // held fixed. Triaxial and shear deformations run at fixed other cell
  // components, NVT.
  Lateral lateral = Lateral::Barostat;

  // Reset the thermostat (and barostat) variables at the start of the stage
  // rather than carrying them over from the previous stage (default true).
  bool reset_thermostat = true;

  // Every stage has a thermo observer (added, every 100 steps, when the file
  // declares none). At most one thermo and one checkpoint per stage.
  std::vector<ObserverConfig> observers;

  // Whether `key` (a [[stage]] key) is meaningful for this stage, given its
  // kind and, for quench and deform, its ensemble / mode / lateral.
  bool uses(const std::string& key) const;
};

struct WorkflowConfig {
  RunConfig run;
  SystemConfig system;
  PotentialConfig potential;
  std::vector<StageConfig> stages;  // at least one
  std::string source_path;          // the file it came from (the source name given to parse_workflow)
};

// Reads and resolves a workflow file; relative paths in it are relative to its folder.
WorkflowConfig load_workflow(const std::string& path);
// The same from text: `source_name` is used in messages, `base_dir` resolves
// relative paths (structure files must exist).
WorkflowConfig parse_workflow(const std::string& text, const std::string& source_name,
                              const std::string& base_dir);
// The resolved workflow as TOML: every key with its value, quantities with
// explicit units ("0.001 ps", "0 bar"), durations as "N steps", paths
// absolute. Parsing it back gives an equal WorkflowConfig (source_path aside).
std::string resolved_toml(const WorkflowConfig& c);

// Field-by-field equality of the resolved values (source_path is ignored:
// the same workflow read from two places is the same workflow).
bool operator==(const RunConfig& a, const RunConfig& b);
bool operator==(const SystemConfig& a, const SystemConfig& b);
bool operator==(const PairConfig& a, const PairConfig& b);
bool operator==(const CoulombConfig& a, const CoulombConfig& b);
bool operator==(const PotentialConfig& a, const PotentialConfig& b);
bool operator==(const ObserverConfig& a, const ObserverConfig& b);
bool operator==(const StageConfig& a, const StageConfig& b);
bool operator==(const WorkflowConfig& a, const WorkflowConfig& b);
inline bool operator!=(const StageConfig& a, const StageConfig& b) { return !(a == b); }
inline bool operator!=(const WorkflowConfig& a, const WorkflowConfig& b) { return !(a == b); }

}  // namespace vitra::workflow
