#pragma once
// NPT: Martyna–Tobias–Klein barostat with Nosé–Hoover chains on the atoms and
// on the barostat, as LAMMPS `fix npt` (fix_nh.cpp; Shinoda, Shiga, Mikami,
// PRB 69, 134103 (2004); Tuckerman et al., J. Phys. A 39, 5629 (2006)):
//
//   barostat chain(dt/2) -> thermostat chain(dt/2) -> ω̇(dt/2) -> v scaled by
//   the barostat -> kick -> remap cell(dt/2) -> drift -> remap cell(dt/2) ->
//   forces -> kick -> v scaled -> ω̇(dt/2) -> thermostat chain -> barostat chain
//
// Coupling: iso (one strain rate for the three axes, driven by the scalar
// pressure), aniso (x, y, z each driven by its own diagonal stress; a mask
// leaves axes alone, e.g. the loading axis of a strain ramp) and tri (also
// the tilts xy, xz, yz, target stress 0). The target is hydrostatic: every
// barostatted diagonal component at the same pressure (LAMMPS without its
// deviatoric term). Barostat masses W = (N+1) kB T / p_freq² (LAMMPS).
//
// Cells: iso works with any cell (the whole cell is scaled). aniso and tri
// need the LAMMPS orientation, a = (ax,0,0), b = (bx,by,0), c = (cx,cy,cz)
// (what vitra's builder and LAMMPS data files give); anything else is an error
// at setup. The cell is scaled about the origin rather than LAMMPS' box
// centre: the same dynamics up to a uniform translation.
//
// The barostat's few scalars live on the host: every step reads back the
// kinetic-energy tensor and the virial (two 3×3 reductions), which is a
// synchronisation per step that NVE/NVT do not have.
#include <array>

#include "kernels/integrate/integrator.hpp"
#include "kernels/integrate/nose_hoover_chain.hpp"
#include "kernels/integrate/nose_hoover_nvt.hpp"
#include "kernels/integrate/particle_chain.hpp"

namespace vitra::integrate {

enum class Coupling { Iso, Aniso, Tri };

struct BarostatSettings {
  double pdamp = 1.0;                    // ps (LAMMPS Pdamp; 1000 steps of 1 fs)
  Coupling coupling = Coupling::Iso;
  std::array<bool, 3> mask{true, true, true};  // barostatted axes (aniso/tri); iso needs all
  int chain = 3;                         // barostat thermostat chain length (LAMMPS pchain), 0 = none
  // LAMMPS `drag`: damps the strain rates and both chains by a factor
  // 1 − dt·freq·drag per update (0 = none). It breaks the conserved quantity
  // and quiets the cell's ringing, which in a cold, nearly harmonic solid
  // barely exchanges energy with the atoms; 0.2–2 is typical.
  double drag = 0.0;
};

// Voigt order of the strain-rate variables: xx, yy, zz, yz, xz, xy (LAMMPS).
struct BarostatState {
  std::array<double, 6> omega{};
  std::array<double, 6> omega_dot{};
  std::array<double, 6> omega_mass{};
  double vol0 = 0.0;  // volume at setup (reference of the P·V term)
  NhcState chain;     // the barostat's own Nosé–Hoover chain
};

class MtkNpt : public Integrator {
 public:
  MtkNpt(double dt, NhcSettings thermostat, BarostatSettings barostat);
  std::string name() const override { return "npt"; }
  ComputeResult setup(System& s, Potential& p, const StepTargets& t,
                      const ComputeRequest& request) override;
  // t.temperature and the diagonal of t.pressure (bar, all equal) are the targets.
  ComputeResult step(System& s, Potential& p, const StepTargets& t,
                     const ComputeRequest& request) override;
  double reservoir_energy() const override;
  std::vector<double> save_state() const override;
  void load_state(const std::vector<double>& state) override;

  const BarostatState& barostat() const { return baro_; }
  NhcState thermostat() const { return particles_.host(); }
  // Pressure tensor (bar) at the current velocities and the virial of the
  // last force evaluation; what the barostat acts on.
  Mat3 pressure_tensor(const System& s) const;

 private:
  void set_targets(const System& s, const StepTargets& t);
  void update_omega_dot(const System& s);
  void remap_half(System& s);
  void chain_barostat();

  NhcSettings tset_;
  BarostatSettings pset_;
  bool flags_[6] = {};     // barostatted Voigt components
  int pdim_ = 0;           // barostatted diagonal components
  int pdof_ = 0;           // barostatted components
  NhcParams tpar_;         // particle chain, current step
  NhcParams bpar_;         // barostat chain, fixed at setup
  ParticleChain particles_;
  BarostatState baro_;
  double p_hydro_ = 0.0;   // bar, target of the current step
  double pdrag_ = 1.0;     // LAMMPS pdrag_factor
  double mtk_term2_ = 0.0;
  double volume_ = 0.0;    // Å³, after the last remap
  double natoms_ = 0.0;
  Mat3 virial_;            // eV, of the last force evaluation
};

}  // namespace vitra::integrate
