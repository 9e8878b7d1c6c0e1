#pragma once
// Counter-based random streams. Every entity gets its own stream derived from
// (seed, kind, id), so what an entity draws never depends on threads, on the
// order entities are generated in, or on which shard generates it. The
// generator is SplitMix64 used in counter mode: output i of a stream is a
// strong 64-bit mix of (key + i * golden ratio), with key = hash(seed, kind, id).
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace recsys {

// What a stream is for; part of the key so two kinds never share draws.
enum class StreamKind : uint64_t {
  City = 1,
  Neighborhood = 2,
  Place = 3,
  User = 4,
  Interaction = 5,
  SocialEdge = 6,
  FriendLabel = 7,
  Validation = 8,
  Test = 9,
};

// The SplitMix64 finaliser: a bijective 64-bit mix.
uint64_t mix64(uint64_t x);

class RandomStream {
 public:
  RandomStream(uint64_t seed, StreamKind kind, uint64_t id);

  uint64_t next_u64();
  // Uniform in [0, 1) with 53 random bits.
  double uniform();
  // Uniform in [lo, hi).
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  // Uniform integer in [lo, hi] (inclusive), unbiased.
  int64_t uniform_int(int64_t lo, int64_t hi);
  bool bernoulli(double p) { return uniform() < p; }
  // Standard normal (Marsaglia polar method, the spare value is kept).
  double normal();
  double normal(double mean, double sd) { return mean + sd * normal(); }
  double lognormal(double log_mean, double log_sd);
  // Gamma(shape, 1) (Marsaglia-Tsang; shape < 1 by the boost u^(1/shape)).
  double gamma(double shape);
  // Dirichlet(alpha): fills `out` (same length as alpha), sums to 1.
  void dirichlet(std::span<const double> alpha, std::span<double> out);
  // Index drawn with probability proportional to weights (non-negative, not all zero).
  size_t categorical(std::span<const double> weights);
  // Index drawn from an inclusive prefix sum (cumulative.back() = total mass).
  size_t from_cumulative(std::span<const double> cumulative);
  // k distinct values from [0, n) in the order drawn (k <= n).
  std::vector<int32_t> sample_distinct(int32_t n, int32_t k);

 private:
  uint64_t key_;
  uint64_t counter_ = 0;
  double spare_normal_ = 0.0;
  bool has_spare_ = false;
};

}  // namespace recsys
