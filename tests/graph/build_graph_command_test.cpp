// `recsys build-graph` through the program, on a small generated synthetic data set.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "../common/cli_run.h"
#include "graph_tables.h"
#include "recsys/graph/graph_artifact.h"

namespace fs = std::filesystem;

namespace recsys::graph {
namespace {

const fs::path& scratch() {
  static const fs::path dir = testing::fresh_dir("command");
  return dir;
}

int run(const std::string& args) {
  return recsys::testing::run_recsys(args, scratch());
}

std::string read(const fs::path& p) {
  return recsys::testing::read_text(p);
}

const fs::path& synthetic_data() {
  static const fs::path dir = [] {
    const fs::path d = scratch() / "data";
    const int rc = run("generate --output-dir " + d.string() +
                       " --n-users 400 --n-places 300 --n-cities 4 -q");
    EXPECT_EQ(rc, 0) << read(scratch() / "log.err");
    return d;
  }();
  return dir;
}

TEST(BuildGraphCommand, BuildsAFullGraphFromSyntheticData) {
  const fs::path out = scratch() / "graph";
  ASSERT_EQ(run("build-graph --data " + synthetic_data().string() + " --output " + out.string() +
                " --quiet"),
            0)
      << read(scratch() / "log.err");
  const std::string summary = read(scratch() / "log.out");
  EXPECT_NE(summary.find("user_place.train"), std::string::npos) << summary;
  EXPECT_NE(summary.find("split temporal"), std::string::npos) << summary;

  auto g = GraphArtifact::open(out);
  EXPECT_EQ(g.n_users(), 400);
  EXPECT_EQ(g.n_places(), 300);
  for (const char* rel : {"user_place.train", "place_user.train", "user_place.valid",
                          "user_place.test", "user_user.train", "user_user.test", "place_tag",
                          "tag_place", "place_category", "place_neighborhood", "user_neighborhood"})
    EXPECT_TRUE(g.has_relation(rel)) << rel;
  std::set<std::string> user_blocks, place_blocks;
  for (const auto& b : g.manifest()["features"]["user"]["blocks"]) user_blocks.insert(b["name"]);
  for (const auto& b : g.manifest()["features"]["place"]["blocks"]) place_blocks.insert(b["name"]);
  for (const char* b : {"category_pref", "tag_pref", "vibe", "like_rate", "train_log_degree"})
    EXPECT_TRUE(user_blocks.count(b)) << b;
  for (const char* b :
       {"category", "tag_vector", "price_band", "time_slot", "lat", "train_log_popularity"})
    EXPECT_TRUE(place_blocks.count(b)) << b;
  EXPECT_TRUE(g.manifest()["absent_inputs"].empty()) << g.manifest()["absent_inputs"].dump();
  EXPECT_TRUE(g.has("friend_labels.split"));

  // No test pair in the message-passing graph; cold-start users have no training edges.
  const auto train = g.relation("user_place.train");
  const auto test = g.relation("user_place.test");
  const auto cold = g.array<uint8_t>("user.cold_start");
  int64_t n_cold = 0;
  for (int64_t u = 0; u < g.n_users(); ++u) {
    const auto tr = train.row(u);
    const std::set<int32_t> train_places(tr.begin(), tr.end());
    for (int32_t p : test.row(u)) EXPECT_FALSE(train_places.count(p)) << u << " " << p;
    if (cold[static_cast<size_t>(u)]) {
      ++n_cold;
      EXPECT_TRUE(tr.empty());
      EXPECT_FALSE(test.row(u).empty());
    }
  }
  EXPECT_GT(n_cold, 0);
  EXPECT_EQ(g.manifest()["counts"]["cold_start_users"].get<int64_t>(), n_cold);
}

TEST(BuildGraphCommand, ReadsTheServersEventsLog) {
  // A graph without events picks a user and a place they never saw; an early "like" event of
  // that pair must then land in the user's training places.
  const fs::path before = scratch() / "graph-before-events";
  ASSERT_EQ(run("build-graph --data " + synthetic_data().string() + " --output " + before.string() + " -q"), 0)
      << read(scratch() / "log.err");
  int64_t user = -1, place = -1;
  {
    auto g = GraphArtifact::open(before);
    const auto cold = g.array<uint8_t>("user.cold_start");
    for (int64_t u = 0; u < g.n_users() && user < 0; ++u) {
      if (cold[static_cast<size_t>(u)]) continue;
      std::set<int32_t> seen;
      for (const char* rel : {"user_place.train", "user_place.valid", "user_place.test"})
        for (int32_t p : g.relation(rel).row(u)) seen.insert(p);
      for (int32_t p = 0; p < g.n_places(); ++p)
        if (!seen.count(p)) {
          user = g.array<int32_t>("user.ids")[static_cast<size_t>(u)];
          place = g.array<int32_t>("place.ids")[static_cast<size_t>(p)];
          break;
        }
    }
  }
  ASSERT_GE(user, 0);
  const fs::path log = scratch() / "events.jsonl";
  std::ofstream(log) << "{\"user_id\": " << user << ", \"place_id\": " << place
                     << ", \"type\": \"like\", \"timestamp\": 1}\n"
                     << R"({"user_id": 987654, "place_id": 0, "type": "view", "timestamp": 2})" << "\n";
  const fs::path out = scratch() / "graph-events";
  ASSERT_EQ(run("build-graph --data " + synthetic_data().string() + " --output " + out.string() + " -q --events " +
                log.string()),
            0)
      << read(scratch() / "log.err");
  auto g = GraphArtifact::open(out);
  const auto& merged = g.manifest()["inputs"]["events"][fs::absolute(log).string()];
  EXPECT_EQ(merged["appended"], 1);
  EXPECT_EQ(merged["skipped_unknown_user"], 1);
  const auto ids = g.array<int32_t>("user.ids");
  const int64_t u = std::lower_bound(ids.begin(), ids.end(), static_cast<int32_t>(user)) - ids.begin();
  const auto pids = g.array<int32_t>("place.ids");
  const int32_t p = static_cast<int32_t>(std::lower_bound(pids.begin(), pids.end(), static_cast<int32_t>(place)) - pids.begin());
  const auto train = g.relation("user_place.train").row(u);
  EXPECT_NE(std::find(train.begin(), train.end(), p), train.end());

  EXPECT_EQ(run("build-graph --data " + synthetic_data().string() + " --output " + (scratch() / "g-missing").string() +
                " -q --events " + (scratch() / "no-such-events.jsonl").string()),
            1);
  EXPECT_NE(read(scratch() / "log.err").find("no-such-events.jsonl"), std::string::npos);
  EXPECT_FALSE(fs::exists(scratch() / "g-missing"));
}

TEST(BuildGraphCommand, RejectsBadInputWithAClearError) {
  const fs::path empty = scratch() / "empty";
  fs::create_directories(empty);
  EXPECT_EQ(
      run("build-graph --data " + empty.string() + " --output " + (scratch() / "g1").string()), 1);
  EXPECT_NE(read(scratch() / "log.err").find("interactions.parquet"), std::string::npos)
      << read(scratch() / "log.err");
  EXPECT_FALSE(fs::exists(scratch() / "g1"));
  EXPECT_EQ(run("build-graph --data " + synthetic_data().string() + " --output " +
                (scratch() / "g2").string() + " --split global-time"),
            1);
  EXPECT_NE(read(scratch() / "log.err").find("--cutoff"), std::string::npos)
      << read(scratch() / "log.err");
  EXPECT_EQ(run("build-graph --data " + synthetic_data().string() + " --output " +
                (scratch() / "g3").string() + " --split predefined"),
            1);
  EXPECT_NE(read(scratch() / "log.err").find("split"), std::string::npos);
  EXPECT_EQ(run("build-graph --data " + synthetic_data().string() + " --output " +
                (scratch() / "g4").string() + " --test-fraction 1.5"),
            1);
  EXPECT_NE(read(scratch() / "log.err").find("--test-fraction"), std::string::npos);
}

}  // namespace
}  // namespace recsys::graph
