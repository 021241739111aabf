#include <gtest/gtest.h>

#include <random>

#include "kernels/box.hpp"
#include "tests/common/random_cells.hpp"

using namespace vitra;

TEST(Box, InverseAndFractionalRoundTrip) {
  std::mt19937_64 rng(std::random_device{}());
  for (int trial = 0; trial < 100; ++trial) {
    const Mat3 h = test::randomly_rotated(rng, test::random_cell(rng, 3.0, 30.0, 0.5));
    const Box box(h);
    const Mat3 I = box.h * box.hinv;
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j) EXPECT_NEAR(I.m[i][j], i == j ? 1.0 : 0.0, 1e-12);
    for (const Vec3& r : test::random_positions(rng, h, 20, 2.0)) {
      const Vec3 back = box.to_cartesian(box.to_fractional(r));
      EXPECT_NEAR(norm(back - r), 0.0, 1e-10 * (1.0 + norm(r)));
    }
  }
}

TEST(Box, VolumeAndFaceDistancesMatchGeometry) {
  std::mt19937_64 rng(std::random_device{}());
  for (int trial = 0; trial < 50; ++trial) {
    const Mat3 h = test::randomly_rotated(rng, test::random_cell(rng, 3.0, 30.0, 0.5));
    const Box box(h);
    const Vec3 a = h.row(0), b = h.row(1), c = h.row(2);
    EXPECT_NEAR(box.volume(), std::fabs(dot(a, cross(b, c))), 1e-9 * box.volume());
    // The face distance along a is the projection of a onto the normal of (b, c).
    const Vec3 nbc = (1.0 / norm(cross(b, c))) * cross(b, c);
    EXPECT_NEAR(box.face_distances().x, std::fabs(dot(a, nbc)), 1e-9);
  }
}

TEST(Box, WrapKeepsUnwrappedPositionAndLandsInCell) {
  std::mt19937_64 rng(std::random_device{}());
  for (int trial = 0; trial < 50; ++trial) {
    const Box box(test::randomly_rotated(rng, test::random_cell(rng, 3.0, 20.0, 0.5)));
    for (const Vec3& r : test::random_positions(rng, box.h, 50, 3.0)) {
      int image[3] = {0, 0, 0};
      const Vec3 w = box.wrap(r, image);
      const Vec3 s = box.to_fractional(w);
      for (int k = 0; k < 3; ++k) {
        EXPECT_GE(s[k], 0.0);
        EXPECT_LT(s[k], 1.0);
      }
      EXPECT_NEAR(norm(w + box.shift(image[0], image[1], image[2]) - r), 0.0, 1e-9);
    }
  }
}

TEST(Box, MinimumImageIsShortestOverBruteForceImages) {
  std::mt19937_64 rng(std::random_device{}());
  for (int trial = 0; trial < 50; ++trial) {
    const Box box(test::randomly_rotated(rng, test::random_cell(rng, 4.0, 15.0, 0.5)));
    for (const Vec3& d : test::random_positions(rng, box.h, 20, 1.0)) {
      double best = 1e300;
      for (int i = -4; i <= 4; ++i)
        for (int j = -4; j <= 4; ++j)
          for (int k = -4; k <= 4; ++k) best = std::min(best, norm(d + box.shift(i, j, k)));
      EXPECT_NEAR(norm(box.minimum_image(d)), best, 1e-9);
    }
  }
}
