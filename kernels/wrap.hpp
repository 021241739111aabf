#pragma once
// Periodic wrapping of positions with image counters.
#include "cuda/device_array.hpp"
#include "kernels/system.hpp"

namespace vitra {

// Maps every position into the cell and counts the cell vectors removed in
// s.images, so unwrapped = wrapped + images · h stays unchanged.
void wrap_positions(System& s);
// Writes the unwrapped positions (3N blocked SoA) into out.
void unwrapped_positions(const System& s, DeviceArray<double>& out);

}  // namespace vitra
