#include "kernels/deepmd/se_e2_a_generic.hpp"

#include <algorithm>

#include "cuda/for_each.cuh"
#include "kernels/deepmd/env_mat.hpp"

namespace vitra::deepmd {

namespace {

// Normalised row R̂ = (row − davg)/dstd of slot s of a centre of type ti, and
// (when jac is given) d row/d r_ij. Padding: row = 0, so R̂ = −davg/dstd.
template <class T>
VITRA_HD void normalised_row(const SeE2aView<T>& m, int ti, int s, int j, const double* rij, T rr[4],
                             double jac[4][3]) {
  double row[4] = {0.0, 0.0, 0.0, 0.0};
  double dummy[4][3];
  if (j >= 0) env_row(rij, m.rcut, m.rcut_smth, m.protection, row, jac ? jac : dummy);
  const long long base = (static_cast<long long>(ti) * m.nnei + s) * 4;
  for (int k = 0; k < 4; ++k) rr[k] = static_cast<T>((row[k] - m.davg[base + k]) / m.dstd[base + k]);
}

template <class T>
struct DescriptorForward {
  SeE2aView<T> m;
  SelListView list;
  const int* types;
  const int* order;
  std::size_t a0;
  T* scratch;
  long long stride;
  int emb_sum;
  T* tmat;
  T* desc;

  VITRA_HD void operator()(std::size_t li) const {
    const std::size_t i = static_cast<std::size_t>(order[a0 + li]);
    const int ti = types[i];
    T* acc = tmat + li * static_cast<std::size_t>(m.m1) * 4;
    for (int k = 0; k < m.m1 * 4; ++k) acc[k] = T(0);
    T* ys = scratch + li * stride;
    T* dz = ys + emb_sum;
    for (int s = 0; s < m.nnei; ++s) {
      const int tj = m.slot_type[s];
      const std::size_t slot = i * static_cast<std::size_t>(m.nnei) + s;
      const int j = list.index[slot];
      // A neighbor of an excluded type pair is masked to a zero row and adds
      // nothing. Padding is never masked (DeePMD-kit gives it a virtual type
      // outside every excluded pair): it adds G(R̂)ᵀR̂ with R̂ = −davg/dstd.
      if (j >= 0 && !m.pair_on[ti * m.ntypes + tj]) continue;
      const NetRef net = m.embedding[ti * m.ntypes + tj];
      if (net.count == 0) continue;  // an excluded pair's network that was not stored
      T rr[4];
      normalised_row(m, ti, s, j, list.rij + 3 * slot, rr, nullptr);
      const T* g = net_forward(m.layers + net.first, net.count, m.params, rr, ys, dz);
      for (int a = 0; a < m.m1; ++a)
        for (int k = 0; k < 4; ++k) acc[4 * a + k] += g[a] * rr[k];
    }
    const T inv = T(1) / static_cast<T>(m.nnei);
    for (int k = 0; k < m.m1 * 4; ++k) acc[k] *= inv;
    T* d = desc + li * static_cast<std::size_t>(m.m1) * m.m2;
    for (int a = 0; a < m.m1; ++a)
      for (int b = 0; b < m.m2; ++b) {
        T v = T(0);
        for (int k = 0; k < 4; ++k) v += acc[4 * a + k] * acc[4 * b + k];
        d[a * m.m2 + b] = v;
      }
  }
};

template <class T>
struct FittingForwardBackward {
  SeE2aView<T> m;
  const int* types;
  const int* order;
  std::size_t a0;
  T* scratch;
  long long stride;
  int fit_sum;
  int widest;
  const T* desc;
  T* ddesc;
  double* atom_e;

  VITRA_HD void operator()(std::size_t li) const {
    const std::size_t i = static_cast<std::size_t>(order[a0 + li]);
    const int ti = types[i];
    const int nd = m.descriptor_size();
    T* dd = ddesc + li * static_cast<std::size_t>(nd);
    if (!m.atom_on[ti]) {
      atom_e[i] = 0.0;
      for (int k = 0; k < nd; ++k) dd[k] = T(0);
      return;
    }
    T* ys = scratch + li * stride;
    T* dz = ys + fit_sum;
    T* gy = dz + fit_sum;
    T* g2 = gy + widest;
    const NetRef net = m.fitting[ti];
    const T* out = net_forward(m.layers + net.first, net.count, m.params, desc + li * static_cast<std::size_t>(nd),
                               ys, dz);
    atom_e[i] = static_cast<double>(out[0]) + m.energy_bias[ti];
    gy[0] = T(1);
    const T* gx = net_backward(m.layers + net.first, net.count, m.params, dz, gy, g2);
    for (int k = 0; k < nd; ++k) dd[k] = gx[k];
  }
};

template <class T>
struct DescriptorBackward {
  SeE2aView<T> m;
  SelListView list;
  const int* types;
  const int* order;
  std::size_t a0;
  T* scratch;
  long long stride;
  int emb_sum;
  int widest;
  const T* tmat;
  const T* ddesc;
  double* gpair;

  VITRA_HD void operator()(std::size_t li) const {
    const std::size_t i = static_cast<std::size_t>(order[a0 + li]);
    const int ti = types[i];
    const T* acc = tmat + li * static_cast<std::size_t>(m.m1) * 4;
    const T* dd = ddesc + li * static_cast<std::size_t>(m.m1) * m.m2;
    T* ys = scratch + li * stride;
    T* dz = ys + emb_sum;
    T* gy = dz + emb_sum;
    T* g2 = gy + widest;
    T* ds = g2 + widest;  // M1 × 4: dE/dS with S = Σ_s Gᵀ R̂ (T = S / nnei)
    // D[a][b] = Σ_k T[a][k] T[b][k] (b < M2):
    //   dE/dT[a][k] = Σ_b dD[a][b] T[b][k] + [a < M2] Σ_c dD[c][a] T[c][k].
    const T inv = T(1) / static_cast<T>(m.nnei);
    for (int a = 0; a < m.m1; ++a)
      for (int k = 0; k < 4; ++k) {
        T v = T(0);
        for (int b = 0; b < m.m2; ++b) v += dd[a * m.m2 + b] * acc[4 * b + k];
        if (a < m.m2)
          for (int c = 0; c < m.m1; ++c) v += dd[c * m.m2 + a] * acc[4 * c + k];
        ds[4 * a + k] = v * inv;
      }
    for (int s = 0; s < m.nnei; ++s) {
      const std::size_t slot = i * static_cast<std::size_t>(m.nnei) + s;
      double* g = gpair + (li * static_cast<std::size_t>(m.nnei) + s) * 3;
      const int tj = m.slot_type[s];
      const int j = list.index[slot];
      if (j < 0 || !m.pair_on[ti * m.ntypes + tj]) {  // padding and masked rows do not move
        g[0] = g[1] = g[2] = 0.0;
        continue;
      }
      T rr[4];
      double jac[4][3];
      normalised_row(m, ti, s, j, list.rij + 3 * slot, rr, jac);
      const NetRef net = m.embedding[ti * m.ntypes + tj];
      const T* gout = net_forward(m.layers + net.first, net.count, m.params, rr, ys, dz);
      T dr[4] = {T(0), T(0), T(0), T(0)};
      for (int a = 0; a < m.m1; ++a) {
        T v = T(0);
        for (int k = 0; k < 4; ++k) {
          v += ds[4 * a + k] * rr[k];
          dr[k] += gout[a] * ds[4 * a + k];
        }
        gy[a] = v;  // dE/dG[a]; gout lives in ys, not gy
      }
      const T* gs = net_backward(m.layers + net.first, net.count, m.params, dz, gy, g2);
      dr[0] += gs[0];
      const long long base = (static_cast<long long>(ti) * m.nnei + s) * 4;
      for (int c = 0; c < 3; ++c) {
        double v = 0.0;
        for (int k = 0; k < 4; ++k) v += static_cast<double>(dr[k]) / m.dstd[base + k] * jac[k][c];
        g[c] = v;
      }
    }
  }
};

// F_i = −dE/dx_i = +Σ_j g_ij (x_i enters r_ij = x_j − x_i with a minus sign).
// Centre's share of the pair's virial term, component (a, b) = −g_a r_b as
// DeePMD-kit orients it (its sum over pairs is the symmetric virial W).
struct CentreForces {
  int nnei;
  std::size_t n, a0;
  const int* order;
  const double* rij;
  const double* gpair;
  double* f;
  double* atom_w;
  double centre_share;

  VITRA_HD void operator()(std::size_t li) const {
    const std::size_t i = static_cast<std::size_t>(order[a0 + li]);
    double fi[3] = {0.0, 0.0, 0.0};
    double w[9] = {0, 0, 0, 0, 0, 0, 0, 0, 0};
    for (int s = 0; s < nnei; ++s) {
      const double* g = gpair + (li * static_cast<std::size_t>(nnei) + s) * 3;
      const double* r = rij + (i * static_cast<std::size_t>(nnei) + s) * 3;
      for (int a = 0; a < 3; ++a) {
        fi[a] += g[a];
        for (int b = 0; b < 3; ++b) w[3 * a + b] -= g[a] * r[b];
      }
    }
    for (int a = 0; a < 3; ++a) f[a * n + i] += fi[a];
    if (atom_w && centre_share != 0.0)
      for (int c = 0; c < 9; ++c) atom_w[c * n + i] += centre_share * w[c];
  }
};

// Neighbor side: F_j −= g_ij and j's share of the virial term, for slot k of
// the chunk. Add is how a value lands in memory: atomically on the GPU (many
// slots reach the same j at once; the summation order, and so the last bits,
// then vary from run to run), plainly on the CPU.
template <class Add>
struct NeighborForces {
  int nnei;
  std::size_t n, a0;
  const int* order;
  const int* index;
  const double* rij;
  const double* gpair;
  double* f;
  double* atom_w;
  double neighbor_share;
  Add add;

  VITRA_HD void operator()(std::size_t k) const {
    const std::size_t slot = static_cast<std::size_t>(order[a0 + k / nnei]) * nnei + k % nnei;
    const int j = index[slot];
    if (j < 0) return;
    const double* g = gpair + k * 3;
    if (g[0] == 0.0 && g[1] == 0.0 && g[2] == 0.0) return;  // a masked slot
    for (int a = 0; a < 3; ++a) add(f + a * n + j, -g[a]);
    if (atom_w && neighbor_share != 0.0) {
      const double* r = rij + slot * 3;
      for (int a = 0; a < 3; ++a)
        for (int b = 0; b < 3; ++b) add(atom_w + (3 * a + b) * n + j, -neighbor_share * g[a] * r[b]);
    }
  }
};

struct PlainAdd {
  VITRA_HD void operator()(double* p, double v) const { *p += v; }
};

#if defined(__CUDACC__)
struct AtomicAdd {
  VITRA_HD void operator()(double* p, double v) const {
#if defined(__CUDA_ARCH__)
    atomicAdd(p, v);
#else
    *p += v;  // never called on the host (the host loop uses PlainAdd)
#endif
  }
};

template <class F>
__global__ void neighbor_forces_kernel(std::size_t count, F f) {
  const std::size_t k = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (k < count) f(k);
}
#endif

void neighbor_forces(int nnei, std::size_t n, std::size_t a0, std::size_t a1, const int* order, const int* index,
                     const double* rij, const double* gpair, double* f, double* atom_w, double neighbor_share) {
  const std::size_t count = (a1 - a0) * static_cast<std::size_t>(nnei);
  if (count == 0) return;
  if (active_backend() == Backend::Cuda) {
#if defined(__CUDACC__)
    const NeighborForces<AtomicAdd> op{nnei, n, a0, order, index, rij, gpair, f, atom_w, neighbor_share, {}};
    const unsigned blocks = static_cast<unsigned>((count + 255) / 256);
    neighbor_forces_kernel<<<blocks, 256, 0, stream()>>>(count, op);
    VITRA_CUDA_CHECK(cudaGetLastError());
    return;
#else
    throw DeviceError("se_e2_a forces on the CUDA backend from code not compiled by nvcc");
#endif
  }
  // CPU: one thread in slot order, so that results do not depend on the
  // number of threads (and resumed runs repeat bit for bit).
  const NeighborForces<PlainAdd> op{nnei, n, a0, order, index, rij, gpair, f, atom_w, neighbor_share, {}};
  for (std::size_t k = 0; k < count; ++k) op(k);
}

}  // namespace

template <class T>
void SeE2aBuffers<T>::ensure(std::size_t chunk_atoms, const DeviceSeE2a<T>& model, bool with_scratch) {
  const SeE2aModel& m = model.model();
  const NetScratch e = model.embedding_scratch();
  const NetScratch fit = model.fitting_scratch();
  // Backward pass of the descriptor: ys, dz, two gradient rows and dE/dS (M1 × 4).
  const long long emb = e.per_atom() + 4LL * m.m1();
  scratch_stride = std::max<long long>(emb, fit.per_atom());
  const std::size_t nd = static_cast<std::size_t>(m.descriptor_size());
  const bool scratch_ok = !with_scratch || scratch.size() >= chunk_atoms * static_cast<std::size_t>(scratch_stride);
  if (chunk_atoms <= chunk && scratch_ok && gpair.backend() == active_backend() && !gpair.empty()) return;
  chunk = chunk_atoms;
  if (with_scratch) scratch.resize(chunk * static_cast<std::size_t>(scratch_stride));
  tmat.resize(chunk * static_cast<std::size_t>(m.m1()) * 4);
  desc.resize(chunk * nd);
  ddesc.resize(chunk * nd);
  gpair.resize(chunk * static_cast<std::size_t>(m.nnei()) * 3);
}

template <class T>
void se_e2_a_generic(const DeviceSeE2a<T>& model, SelListView list, const int* types, const int* order,
                     std::size_t n, std::size_t a0, std::size_t a1, SeE2aBuffers<T>& buf, const ForceOutputs& out) {
  const std::size_t count = a1 - a0;
  if (count == 0) return;
  const SeE2aView<T> m = model.view();
  const NetScratch e = model.embedding_scratch();
  const NetScratch fit = model.fitting_scratch();
  for_each(count, DescriptorForward<T>{m, list, types, order, a0, buf.scratch.data(), buf.scratch_stride, e.sum_out,
                                       buf.tmat.data(), buf.desc.data()});
  for_each(count, FittingForwardBackward<T>{m, types, order, a0, buf.scratch.data(), buf.scratch_stride, fit.sum_out,
                                            fit.widest, buf.desc.data(), buf.ddesc.data(), out.atom_e});
  for_each(count, DescriptorBackward<T>{m, list, types, order, a0, buf.scratch.data(), buf.scratch_stride, e.sum_out,
                                        e.widest, buf.tmat.data(), buf.ddesc.data(), buf.gpair.data()});
  pair_forces(m.nnei, list, order, n, a0, a1, buf.gpair.data(), out);
}

void pair_forces(int nnei, SelListView list, const int* order, std::size_t n, std::size_t a0, std::size_t a1,
                 const double* gpair, const ForceOutputs& out) {
  const double centre_share = out.split == AtomVirialSplit::Half ? 0.5 : 0.0;
  const double neighbor_share = 1.0 - centre_share;
  for_each(a1 - a0, CentreForces{nnei, n, a0, order, list.rij, gpair, out.f, out.atom_w, centre_share});
  neighbor_forces(nnei, n, a0, a1, order, list.index, list.rij, gpair, out.f, out.atom_w, neighbor_share);
}

template struct SeE2aBuffers<double>;
template struct SeE2aBuffers<float>;
template void se_e2_a_generic<double>(const DeviceSeE2a<double>&, SelListView, const int*, const int*,
                                      std::size_t, std::size_t, std::size_t, SeE2aBuffers<double>&,
                                      const ForceOutputs&);
template void se_e2_a_generic<float>(const DeviceSeE2a<float>&, SelListView, const int*, const int*, std::size_t,
                                     std::size_t, std::size_t, SeE2aBuffers<float>&, const ForceOutputs&);

}  // namespace vitra::deepmd
