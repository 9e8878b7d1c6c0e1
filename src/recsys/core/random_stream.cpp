#include "recsys/core/random_stream.h"

#include <algorithm>
#include <cmath>

#include "recsys/core/error.h"

namespace recsys {

namespace {
constexpr uint64_t kGolden = 0x9e3779b97f4a7c15ULL;
}

uint64_t mix64(uint64_t x) {
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

RandomStream::RandomStream(uint64_t seed, StreamKind kind, uint64_t id) {
  uint64_t k = mix64(seed + kGolden);
  k = mix64(k ^ (static_cast<uint64_t>(kind) * 0xd1b54a32d192ed03ULL));
  k = mix64(k + id * kGolden + 0x8bb84b93962eacc9ULL);
  key_ = k;
}

uint64_t RandomStream::next_u64() {
  return mix64(key_ + (++counter_) * kGolden);
}

double RandomStream::uniform() {
  return static_cast<double>(next_u64() >> 11) * 0x1.0p-53;
}

int64_t RandomStream::uniform_int(int64_t lo, int64_t hi) {
  if (hi < lo) throw InvalidArgument("uniform_int: empty range");
  const uint64_t range = static_cast<uint64_t>(hi - lo) + 1;
  if (range == 0) return static_cast<int64_t>(next_u64());
  const uint64_t limit = UINT64_MAX - (UINT64_MAX % range);
  uint64_t x;
  do {
    x = next_u64();
  } while (x >= limit);
  return lo + static_cast<int64_t>(x % range);
}

double RandomStream::normal() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_normal_;
  }
  double u, v, s;
  do {
    u = 2.0 * uniform() - 1.0;
    v = 2.0 * uniform() - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  const double f = std::sqrt(-2.0 * std::log(s) / s);
  spare_normal_ = v * f;
  has_spare_ = true;
  return u * f;
}

double RandomStream::lognormal(double log_mean, double log_sd) {
  return std::exp(log_mean + log_sd * normal());
}

double RandomStream::gamma(double shape) {
  if (!(shape > 0.0)) throw InvalidArgument("gamma: shape must be > 0");
  if (shape < 1.0) {
    const double u = std::max(uniform(), 1e-300);
    return gamma(shape + 1.0) * std::pow(u, 1.0 / shape);
  }
  const double d = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  for (;;) {
    double x, v;
    do {
      x = normal();
      v = 1.0 + c * x;
    } while (v <= 0.0);
    v = v * v * v;
    const double u = uniform();
    if (u < 1.0 - 0.0331 * x * x * x * x) return d * v;
    if (std::log(std::max(u, 1e-300)) < 0.5 * x * x + d * (1.0 - v + std::log(v))) return d * v;
  }
}

void RandomStream::dirichlet(std::span<const double> alpha, std::span<double> out) {
  if (alpha.size() != out.size() || alpha.empty())
    throw InvalidArgument("dirichlet: alpha and output sizes differ or are empty");
  double total = 0.0;
  for (size_t i = 0; i < alpha.size(); ++i) {
    out[i] = gamma(alpha[i]);
    total += out[i];
  }
  if (!(total > 0.0)) {
    // All draws underflowed (tiny alphas): put the mass on one component.
    std::fill(out.begin(), out.end(), 0.0);
    out[categorical(alpha)] = 1.0;
    return;
  }
  for (double& x : out) x /= total;
}

size_t RandomStream::categorical(std::span<const double> weights) {
  double total = 0.0;
  for (double w : weights) total += w;
  if (!(total > 0.0)) throw InvalidArgument("categorical: weights sum to zero");
  double r = uniform() * total;
  for (size_t i = 0; i < weights.size(); ++i) {
    r -= weights[i];
    if (r < 0.0) return i;
  }
  for (size_t i = weights.size(); i-- > 0;) {
    if (weights[i] > 0.0) return i;
  }
  return 0;
}

size_t RandomStream::from_cumulative(std::span<const double> cumulative) {
  if (cumulative.empty() || !(cumulative.back() > 0.0))
    throw InvalidArgument("from_cumulative: empty or zero total");
  const double r = uniform() * cumulative.back();
  const auto it = std::upper_bound(cumulative.begin(), cumulative.end(), r);
  const size_t index = static_cast<size_t>(it - cumulative.begin());
  return std::min(index, cumulative.size() - 1);
}

std::vector<int32_t> RandomStream::sample_distinct(int32_t n, int32_t k) {
  if (k > n || k < 0) throw InvalidArgument("sample_distinct: k must be in [0, n]");
  std::vector<int32_t> out;
  out.reserve(static_cast<size_t>(k));
  if (static_cast<int64_t>(k) * 4 < n) {
    while (static_cast<int32_t>(out.size()) < k) {
      const auto x = static_cast<int32_t>(uniform_int(0, n - 1));
      if (std::find(out.begin(), out.end(), x) == out.end()) out.push_back(x);
    }
    return out;
  }
  std::vector<int32_t> all(static_cast<size_t>(n));
  for (int32_t i = 0; i < n; ++i) all[static_cast<size_t>(i)] = i;
  for (int32_t i = 0; i < k; ++i) {
    const auto j = static_cast<size_t>(uniform_int(i, n - 1));
    std::swap(all[static_cast<size_t>(i)], all[j]);
    out.push_back(all[static_cast<size_t>(i)]);
  }
  return out;
}

}  // namespace recsys
