// Item-kNN similarities and scores against a hand computation, popularity order, .npy files.
#include "recsys/model/item_knn.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "recsys/core/error.h"
#include "recsys/eval/popularity_scorer.h"
#include "recsys/model/npy_file.h"

namespace recsys::model {
namespace {

// u0 {0, 1}, u1 {0, 1, 2}, u2 {2, 3}. Users per item: 0 {0,1}, 1 {0,1}, 2 {1,2}, 3 {2}.
// sim(0,1) = 2/sqrt(2*2) = 1, sim(0,2) = sim(1,2) = 1/sqrt(2*2) = 0.5,
// sim(2,3) = 1/sqrt(2*1) = 0.7071, sim(0,3) = sim(1,3) = 0.
eval::UserItemLists hand_lists() {
  return eval::UserItemLists::from_lists({{0, 1}, {0, 1, 2}, {2, 3}});
}

TEST(ItemKnn, SimilaritiesMatchAHandComputation) {
  const auto n = compute_item_neighbours(hand_lists(), 4, 10);
  ASSERT_EQ(n.n_items(), 4);
  auto row = [&](int i) {
    std::vector<std::pair<int32_t, float>> out;
    for (int64_t e = n.offsets[i]; e < n.offsets[i + 1]; ++e)
      out.emplace_back(n.items[e], n.similarities[e]);
    return out;
  };
  const float s2 = static_cast<float>(1 / std::sqrt(2.0));
  ASSERT_EQ(row(0).size(), 2u);
  EXPECT_EQ(row(0)[0].first, 1);
  EXPECT_FLOAT_EQ(row(0)[0].second, 1.0f);
  EXPECT_EQ(row(0)[1].first, 2);
  EXPECT_FLOAT_EQ(row(0)[1].second, 0.5f);
  ASSERT_EQ(row(2).size(), 3u);  // 3 (0.707), then 0 and 1 tied at 0.5: lower id first
  EXPECT_EQ(row(2)[0].first, 3);
  EXPECT_FLOAT_EQ(row(2)[0].second, s2);
  EXPECT_EQ(row(2)[1].first, 0);
  EXPECT_EQ(row(2)[2].first, 1);
  ASSERT_EQ(row(3).size(), 1u);
  EXPECT_EQ(row(3)[0].first, 2);
}

TEST(ItemKnn, KeepsTheTopKAndScoresBySummedSimilarity) {
  const auto lists = hand_lists();
  const auto n = compute_item_neighbours(lists, 4, 2);
  EXPECT_EQ(n.offsets[3] - n.offsets[2], 2);  // item 2 keeps 3 and 0; 1 is cut
  const ItemKnnScorer scorer(n, lists);
  const int32_t users[] = {2, 0};
  std::vector<float> out(8);
  scorer.score(users, 2, out.data());
  // u2 = {2, 3}: item 0 <- sim(2,0) = 0.5; item 1 not among 2's top 2; item 2 <- sim(3,2);
  // item 3 <- sim(2,3).
  const float s2 = static_cast<float>(1 / std::sqrt(2.0));
  EXPECT_FLOAT_EQ(out[0], 0.5f);
  EXPECT_FLOAT_EQ(out[1], 0.0f);
  EXPECT_FLOAT_EQ(out[2], s2);
  EXPECT_FLOAT_EQ(out[3], s2);
  // u0 = {0, 1}: item 0 <- sim(1,0) = 1; item 1 <- sim(0,1) = 1; item 2 <- 0.5 + 0.5.
  EXPECT_FLOAT_EQ(out[4], 1.0f);
  EXPECT_FLOAT_EQ(out[5], 1.0f);
  EXPECT_FLOAT_EQ(out[6], 1.0f);
  EXPECT_FLOAT_EQ(out[7], 0.0f);
}

TEST(ItemKnn, RejectsBadInput) {
  EXPECT_THROW(compute_item_neighbours(hand_lists(), 4, 0), InvalidArgument);
  EXPECT_THROW(compute_item_neighbours(hand_lists(), 3, 5), InvalidArgument);
}

TEST(Popularity, RanksByTrainingDegree) {
  const auto p = eval::PopularityScorer::from_interactions(hand_lists(), 4);
  EXPECT_EQ(p.item_scores(), (std::vector<float>{2, 2, 2, 1}));
}

TEST(NpyFile, RoundTripsAndNumpyReadsIt) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("recsys-npy-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::vector<float> values = {1.5f, -2.0f, 3.25f, 0.0f, 7.0f, 8.0f};
  write_npy(dir / "a.npy", std::span<const float>(values), {2, 3});
  std::vector<int64_t> shape;
  EXPECT_EQ(read_npy_f32(dir / "a.npy", &shape), values);
  EXPECT_EQ(shape, (std::vector<int64_t>{2, 3}));
  const std::vector<int64_t> offsets = {0, 4, 9};
  write_npy(dir / "b.npy", std::span<const int64_t>(offsets), {3});
  EXPECT_EQ(read_npy_i64(dir / "b.npy", &shape), offsets);
  EXPECT_THROW(read_npy_i32(dir / "b.npy", &shape), FormatError);
  const std::string cmd = "/usr/bin/python3 -c \"import numpy as n; a = n.load('" +
                          (dir / "a.npy").string() + "'); b = n.load('" + (dir / "b.npy").string() +
                          "'); assert a.shape == (2, 3) and a[1, 2] == 8 and a.dtype == n.float32; "
                          "assert list(b) == [0, 4, 9]\"";
  EXPECT_EQ(std::system(cmd.c_str()), 0);
  {
    std::ofstream f(dir / "bad.npy");
    f << "not numpy";
  }
  EXPECT_THROW(read_npy(dir / "bad.npy"), FormatError);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace recsys::model
