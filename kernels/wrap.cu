#include "kernels/wrap.hpp"

#include "cuda/for_each.cuh"

namespace vitra {

void wrap_positions(System& s) {
  const std::size_t n = s.size();
  double* r = s.positions.data();
  int* img = s.images.data();
  const Box box = s.box;
  for_each(n, [=] VITRA_HD_LAMBDA(std::size_t i) {
    int shift[3] = {0, 0, 0};
    const Vec3 w = box.wrap(load_vec3(r, n, i), shift);
    store_vec3(r, n, i, w);
    for (int k = 0; k < 3; ++k) img[i + k * n] += shift[k];
  });
}

void unwrapped_positions(const System& s, DeviceArray<double>& out) {
  const std::size_t n = s.size();
  out.resize(3 * n);
  const double* r = s.positions.data();
  const int* img = s.images.data();
  double* u = out.data();
  const Box box = s.box;
  for_each(n, [=] VITRA_HD_LAMBDA(std::size_t i) {
    store_vec3(u, n, i, load_vec3(r, n, i) + box.shift(img[i], img[i + n], img[i + 2 * n]));
  });
}

}  // namespace vitra
