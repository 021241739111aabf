#include "kernels/deepmd/se_e2_a_fused.hpp"

#include <algorithm>
#include <vector>

#include "cuda/backend.hpp"
#include "cuda/check.hpp"
#include "kernels/deepmd/env_mat.hpp"
#if defined(__CUDACC__)
#include "cuda/stream.hpp"
#endif

namespace vitra::deepmd {

namespace {

constexpr int kBlockThreads = 128;
constexpr std::size_t kSharedBudget = 40 * 1024;  // bytes per block, under the 48 KiB default
constexpr int kMaxTile = 32;

VITRA_HD void block_sync() {
#if defined(__CUDA_ARCH__)
  __syncthreads();
#endif
}

// Shared-memory layout of one block (a tile of `tile` slots).
struct TileLayout {
  int tile = 1;
  int sum_out = 0, widest = 0, m1 = 0;
  // Offsets in units of T after the double-precision part (jac: tile × 12).
  std::size_t rr = 0, ys = 0, dz = 0, ga = 0, gb = 0, dr = 0, mat = 0, total = 0;

  template <class T>
  static TileLayout make(const NetScratch& e, int m1) {
    TileLayout l;
    l.sum_out = e.sum_out;
    l.widest = std::max(e.widest, m1);
    l.m1 = m1;
    const std::size_t fixed = sizeof(T) * 4 * static_cast<std::size_t>(m1);
    const std::size_t per_slot = sizeof(double) * 12 + sizeof(T) * (8 + 2 * l.sum_out + 2 * l.widest);
    const std::size_t room = kSharedBudget > fixed ? kSharedBudget - fixed : 0;
    l.tile = static_cast<int>(std::clamp<std::size_t>(room / per_slot, 1, kMaxTile));
    const std::size_t ts = l.tile;
    l.rr = 0;
    l.ys = l.rr + 4 * ts;
    l.dz = l.ys + ts * l.sum_out;
    l.ga = l.dz + ts * l.sum_out;
    l.gb = l.ga + ts * l.widest;
    l.dr = l.gb + ts * l.widest;
    l.mat = l.dr + 4 * ts;
    l.total = l.mat + 4 * static_cast<std::size_t>(m1);
    return l;
  }
  template <class T>
  std::size_t bytes() const {
    return sizeof(double) * 12 * static_cast<std::size_t>(tile) + sizeof(T) * total;
  }
};

template <class T>
struct FusedArgs {
  SeE2aView<T> m;
  SelListView list;
  const int* types;
  const int* order;
  std::size_t a0;
  TileLayout lay;
  T* tmat;
  const T* tmat_in;
  T* desc;
  const T* ddesc;
  double* gpair;
};

// One layer over a tile: y[s][o] = act(x[s]·W + b)[o] ⊙ idt (+ shortcut), and
// the slope into d when given. Rows of x, y and d are `xs`, `ys` apart.
template <class T>
VITRA_HD void tile_layer_forward(const LayerDesc& L, const T* p, const T* x, int xs, T* y, T* d, int ys, int ts,
                                 int tid, int nt) {
  const T* w = p + L.w;
  for (int idx = tid; idx < ts * L.out; idx += nt) {
    const int s = idx / L.out;
    const int o = idx % L.out;
    const T* xr = x + s * xs;
    T z = layer_bias(L, p, o);
    for (int k = 0; k < L.in; ++k) z += xr[k] * w[k * L.out + o];
    T slope;
    y[s * ys + o] = layer_output(L, p, xr, o, z, &slope);
    if (d) d[s * ys + o] = slope;
  }
}

// gx[s][i] = Σ_o gy[s][o]·d[s][o]·W[i][o] (+ shortcut terms of gy).
template <class T>
VITRA_HD void tile_layer_backward(const LayerDesc& L, const T* p, const T* gy, int gys, const T* d, int ds, T* gx,
                                  int gxs, int ts, int tid, int nt) {
  for (int idx = tid; idx < ts * L.in; idx += nt) {
    const int s = idx / L.in;
    const int i = idx % L.in;
    gx[s * gxs + i] = layer_input_gradient(L, p, gy + s * gys, d + s * ds, i);
  }
}

// Runs the embedding net over a tile whose rows R̂ are in rr (stride 4);
// returns the last layer's outputs (row stride sum_out) inside ys.
template <class T>
VITRA_HD const T* tile_embedding_forward(const SeE2aView<T>& m, NetRef net, const T* rr, T* ys, T* dz, int sum_out,
                                         int ts, int tid, int nt) {
  const T* x = rr;
  int xs = 4;
  int off = 0;
  for (int l = 0; l < net.count; ++l) {
    const LayerDesc L = m.layers[net.first + l];
    tile_layer_forward(L, m.params, x, xs, ys + off, dz ? dz + off : nullptr, sum_out, ts, tid, nt);
    block_sync();
    x = ys + off;
    xs = sum_out;
    off += L.out;
  }
  return x;
}

// Neighbors (not padding) at the head of type block t of atom i's row.
VITRA_HD int block_neighbors(const int* index_row, int off, int sel) {
  int c = 0;
  while (c < sel && index_row[off + c] >= 0) ++c;
  return c;
}

template <class T>
VITRA_HD void forward_atom(const FusedArgs<T>& a, std::size_t li, int tid, int nt, unsigned char* smem) {
  const SeE2aView<T>& m = a.m;
  const TileLayout& lay = a.lay;
  const int ts_max = lay.tile;
  T* sm = reinterpret_cast<T*>(smem + sizeof(double) * 12 * ts_max);
  T* rr = sm + lay.rr;
  T* ys = sm + lay.ys;
  T* acc = sm + lay.mat;
  const std::size_t i = static_cast<std::size_t>(a.order[a.a0 + li]);
  const int ti = a.types[i];
  const int* row = a.list.index + i * static_cast<std::size_t>(m.nnei);
  const double* rij = a.list.rij + i * static_cast<std::size_t>(m.nnei) * 3;
  const int mk = m.m1 * 4;
  for (int idx = tid; idx < mk; idx += nt) acc[idx] = T(0);
  block_sync();
  for (int tj = 0; tj < m.ntypes; ++tj) {
    const NetRef net = m.embedding[ti * m.ntypes + tj];
    if (net.count == 0) continue;
    const int off = m.type_offset[tj];
    const int sel = m.type_offset[tj + 1] - off;
    const int c = block_neighbors(row, off, sel);
    if (m.pair_on[ti * m.ntypes + tj]) {
      for (int t0 = 0; t0 < c; t0 += ts_max) {
        const int ts = c - t0 < ts_max ? c - t0 : ts_max;
        for (int s = tid; s < ts; s += nt) {
          const int slot = off + t0 + s;
          double r[4], jac[4][3];
          env_row(rij + 3 * slot, m.rcut, m.rcut_smth, m.protection, r, jac);
          const long long base = (static_cast<long long>(ti) * m.nnei + slot) * 4;
          for (int k = 0; k < 4; ++k) rr[4 * s + k] = static_cast<T>((r[k] - m.davg[base + k]) / m.dstd[base + k]);
        }
        block_sync();
        const T* g = tile_embedding_forward(m, net, rr, ys, static_cast<T*>(nullptr), lay.sum_out, ts, tid, nt);
        for (int idx = tid; idx < mk; idx += nt) {
          const int aa = idx / 4, k = idx % 4;
          T v = T(0);
          for (int s = 0; s < ts; ++s) v += g[s * lay.sum_out + aa] * rr[4 * s + k];
          acc[idx] += v;
        }
        block_sync();
      }
    }
    // Padding (never masked): the precomputed sum over slots off + c ...
    const T* pad = m.padding_sums + ((static_cast<std::size_t>(ti) * (m.nnei + m.ntypes)) + off + tj + c) * mk;
    for (int idx = tid; idx < mk; idx += nt) acc[idx] += pad[idx];
    block_sync();
  }
  const T inv = T(1) / static_cast<T>(m.nnei);
  T* tm = a.tmat + li * static_cast<std::size_t>(mk);
  for (int idx = tid; idx < mk; idx += nt) {
    acc[idx] *= inv;
    tm[idx] = acc[idx];
  }
  block_sync();
  T* d = a.desc + li * static_cast<std::size_t>(m.m1) * m.m2;
  for (int idx = tid; idx < m.m1 * m.m2; idx += nt) {
    const int aa = idx / m.m2, b = idx % m.m2;
    T v = T(0);
    for (int k = 0; k < 4; ++k) v += acc[4 * aa + k] * acc[4 * b + k];
    d[idx] = v;
  }
}

template <class T>
VITRA_HD void backward_atom(const FusedArgs<T>& a, std::size_t li, int tid, int nt, unsigned char* smem) {
  const SeE2aView<T>& m = a.m;
  const TileLayout& lay = a.lay;
  const int ts_max = lay.tile;
  double* jac = reinterpret_cast<double*>(smem);  // tile × 12
  T* sm = reinterpret_cast<T*>(smem + sizeof(double) * 12 * ts_max);
  T* rr = sm + lay.rr;
  T* ys = sm + lay.ys;
  T* dz = sm + lay.dz;
  T* ga = sm + lay.ga;
  T* gb = sm + lay.gb;
  T* dr = sm + lay.dr;
  T* ds = sm + lay.mat;  // dE/dS, S = Σ_s Gᵀ R̂ = nnei · T
  const std::size_t i = static_cast<std::size_t>(a.order[a.a0 + li]);
  const int ti = a.types[i];
  const int* row = a.list.index + i * static_cast<std::size_t>(m.nnei);
  const double* rij = a.list.rij + i * static_cast<std::size_t>(m.nnei) * 3;
  const T* acc = a.tmat_in + li * static_cast<std::size_t>(m.m1) * 4;
  const T* dd = a.ddesc + li * static_cast<std::size_t>(m.m1) * m.m2;
  double* gp = a.gpair + li * static_cast<std::size_t>(m.nnei) * 3;
  const T inv = T(1) / static_cast<T>(m.nnei);
  for (int idx = tid; idx < m.m1 * 4; idx += nt) {
    const int aa = idx / 4, k = idx % 4;
    T v = T(0);
    for (int b = 0; b < m.m2; ++b) v += dd[aa * m.m2 + b] * acc[4 * b + k];
    if (aa < m.m2)
      for (int c = 0; c < m.m1; ++c) v += dd[c * m.m2 + aa] * acc[4 * c + k];
    ds[idx] = v * inv;
  }
  for (int idx = tid; idx < m.nnei * 3; idx += nt) gp[idx] = 0.0;
  block_sync();
  for (int tj = 0; tj < m.ntypes; ++tj) {
    const NetRef net = m.embedding[ti * m.ntypes + tj];
    if (net.count == 0 || !m.pair_on[ti * m.ntypes + tj]) continue;  // padding has no gradient
    const int off = m.type_offset[tj];
    const int c = block_neighbors(row, off, m.type_offset[tj + 1] - off);
    for (int t0 = 0; t0 < c; t0 += ts_max) {
      const int ts = c - t0 < ts_max ? c - t0 : ts_max;
      for (int s = tid; s < ts; s += nt) {
        const int slot = off + t0 + s;
        double r[4], jm[4][3];
        env_row(rij + 3 * slot, m.rcut, m.rcut_smth, m.protection, r, jm);
        const long long base = (static_cast<long long>(ti) * m.nnei + slot) * 4;
        for (int k = 0; k < 4; ++k) {
          rr[4 * s + k] = static_cast<T>((r[k] - m.davg[base + k]) / m.dstd[base + k]);
          for (int c3 = 0; c3 < 3; ++c3) jac[12 * s + 3 * k + c3] = jm[k][c3] / m.dstd[base + k];
        }
      }
      block_sync();
      const T* g = tile_embedding_forward(m, net, rr, ys, dz, lay.sum_out, ts, tid, nt);
      // dE/dG[s][a] = Σ_k dS[a][k] R̂[s][k];  dE/dR̂[s][k] = Σ_a G[s][a] dS[a][k].
      for (int idx = tid; idx < ts * m.m1; idx += nt) {
        const int s = idx / m.m1, aa = idx % m.m1;
        T v = T(0);
        for (int k = 0; k < 4; ++k) v += ds[4 * aa + k] * rr[4 * s + k];
        ga[s * lay.widest + aa] = v;
      }
      for (int idx = tid; idx < ts * 4; idx += nt) {
        const int s = idx / 4, k = idx % 4;
        T v = T(0);
        for (int aa = 0; aa < m.m1; ++aa) v += g[s * lay.sum_out + aa] * ds[4 * aa + k];
        dr[idx] = v;
      }
      block_sync();
      // Back through the layers: layer l's slopes sit at dz + Σ_{k<l} out_k.
      int off_l = 0;
      for (int l = 0; l < net.count; ++l) off_l += m.layers[net.first + l].out;
      T* gin = ga;
      T* gout = gb;
      for (int l = net.count - 1; l >= 0; --l) {
        const LayerDesc L = m.layers[net.first + l];
        off_l -= L.out;
        tile_layer_backward(L, m.params, gin, lay.widest, dz + off_l, lay.sum_out, gout, lay.widest, ts, tid, nt);
        block_sync();
        T* t = gin;
        gin = gout;
        gout = t;
      }
      for (int s = tid; s < ts; s += nt) {
        T d0 = dr[4 * s] + gin[s * lay.widest];  // + dE/ds through the net's input
        const T dk[4] = {d0, dr[4 * s + 1], dr[4 * s + 2], dr[4 * s + 3]};
        double* out = gp + static_cast<std::size_t>(off + t0 + s) * 3;
        for (int c3 = 0; c3 < 3; ++c3) {
          double v = 0.0;
          for (int k = 0; k < 4; ++k) v += static_cast<double>(dk[k]) * jac[12 * s + 3 * k + c3];
          out[c3] = v;
        }
      }
      block_sync();
    }
  }
}

#if defined(__CUDACC__)
template <class T>
__global__ void __launch_bounds__(kBlockThreads) forward_kernel(FusedArgs<T> a) {
  extern __shared__ __align__(16) unsigned char smem[];
  forward_atom(a, blockIdx.x, threadIdx.x, blockDim.x, smem);
}
template <class T>
__global__ void __launch_bounds__(kBlockThreads) backward_kernel(FusedArgs<T> a) {
  extern __shared__ __align__(16) unsigned char smem[];
  backward_atom(a, blockIdx.x, threadIdx.x, blockDim.x, smem);
}
#endif

// Runs f(args, atom, 0, 1, scratch) for every atom on host threads, each
// with its own "shared memory".
template <class T, class F>
void run_on_host(const FusedArgs<T>& args, std::size_t count, F f) {
  const std::size_t bytes = args.lay.template bytes<T>();
  const long long n = static_cast<long long>(count);
#pragma omp parallel
  {
    std::vector<double> scratch((bytes + sizeof(double) - 1) / sizeof(double));
#pragma omp for schedule(static)
    for (long long li = 0; li < n; ++li)
      f(args, static_cast<std::size_t>(li), 0, 1, reinterpret_cast<unsigned char*>(scratch.data()));
  }
}

template <class T>
FusedArgs<T> make_args(const DeviceSeE2a<T>& model, SelListView list, const int* types, const int* order,
                       std::size_t a0) {
  FusedArgs<T> a{};
  a.m = model.view();
  a.list = list;
  a.types = types;
  a.order = order;
  a.a0 = a0;
  a.lay = TileLayout::make<T>(model.embedding_scratch(), model.model().m1());
  return a;
}

template <class T>
struct ForwardAtom {
  VITRA_HD void operator()(const FusedArgs<T>& a, std::size_t li, int tid, int nt, unsigned char* s) const {
    forward_atom(a, li, tid, nt, s);
  }
};
template <class T>
struct BackwardAtom {
  VITRA_HD void operator()(const FusedArgs<T>& a, std::size_t li, int tid, int nt, unsigned char* s) const {
    backward_atom(a, li, tid, nt, s);
  }
};

}  // namespace

template <class T>
void fused_descriptor_forward(const DeviceSeE2a<T>& model, SelListView list, const int* types, const int* order,
                              std::size_t a0, std::size_t count, T* tmat, T* desc) {
  if (count == 0) return;
  FusedArgs<T> a = make_args(model, list, types, order, a0);
  a.tmat = tmat;
  a.desc = desc;
  if (active_backend() == Backend::Cuda) {
#if defined(__CUDACC__)
    forward_kernel<T><<<static_cast<unsigned>(count), kBlockThreads, a.lay.template bytes<T>(), stream()>>>(a);
    VITRA_CUDA_CHECK(cudaGetLastError());
    return;
#else
    throw DeviceError("se_e2_a fused kernels on the CUDA backend from code not compiled by nvcc");
#endif
  }
  run_on_host(a, count, ForwardAtom<T>{});
}

template <class T>
void fused_descriptor_backward(const DeviceSeE2a<T>& model, SelListView list, const int* types, const int* order,
                               std::size_t a0, std::size_t count, const T* tmat, const T* ddesc, double* gpair) {
  if (count == 0) return;
  FusedArgs<T> a = make_args(model, list, types, order, a0);
  a.tmat_in = tmat;
  a.ddesc = ddesc;
  a.gpair = gpair;
  if (active_backend() == Backend::Cuda) {
#if defined(__CUDACC__)
    backward_kernel<T><<<static_cast<unsigned>(count), kBlockThreads, a.lay.template bytes<T>(), stream()>>>(a);
    VITRA_CUDA_CHECK(cudaGetLastError());
    return;
#else
    throw DeviceError("se_e2_a fused kernels on the CUDA backend from code not compiled by nvcc");
#endif
  }
  run_on_host(a, count, BackwardAtom<T>{});
}

template void fused_descriptor_forward<double>(const DeviceSeE2a<double>&, SelListView, const int*, const int*,
                                               std::size_t, std::size_t, double*, double*);
template void fused_descriptor_forward<float>(const DeviceSeE2a<float>&, SelListView, const int*, const int*,
                                              std::size_t, std::size_t, float*, float*);
template void fused_descriptor_backward<double>(const DeviceSeE2a<double>&, SelListView, const int*, const int*,
                                                std::size_t, std::size_t, const double*, const double*, double*);
template void fused_descriptor_backward<float>(const DeviceSeE2a<float>&, SelListView, const int*, const int*,
                                               std::size_t, std::size_t, const float*, const float*, double*);

}  // namespace vitra::deepmd
