#pragma once
// NPT as ASE does it: ase.md.npt.NPT (= ase.md.melchionna.MelchionnaNPT,
// ASE 3.29): Melchionna's Nosé–Hoover + Parrinello–Rahman equations
// (Melchionna, Ciccotti, Holian, Mol. Phys. 78, 533 (1993); Melchionna,
// PRE 61, 6165 (2000)) integrated by ASE's centred-difference Størmer scheme
// (Holian et al., PRA 41, 4552 (1990)). The reference study ran its MD with
// it, so this integrator reproduces it step by step (tested against ASE
// itself, tests/oracle/test_npt_ase_oracle.py).
//
// The scheme (all quantities at whole steps t; q = r·h⁻¹ − ½ are ASE's scaled
// positions, unwrapped; η the 3×3 triangular strain rate, ζ the thermostat):
//
//   h(t+dt) = h(t−dt) + 2dt · h(t) η(t)
//   η(t+dt) = η(t−dt) + mask ∘ tri(−2dt · pfact · det h(t) · (σ(t) − σ_ext))
//   ζ(t+dt) = ζ(t−dt) + 2dt · tfact · (E_kin(t) − 3/2 (N−1) kT)
//   ζ_int  += dt · ζ(t+dt);   r(t+dt) = (q(t+dt) + ½) · h(t+dt);  F(t+dt)
//   q(t+2dt) = (2q(t+dt) + q(t)(β − 1) + dt² (F/m) h⁻¹) (β + 1)⁻¹,
//              β = dt · h(t+dt) (η(t+dt) + ½ζ(t+dt) 1) h⁻¹(t+dt)
//   v(t+dt)  = (q(t+2dt) − q(t)) · h(t+dt) / (2dt)
//
// with σ the stress including the ideal-gas term, σ = −(Σ m v⊗v + W)/V
// (ASE's sign: positive in tension), tfact = 2 / (3 N kT ttime²) and
// pfact = 1 / (pfactor · det h) with the cell of the moment the constants
// were computed (setup, or a change of target temperature: ASE's
// set_temperature() recomputes them with the current cell, and so does this
// integrator when StepTargets::temperature changes; without a thermostat
// the target temperature is ignored). setup() is ASE's
// constructor plus initialize(): it zeroes the total momentum as ASE does
// (p_i −= P/N, not mass-weighted), takes η = 0, ζ = 0, and makes h(t−dt),
// η(t−dt), ζ(t−dt), q(t−dt) and q(t+dt) by ASE's backward step
// (_initialize_eta_h, _calculate_q_past_and_future, the two-pass velocity
// correction included). The positions the potential sees are
// (q + ½ − images)·h, the wrapped positions matching ASE's unwrapped ones.
//
// The cell must be triangular as ASE requires: upper, b_x = c_x = c_y = 0
// (h[1][0] = h[2][0] = h[2][1] = 0 with rows a, b, c), or lower (LAMMPS
// orientation, h[0][1] = h[0][2] = h[1][2] = 0; ASE 3.29 accepts both and
// picks upper when h is diagonal); η then has the same shape and h stays so.
// Anything else is std::invalid_argument at setup.
//
// Targets per step: the temperature (K; ignored without thermostat) and the
// pressure tensor (bar, positive in compression; must be symmetric):
// σ_ext = −P / (kEvPerA3ToBar bar per eV/Å³).
//
// Units. vitra works in Å, ps, eV, amu. ASE's time unit is sqrt(amu·Å²/eV);
// in a unit system where E_kin = ½ mvv2e m v² it is exactly
// sqrt(mvv2e) ps = 10.180505 fs (units::kMvv2e, LAMMPS' metal value), which
// is the conversion used here: ASE's equations in ASE units are this
// integrator's equations in ps. (ase.units, CODATA 2014, gives
// 1/(1000·ase.units.fs) = 0.010180505 ps, 2.7e-8 relative away; kB differs
// by 3.5e-7 relative: CODATA 2018 here, 2014 in ASE 3.29.) So
//   ttime [ps]             = ttime_ase · sqrt(mvv2e)        (25·ase.units.fs → 0.025 ps)
//   pfactor [eV·ps²/Å³]    = pfactor_ase · mvv2e            ((75 fs)²·0.6 eV/Å³ → 0.075²·0.6)
// i.e. pfactor = ptime² · B with ptime in ps and the bulk modulus B in eV/Å³.
//
// Conserved quantity: ASE's get_gibbs_free_energy() =
//   E_pot + E_kin − tr(σ_ext)/3 · det h
//   + 3/2 N kT (ttime ζ)² + 3 kT (N−1) ζ_int        (with a thermostat)
//   + ½ Σ η_ij² / pfact                             (with a barostat)
// reservoir_energy() is that minus E_pot and E_kin (the P·V term is the
// absolute P·V, as in ASE; only the hydrostatic part of σ_ext enters).
//
// Device work per step: the position update (one for_each), the force call
// and the q/velocity update (one for_each). The few matrices live on the
// host, so each step reads back E_kin (thermostat) and Σ m v⊗v (barostat):
// a synchronisation per step, as MtkNpt has.
//
// Checkpoints: save_state() holds the scalars, h, h(t−dt), η, η(t−dt), ζ,
// ζ(t−dt), ζ_int, the virial of the last force call and q(t−dt), q(t),
// q(t+dt) (9N values): load_state() after setup() continues bit-for-bit (the
// velocities are recomputed from q at the next step, so whatever setup()
// did to them does not matter). The first step after load_state() checks,
// as ASE does on a new run(), that the cell and the positions still match
// the saved state (1e-10 relative, 1e-8 Å) and throws std::runtime_error
// otherwise.
#include <array>
#include <cmath>
#include <vector>

#include "cuda/device_array.hpp"
#include "kernels/integrate/integrator.hpp"
#include "kernels/units.hpp"

namespace vitra::integrate {

// ASE's time unit, sqrt(amu·Å²/eV), in ps (see above).
inline double ase_time_unit_ps() { return std::sqrt(units::kMvv2e); }

struct AseNptSettings {
  // Thermostat time (ps); 0: no thermostat (ASE ttime=None).
  double ttime = 0.0;
  // Barostat constant ptime² · B (eV·ps²/Å³); 0: no barostat (ASE
  // pfactor=None). From ASE's value: pfactor_ase · units::kMvv2e.
  double pfactor = 0.0;
  // Which strain-rate components may change (ASE's mask as a 3×3 matrix;
  // axis_mask() makes the outer product ASE makes from a 3-vector).
  std::array<std::array<bool, 3>, 3> mask{{{true, true, true}, {true, true, true}, {true, true, true}}};
  // ASE's set_fraction_traceless(): 1 keeps the whole force on η (and applies
  // the mask); otherwise the traceless part is scaled by it and, as in ASE,
  // the mask is not applied.
  double frac_traceless = 1.0;

  // ASE's mask from a 3-vector: component (i, j) free iff axes i and j are.
  static std::array<std::array<bool, 3>, 3> axis_mask(bool x, bool y, bool z) {
    const bool a[3] = {x, y, z};
    std::array<std::array<bool, 3>, 3> m{};
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j) m[i][j] = a[i] && a[j];
    return m;
  }
  // From ASE's parameters in ASE units (ttime_ase, pfactor_ase; 0 = None).
  static AseNptSettings from_ase_units(double ttime_ase, double pfactor_ase) {
    AseNptSettings s;
    s.ttime = ttime_ase * ase_time_unit_ps();
    s.pfactor = pfactor_ase * units::kMvv2e;
    return s;
  }
};

class NptAse : public Integrator {
 public:
  // dt in ps. Throws std::invalid_argument on negative ttime/pfactor.
  NptAse(double dt, AseNptSettings settings);

  std::string name() const override { return "npt-ase"; }
  ComputeResult setup(System& s, Potential& p, const StepTargets& t,
                      const ComputeRequest& request) override;
  ComputeResult step(System& s, Potential& p, const StepTargets& t,
                     const ComputeRequest& request) override;
  double reservoir_energy() const override;
  std::vector<double> save_state() const override;
  void load_state(const std::vector<double>& state) override;

  const AseNptSettings& settings() const { return set_; }
  // ASE's get_strain_rate() (1/ps), ζ (1/ps) and ∫ζ dt.
  const Mat3& strain_rate() const { return eta_; }
  double zeta() const { return zeta_; }
  double zeta_integrated() const { return zeta_integrated_; }
  // ASE's stress with the ideal-gas term (eV/Å³, positive in tension) at the
  // current velocities and the virial of the last force call.
  Mat3 stress(const System& s) const;

 private:
  void set_targets(const StepTargets& t, bool force_constants, double det_h);
  void calculate_constants(double det_h);
  Mat3 triangular(const double d[6]) const;
  Mat3 eta_increment(const double deltaeta[6]) const;
  void voigt_stress(const System& s, double out[6]) const;
  void verify_loaded(const System& s) const;

  AseNptSettings set_;
  std::size_t natoms_ = 0;
  bool initialized_ = false;
  bool stepped_ = false;        // velocities come from q (after a step)
  bool loaded_ = false;         // load_state() since the last step
  double time_elapsed_ = 0.0;   // ps
  double temperature_ = 0.0;    // K the constants were computed for
  double tfact_ = 0.0;          // 1/(eV·ps²)
  double desired_ekin_ = 0.0;   // eV
  double pfact_ = 0.0;          // 1/(eV·ps²): 1/(pfactor · det h)
  double ext_[6] = {};          // σ_ext, eV/Å³, Voigt xx yy zz yz xz xy
  Mat3 h_, h_past_, inv_h_;
  Mat3 eta_, eta_past_;
  double zeta_ = 0.0, zeta_past_ = 0.0, zeta_integrated_ = 0.0;
  Mat3 virial_;                 // eV, of the last force call
  DeviceArray<double> q_past_, q_, q_future_;  // 3N blocked SoA each
  DeviceArray<double> scratch_;                // 3N, setup only
};

}  // namespace vitra::integrate
