#include "host/workflow/deform.hpp"

namespace vitra::workflow {

double deform_strain(const StageConfig& st, long long k, double timestep) {
  return st.erate * (static_cast<double>(k) * timestep);
}

Mat3 deformed_cell(const StageConfig& st, const Mat3& h, const Mat3& h0, double strain_k,
                   double strain_k1) {
  Mat3 out = h;
  const double lambda = (1.0 + strain_k1) / (1.0 + strain_k);
  switch (st.mode) {
    case DeformMode::Uniaxial:
      for (int r = 0; r < 3; ++r) out.m[r][st.axis] *= lambda;
      break;
    case DeformMode::Triaxial:
      for (int r = 0; r < 3; ++r)
        for (int c = 0; c < 3; ++c) out.m[r][c] *= lambda;
      break;
    case DeformMode::Shear: {
      // (row, column) of the tilt and the diagonal element it is measured against.
      static constexpr int kTilt[3][3] = {{1, 0, 1}, {2, 0, 2}, {2, 1, 2}};  // xy, xz, yz
      const int* t = kTilt[st.axis];
      out.m[t[0]][t[1]] = h0.m[t[0]][t[1]] + strain_k1 * h0.m[t[2]][t[2]];
      break;
    }
  }
  return out;
}

}  // namespace vitra::workflow
