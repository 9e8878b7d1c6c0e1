// CSR construction and transposition; build-config parsing.
#include "recsys/graph/csr.h"

#include <gtest/gtest.h>

#include "recsys/core/error.h"
#include "recsys/graph/build_config.h"

namespace recsys::graph {
namespace {

TEST(Csr, FromPairsSortsRowsAndColumns) {
  std::vector<int64_t> order;
  Csr c = csr_from_pairs({2, 0, 2, 0, 1}, {1, 3, 0, 2, 2}, 4, 4, &order);
  EXPECT_EQ(c.offsets, (std::vector<int64_t>{0, 2, 3, 5, 5}));
  EXPECT_EQ(c.indices, (std::vector<int32_t>{2, 3, 2, 0, 1}));
  EXPECT_EQ(order, (std::vector<int64_t>{3, 1, 4, 2, 0}));
  EXPECT_THROW(csr_from_pairs({0}, {4}, 4, 4), InvalidArgument);
  EXPECT_THROW(csr_from_pairs({-1}, {0}, 4, 4), InvalidArgument);
}

TEST(Csr, TransposeKeepsForwardPositions) {
  Csr c = csr_from_pairs({0, 0, 1, 2}, {1, 2, 2, 0}, 3, 3);
  TransposedCsr t = transpose(c, 3);
  EXPECT_EQ(t.csr.offsets, (std::vector<int64_t>{0, 1, 2, 4}));
  EXPECT_EQ(t.csr.indices, (std::vector<int32_t>{2, 0, 0, 1}));
  EXPECT_EQ(t.forward_position, (std::vector<int64_t>{3, 0, 1, 2}));
  for (size_t k = 0; k < t.csr.indices.size(); ++k) {
    const auto fwd = static_cast<size_t>(t.forward_position[k]);
    // The forward entry at that position starts at the reverse entry's column.
    EXPECT_GE(fwd, static_cast<size_t>(c.offsets[static_cast<size_t>(t.csr.indices[k])]));
    EXPECT_LT(fwd, static_cast<size_t>(c.offsets[static_cast<size_t>(t.csr.indices[k]) + 1]));
  }
}

TEST(BuildConfig, ParsesCutoffs) {
  EXPECT_EQ(parse_cutoff("1970-01-02"), 86400LL * 1000000);
  EXPECT_EQ(parse_cutoff("2024-03-01T12:30:05Z"), 1709296205LL * 1000000);
  EXPECT_EQ(parse_cutoff("2024-03-01 12:30:05"), 1709296205LL * 1000000);
  EXPECT_EQ(parse_cutoff("123456"), 123456);
  for (const char* bad : {"", "2024-02-30", "2024-1-01", "yesterday", "2024-03-01T25:00:00", "12x"})
    EXPECT_THROW(parse_cutoff(bad), ConfigError) << bad;
}

TEST(BuildConfig, ValidatesParameters) {
  GraphBuildConfig c;
  EXPECT_NO_THROW(c.validate());
  c.test_fraction = 1.2;
  EXPECT_THROW(c.validate(), ConfigError);
  c.test_fraction = 0.5;
  c.val_fraction = 0.5;
  EXPECT_THROW(c.validate(), ConfigError);
  c.val_fraction = 0.1;
  c.split = SplitMode::GlobalTime;
  EXPECT_THROW(c.validate(), ConfigError);  // needs a cutoff
  c.cutoff_us = 5;
  EXPECT_NO_THROW(c.validate());
  c.cold_start_fraction = -0.5;
  EXPECT_THROW(c.validate(), ConfigError);
  EXPECT_EQ(parse_split_mode("global-time"), SplitMode::GlobalTime);
  EXPECT_THROW(parse_split_mode("chronological"), ConfigError);
}

}  // namespace
}  // namespace recsys::graph
