#pragma once
// Potentials with closed-form answers, for testing integrators and
// minimisers independently of the production potentials. They compute on
// the host (copying positions from the active backend), which is slow and
// fine for tests.
#include <string>
#include <vector>

#include "kernels/potential.hpp"
#include "kernels/system.hpp"

namespace vitra::test {

// Every atom tethered to its own anchor: E = Σ ½ k_t |r_i − a_i|², with k_t
// per type (eV/Å²), r_i unwrapped (positions are never wrapped by it). The
// virial is −Σ (r_i − a_i) ⊗ ∂E/∂r_i (single-body "pairs" with the anchor).
class HarmonicTether : public Potential {
 public:
  HarmonicTether(std::vector<Vec3> anchors, std::vector<double> k_per_type)
      : anchors_(std::move(anchors)), k_(std::move(k_per_type)) {}

  std::string name() const override { return "harmonic-tether"; }
  double cutoff() const override { return 0.0; }

  ComputeResult compute(System& s, const ComputeRequest& request = {}) override {
    ++calls;
    const std::vector<Vec3> r = s.host_positions();
    const std::vector<int> t = s.host_types();
    std::vector<Vec3> f(r.size());
    ComputeResult out;
    std::vector<double> ae(r.size());
    for (std::size_t i = 0; i < r.size(); ++i) {
      const Vec3 d = r[i] - anchors_[i];
      const double k = k_[t[i]];
      f[i] = -k * d;
      ae[i] = 0.5 * k * norm2(d);
      out.energy += ae[i];
      for (int a = 0; a < 3; ++a)
        for (int b = 0; b < 3; ++b) out.virial.m[a][b] -= d[a] * k * d[b];
    }
    std::vector<double> blocked(3 * r.size());
    for (std::size_t i = 0; i < r.size(); ++i)
      for (int k = 0; k < 3; ++k) blocked[i + k * r.size()] = f[i][k];
    s.forces.copy_from_host(blocked);
    if (request.atom_energy) atom_energy_.copy_from_host(ae);
    return out;
  }

  long long calls = 0;

 private:
  std::vector<Vec3> anchors_;
  std::vector<double> k_;
};

}  // namespace vitra::test
