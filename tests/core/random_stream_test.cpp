#include "recsys/core/random_stream.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "recsys/core/error.h"

using recsys::RandomStream;
using recsys::StreamKind;

TEST(RandomStream, SameKeySameDrawsDifferentKeyDifferentDraws) {
  RandomStream a(42, StreamKind::User, 7), b(42, StreamKind::User, 7);
  RandomStream c(42, StreamKind::User, 8), d(42, StreamKind::Place, 7), e(43, StreamKind::User, 7);
  int equal_c = 0, equal_d = 0, equal_e = 0;
  for (int i = 0; i < 100; ++i) {
    const uint64_t x = a.next_u64();
    EXPECT_EQ(x, b.next_u64());
    equal_c += x == c.next_u64();
    equal_d += x == d.next_u64();
    equal_e += x == e.next_u64();
  }
  EXPECT_EQ(equal_c + equal_d + equal_e, 0);
}

TEST(RandomStream, UniformMomentsAndRange) {
  RandomStream r(1, StreamKind::Test, 0);
  double sum = 0, sum2 = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    const double u = r.uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
    sum2 += u * u;
  }
  EXPECT_NEAR(sum / n, 0.5, 0.005);
  EXPECT_NEAR(sum2 / n - 0.25, 1.0 / 12, 0.003);
}

TEST(RandomStream, NormalAndGammaMoments) {
  RandomStream r(2, StreamKind::Test, 0);
  const int n = 200000;
  double s = 0, s2 = 0, g = 0, g_small = 0;
  for (int i = 0; i < n; ++i) {
    const double x = r.normal();
    s += x;
    s2 += x * x;
    g += r.gamma(3.0);
    g_small += r.gamma(0.3);
  }
  EXPECT_NEAR(s / n, 0.0, 0.01);
  EXPECT_NEAR(s2 / n, 1.0, 0.02);
  EXPECT_NEAR(g / n, 3.0, 0.03);  // mean of Gamma(k, 1) is k
  EXPECT_NEAR(g_small / n, 0.3, 0.01);
}

TEST(RandomStream, DirichletSumsToOneAndUniformIntIsInRange) {
  RandomStream r(3, StreamKind::Test, 0);
  std::vector<double> alpha(12, 0.3), out(12);
  for (int i = 0; i < 1000; ++i) {
    r.dirichlet(alpha, out);
    EXPECT_NEAR(std::accumulate(out.begin(), out.end(), 0.0), 1.0, 1e-12);
    const int64_t k = r.uniform_int(-3, 5);
    EXPECT_GE(k, -3);
    EXPECT_LE(k, 5);
  }
  auto distinct = r.sample_distinct(10, 10);
  std::sort(distinct.begin(), distinct.end());
  for (int i = 0; i < 10; ++i) EXPECT_EQ(distinct[static_cast<size_t>(i)], i);
  EXPECT_THROW(r.sample_distinct(3, 4), recsys::InvalidArgument);
}

TEST(RandomStream, CategoricalFollowsWeights) {
  RandomStream r(4, StreamKind::Test, 0);
  const std::vector<double> w = {1, 0, 3};
  int counts[3] = {0, 0, 0};
  for (int i = 0; i < 40000; ++i) ++counts[r.categorical(w)];
  EXPECT_EQ(counts[1], 0);
  EXPECT_NEAR(counts[2] / 40000.0, 0.75, 0.01);
}
