#pragma once
// Small float vector helpers shared by the recommender's re-ranking steps.

namespace recsys::recommend {

// Inner product of two float vectors with eight independent partial sums, so the compiler can
// keep them in one SIMD register (a single running sum is not vectorised without -ffast-math).
inline float dot(const float* a, const float* b, int dim) {
  float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int d = 0;
  for (; d + 8 <= dim; d += 8)
    for (int j = 0; j < 8; ++j) acc[j] += a[d + j] * b[d + j];
  float s = 0;
  for (; d < dim; ++d) s += a[d] * b[d];
  for (float x : acc) s += x;
  return s;
}

}  // namespace recsys::recommend
