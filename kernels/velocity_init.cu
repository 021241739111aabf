#include "kernels/velocity_init.hpp"

#include <Random123/boxmuller.hpp>
#include <Random123/philox.h>
#include <Random123/uniform.hpp>
#include <cmath>

#include "cuda/for_each.cuh"
#include "kernels/kinetic.hpp"
#include "kernels/units.hpp"

namespace vitra {

namespace {
// Stream id so that velocity draws never share counters with other users of
// the same seed (thermostats, builders).
constexpr std::uint32_t kVelocityStream = 0x76656c6fu;  // "velo"

VITRA_HD std::uint64_t join(std::uint32_t lo, std::uint32_t hi) {
  return static_cast<std::uint64_t>(lo) | (static_cast<std::uint64_t>(hi) << 32);
}

// Three standard normal numbers for atom i (two Philox blocks, Box–Muller on
// 64-bit uniforms for double precision).
VITRA_HD Vec3 gaussian3(std::uint64_t seed, std::uint32_t i) {
  r123::Philox4x32 rng;
  const r123::Philox4x32::key_type key = {{static_cast<std::uint32_t>(seed),
                                           static_cast<std::uint32_t>(seed >> 32)}};
  const r123::Philox4x32::ctr_type r0 = rng({{i, kVelocityStream, 0u, 0u}}, key);
  const r123::Philox4x32::ctr_type r1 = rng({{i, kVelocityStream, 1u, 0u}}, key);
  const r123::double2 g01 = r123::boxmuller(join(r0.v[0], r0.v[1]), join(r0.v[2], r0.v[3]));
  const r123::double2 g2 = r123::boxmuller(join(r1.v[0], r1.v[1]), join(r1.v[2], r1.v[3]));
  return {g01.x, g01.y, g2.x};
}
}  // namespace

void maxwell_boltzmann(System& s, const VelocityInit& opt) {
  const std::size_t n = s.size();
  if (n == 0) return;
  double* v = s.velocities.data();
  const double* m = s.masses.data();
  const std::uint64_t seed = opt.seed;
  const double kT = units::kBoltzmann * opt.temperature / units::kMvv2e;  // amu·Å²/ps²
  for_each(n, [=] VITRA_HD_LAMBDA(std::size_t i) {
    const double sigma = sqrt(kT / m[i]);
    store_vec3(v, n, i, sigma * gaussian3(seed, static_cast<std::uint32_t>(i)));
  });
  if (opt.zero_com) remove_com_momentum(s);
  if (opt.exact_temperature && opt.temperature > 0.0) {
    const double t = temperature(s, opt.zero_com);
    if (t > 0.0) scale_velocities(s, std::sqrt(opt.temperature / t));
  }
}

}  // namespace vitra
