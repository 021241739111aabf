#pragma once
// The evaluation loop every pair-additive potential shares: one thread per
// atom walks its full Verlet-list row and accumulates its own force (no
// atomics). With r = r_ij and g = (dE/dr)/|r|, dE/dr_ij = g·r and
// F_i = −dE/dx_i = +g·r (x_i enters r_ij with a minus sign). Each pair sits in
// both rows, so atom i takes half its energy and half its virial −r ⊗ g·r;
// the two opposite images of atom i itself (cells narrower than the cutoff)
// cancel in F_i, as they should. What differs between potentials is the
// per-type-pair term and its evaluation, the template parameters.
//
// Include only from .cu files (it launches through for_each).
#include <cstddef>

#include "cuda/for_each.cuh"
#include "cuda/reduce.cuh"
#include "kernels/neighbor/neighbor_math.hpp"
#include "kernels/pair/pair_math.hpp"
#include "kernels/potential.hpp"
#include "kernels/system.hpp"

namespace vitra::pair {

// Energy and virial summed in one reduction (one device->host copy).
struct EnergyVirial {
  double energy = 0.0;
  double w[9] = {0, 0, 0, 0, 0, 0, 0, 0, 0};
};
VITRA_HD EnergyVirial operator+(const EnergyVirial& a, const EnergyVirial& b) {
  EnergyVirial r;
  r.energy = a.energy + b.energy;
  for (int k = 0; k < 9; ++k) r.w[k] = a.w[k] + b.w[k];
  return r;
}

// The Verlet list as the loop reads it.
struct ListView {
  int capacity;
  const int* neighbors;
  const int* shifts;
  const int* counts;
};

// Term: one per ordered type pair, table[ti * ntypes + tj], with a member
// reach2 (pairs at or beyond it are skipped: skin pairs, non-interacting
// types). Eval: VITRA_HD functor (const Term&, r²) -> PairEval. self_energy
// (per type), atom_e and atom_w may be null.
template <class Term, class Eval>
void full_list_forces(std::size_t n, Mat3 h, int ntypes, const Term* table, Eval eval, const double* self_energy,
                      const double* x, const int* types, ListView list, double* f, double* atom_e,
                      double* atom_w) {
  for_each(n, [=] VITRA_HD_LAMBDA(std::size_t i) {
    const Vec3 xi = load_vec3(x, n, i);
    const Term* terms = table + static_cast<std::size_t>(types[i]) * ntypes;
    const int* row = list.neighbors + i * static_cast<std::size_t>(list.capacity);
    const int* srow = list.shifts + i * static_cast<std::size_t>(list.capacity);
    const int nn = list.counts[i] < list.capacity ? list.counts[i] : list.capacity;
    Vec3 fi{};
    double ei = self_energy ? self_energy[types[i]] : 0.0;
    double wi[9] = {0, 0, 0, 0, 0, 0, 0, 0, 0};
    for (int k = 0; k < nn; ++k) {
      const int j = row[k];
      const Vec3 r = nbr::pair_vector(xi, load_vec3(x, n, j), srow[k], h);
      const double r2 = norm2(r);
      const Term& t = terms[types[j]];
      if (!(r2 < t.reach2)) continue;
      const PairEval e = eval(t, r2);
      const double g = e.de_dr / sqrt(r2);
      fi += g * r;
      ei += 0.5 * e.energy;
      for (int a = 0; a < 3; ++a)
        for (int b = 0; b < 3; ++b) wi[3 * a + b] -= 0.5 * g * r[a] * r[b];
    }
    store_vec3(f, n, i, fi);
    if (atom_e) atom_e[i] = ei;
    if (atom_w)
      for (int c = 0; c < 9; ++c) atom_w[c * n + i] = wi[c];
  });
}

// Atom i's share of the totals (either array may be null: its part stays 0).
// A named functor rather than a lambda: this header is compiled into several
// .cu files, and nvcc's extended lambdas inside an inline function shared by
// translation units get merged by the linker with the wrong bookkeeping.
struct AtomEnergyVirial {
  std::size_t n;
  const double* atom_e;
  const double* atom_w;
  VITRA_HD EnergyVirial operator()(std::size_t i) const {
    EnergyVirial ev;
    if (atom_e) ev.energy = atom_e[i];
    if (atom_w)
      for (int c = 0; c < 9; ++c) ev.w[c] = atom_w[c * n + i];
    return ev;
  }
};

// Totals of the per-atom arrays.
inline EnergyVirial sum_energy_virial(std::size_t n, const double* atom_e, const double* atom_w) {
  return transform_reduce(n, EnergyVirial{}, AtomEnergyVirial{n, atom_e, atom_w}, Plus{});
}

// The per-atom arrays a request needs (sized for n atoms), as the pointers
// the loop writes: null where the request needs none.
struct AtomOutputs {
  double* energy = nullptr;  // N
  double* virial = nullptr;  // 9N blocked
};
inline AtomOutputs atom_outputs(const ComputeRequest& request, std::size_t n, DeviceArray<double>& atom_energy,
                                DeviceArray<double>& atom_virial) {
  AtomOutputs out;
  if (request.energy || request.atom_energy) {
    atom_energy.resize(n);
    out.energy = atom_energy.data();
  }
  if (request.virial || request.atom_virial) {
    atom_virial.resize(9 * n);
    out.virial = atom_virial.data();
  }
  return out;
}

// The totals the request asks for, reduced from the per-atom arrays (no
// reduction, and no copy to the host, when it asks for neither).
inline ComputeResult requested_totals(const ComputeRequest& request, std::size_t n, const AtomOutputs& atoms) {
  ComputeResult result;
  if (!request.energy && !request.virial) return result;
  const EnergyVirial ev =
      sum_energy_virial(n, request.energy ? atoms.energy : nullptr, request.virial ? atoms.virial : nullptr);
  result.energy = ev.energy;
  for (int a = 0; a < 3; ++a)
    for (int b = 0; b < 3; ++b) result.virial.m[a][b] = ev.w[3 * a + b];
  return result;
}

}  // namespace vitra::pair
