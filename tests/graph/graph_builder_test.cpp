// Graph building on small hand-made tables: aggregation, CSR structure, splits
// without leakage, cold start, predefined splits, determinism, input errors.
#include "recsys/graph/graph_builder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>

#include "graph_tables.h"
#include "recsys/core/error.h"
#include "recsys/graph/graph_artifact.h"
#include "recsys/graph/input_tables.h"

namespace recsys::graph {
namespace {

using testing::Event;
using testing::Tables;
namespace fs = std::filesystem;

GraphArtifact build(const Tables& t, const std::string& name, GraphBuildConfig config = {}) {
  const auto dir = testing::fresh_dir(name);
  testing::write_tables(dir / "data", t);
  config.data_dir = dir / "data";
  config.output_dir = dir / "graph";
  build_graph(config);
  return GraphArtifact::open(config.output_dir);
}

template <typename T>
std::vector<T> vec(std::span<const T> s) {
  return {s.begin(), s.end()};
}

Tables aggregation_tables() {
  Tables t;
  t.users = {30, 10, 20};  // raw ids, not sorted: node index = rank of the id
  t.places = {100, 101, 102};
  t.with_split = true;
  t.events = {{10, 100, 1, 1.0f, true, false, "train"},  {10, 100, 5, 3.0f, false, false, "train"},
              {10, 101, 2, 2.0f, false, true, "train"},  {20, 101, 3, 1.0f, false, false, "test"},
              {20, 102, 4, 0.5f, false, false, "train"}, {30, 100, 7, 1.0f, false, false, "valid"}};
  return t;
}

TEST(GraphBuilder, AggregatesPairsIntoCsr) {
  auto g = build(aggregation_tables(), "aggregate");
  EXPECT_EQ(g.manifest()["splits"]["mode"], "predefined");
  EXPECT_EQ(vec(g.array<int32_t>("user.ids")), (std::vector<int32_t>{10, 20, 30}));
  EXPECT_EQ(vec(g.array<int32_t>("place.ids")), (std::vector<int32_t>{100, 101, 102}));
  // Validation pairs take part in message passing by default with a predefined split.
  auto train = g.relation("user_place.train");
  EXPECT_EQ(vec(train.offsets), (std::vector<int64_t>{0, 2, 3, 4}));
  EXPECT_EQ(vec(train.indices), (std::vector<int32_t>{0, 1, 2, 0}));
  EXPECT_EQ(vec(g.array<int32_t>("user_place.train.count")), (std::vector<int32_t>{2, 1, 1, 1}));
  EXPECT_EQ(vec(g.array<float>("user_place.train.max_rating")),
            (std::vector<float>{3.0f, 2.0f, 0.5f, 1.0f}));
  EXPECT_EQ(vec(g.array<uint8_t>("user_place.train.flags")),
            (std::vector<uint8_t>{kLiked, kAttended, 0, 0}));
  EXPECT_EQ(vec(g.array<int64_t>("user_place.train.first_timestamp")),
            (std::vector<int64_t>{1, 2, 4, 7}));
  EXPECT_EQ(vec(g.array<int64_t>("user_place.train.last_timestamp")),
            (std::vector<int64_t>{5, 2, 4, 7}));
  EXPECT_FLOAT_EQ(g.array<float>("user_place.train.weight")[0],
                  static_cast<float>(std::log(3.0) + 3.0));
  // Reverse direction and the position of each reverse entry in the forward arrays.
  auto rev = g.relation("place_user.train");
  EXPECT_EQ(vec(rev.offsets), (std::vector<int64_t>{0, 2, 3, 4}));
  EXPECT_EQ(vec(rev.indices), (std::vector<int32_t>{0, 2, 0, 1}));
  EXPECT_EQ(vec(g.array<int64_t>("place_user.train.forward_position")),
            (std::vector<int64_t>{0, 3, 1, 2}));
  auto test = g.relation("user_place.test");
  EXPECT_EQ(vec(test.offsets), (std::vector<int64_t>{0, 0, 1, 1}));
  EXPECT_EQ(vec(test.indices), (std::vector<int32_t>{1}));
  auto valid = g.relation("user_place.valid");
  EXPECT_EQ(vec(valid.offsets), (std::vector<int64_t>{0, 0, 0, 1}));
  EXPECT_EQ(vec(valid.indices), (std::vector<int32_t>{0}));
  // No cold-start users by default with a predefined split.
  for (uint8_t c : g.array<uint8_t>("user.cold_start")) EXPECT_EQ(c, 0);
}

TEST(GraphBuilder, HoldoutValidKeepsValidationOutOfMessagePassing) {
  GraphBuildConfig c;
  c.valid_in_train = false;
  auto g = build(aggregation_tables(), "holdout_valid", c);
  EXPECT_EQ(vec(g.relation("user_place.train").indices), (std::vector<int32_t>{0, 1, 2}));
  EXPECT_EQ(vec(g.relation("user_place.valid").indices), (std::vector<int32_t>{0}));
  EXPECT_FALSE(g.manifest()["splits"]["valid_in_train"].get<bool>());
}

TEST(GraphBuilder, PredefinedPairInSeveralSplitsGoesToTheLatest) {
  Tables t = aggregation_tables();
  t.events.push_back({10, 101, 9, 1.0f, false, false, "test"});  // (10, 101) also in train
  auto g = build(t, "predefined_conflict");
  EXPECT_EQ(vec(g.relation("user_place.train").indices), (std::vector<int32_t>{0, 2, 0}));
  auto test = g.relation("user_place.test");
  EXPECT_EQ(vec(test.offsets), (std::vector<int64_t>{0, 1, 2, 2}));
  EXPECT_EQ(vec(test.indices), (std::vector<int32_t>{1, 1}));
  EXPECT_EQ(g.array<int32_t>("user_place.test.count")[0], 2);
}

// Many users with revisits at pseudo-random times.
Tables random_tables(int n_users, int n_places, uint64_t seed) {
  Tables t;
  for (int u = 0; u < n_users; ++u) t.users.push_back(u * 3 + 1);
  for (int p = 0; p < n_places; ++p) t.places.push_back(p);
  uint64_t x = seed;
  auto next = [&x] {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    return x >> 33;
  };
  for (int u = 0; u < n_users; ++u) {
    const int n = 1 + static_cast<int>(next() % 25);
    for (int k = 0; k < n; ++k) {
      const auto p = static_cast<int32_t>(next() % static_cast<uint64_t>(n_places));
      const auto ts = static_cast<int64_t>(next() % 1000);
      t.events.push_back(
          {u * 3 + 1, p, ts, static_cast<float>(next() % 5), next() % 3 == 0, next() % 7 == 0});
    }
  }
  for (int u = 0; u + 1 < n_users; u += 2) t.friends.push_back({u * 3 + 1, (u + 1) * 3 + 1});
  for (int u = 0; u + 5 < n_users; u += 3) t.friends.push_back({(u + 5) * 3 + 1, u * 3 + 1});
  return t;
}

std::set<std::pair<int32_t, int32_t>> pairs_of(const GraphArtifact& g, const std::string& rel) {
  std::set<std::pair<int32_t, int32_t>> out;
  auto v = g.relation(rel);
  for (int64_t r = 0; r < v.n_rows(); ++r)
    for (int32_t c : v.row(r)) out.insert({static_cast<int32_t>(r), c});
  return out;
}

TEST(GraphBuilder, TemporalSplitHasNoLeakage) {
  const Tables t = random_tables(200, 60, 7);
  GraphBuildConfig c;
  c.cold_start_fraction = 0.1;
  auto g = build(t, "temporal", c);
  EXPECT_EQ(g.manifest()["splits"]["mode"], "temporal");
  const int64_t n_users = g.n_users();
  const auto train = g.relation("user_place.train");
  const auto valid = g.relation("user_place.valid");
  const auto test = g.relation("user_place.test");
  const auto first = [&](const std::string& s) { return g.interactions(s).first_timestamp; };
  const auto last = [&](const std::string& s) { return g.interactions(s).last_timestamp; };
  const auto cold = g.array<uint8_t>("user.cold_start");
  int64_t cold_users = 0, users_with_holdout = 0;
  for (int64_t u = 0; u < n_users; ++u) {
    const auto ur = static_cast<size_t>(u);
    // Latest training / validation event <= earliest held-out first interaction.
    int64_t train_max = INT64_MIN, valid_max = INT64_MIN, valid_min = INT64_MAX,
            test_min = INT64_MAX;
    for (int64_t k = train.offsets[ur]; k < train.offsets[ur + 1]; ++k)
      train_max = std::max(train_max, last("train")[static_cast<size_t>(k)]);
    for (int64_t k = valid.offsets[ur]; k < valid.offsets[ur + 1]; ++k) {
      valid_max = std::max(valid_max, last("valid")[static_cast<size_t>(k)]);
      valid_min = std::min(valid_min, first("valid")[static_cast<size_t>(k)]);
    }
    for (int64_t k = test.offsets[ur]; k < test.offsets[ur + 1]; ++k)
      test_min = std::min(test_min, first("test")[static_cast<size_t>(k)]);
    if (cold[ur]) {
      ++cold_users;
      EXPECT_EQ(train.row(u).size(), 0u) << "cold-start user " << u << " has training edges";
      EXPECT_EQ(valid.row(u).size(), 0u);
      continue;
    }
    EXPECT_LE(train_max, valid_min) << "user " << u;
    EXPECT_LE(train_max, test_min) << "user " << u;
    EXPECT_LE(valid_max, test_min) << "user " << u;
    if (test.row(u).size() > 0) ++users_with_holdout;
    // A user keeps at least one training pair.
    if (valid.row(u).size() + test.row(u).size() > 0) {
      EXPECT_GT(train.row(u).size(), 0u);
    }
  }
  EXPECT_GT(cold_users, 5);
  EXPECT_LT(cold_users, 40);
  EXPECT_GT(users_with_holdout, 100);
  // Splits are disjoint and together hold every distinct input pair.
  auto tr = pairs_of(g, "user_place.train"), va = pairs_of(g, "user_place.valid"),
       te = pairs_of(g, "user_place.test");
  std::set<std::pair<int32_t, int32_t>> input;
  for (const auto& e : t.events) input.insert({(e.user - 1) / 3, e.place});
  for (const auto& p : te) EXPECT_FALSE(tr.count(p) || va.count(p));
  for (const auto& p : va) EXPECT_FALSE(tr.count(p));
  EXPECT_EQ(tr.size() + va.size() + te.size(), input.size());
  // The reverse relation holds exactly the training pairs.
  std::set<std::pair<int32_t, int32_t>> rev;
  for (const auto& [p, u] : pairs_of(g, "place_user.train")) rev.insert({u, p});
  EXPECT_EQ(rev, tr);
}

TEST(GraphBuilder, PopularityFeatureCountsTrainingPairsOnly) {
  const Tables t = random_tables(200, 60, 11);
  auto g = build(t, "popularity");
  const auto& blocks = g.manifest()["features"]["place"]["blocks"];
  int32_t col = -1;
  for (const auto& b : blocks)
    if (b["name"] == "train_log_popularity") col = b["offset"].get<int32_t>();
  ASSERT_GE(col, 0);
  const auto f = g.features("place");
  const auto cols = f.cols;
  const auto x = f.values;
  const auto mean = f.mean;
  const auto sd = f.std;
  const auto rev = g.relation("place_user.train");
  std::map<int32_t, int> all_degree;
  std::set<std::pair<int32_t, int32_t>> seen;
  for (const auto& e : t.events)
    if (seen.insert({e.user, e.place}).second) ++all_degree[e.place];
  int differs = 0;
  for (int64_t p = 0; p < g.n_places(); ++p) {
    const float raw = x[static_cast<size_t>(p * cols + col)] * sd[static_cast<size_t>(col)] +
                      mean[static_cast<size_t>(col)];
    const auto train_degree = static_cast<double>(rev.row(p).size());
    EXPECT_NEAR(raw, std::log1p(train_degree), 1e-4) << "place " << p;
    if (all_degree[static_cast<int32_t>(p)] != static_cast<int>(train_degree)) ++differs;
  }
  EXPECT_GT(differs, 10);  // held-out pairs exist and are not counted
}

TEST(GraphBuilder, FeaturesAreStandardised) {
  auto g = build(random_tables(100, 30, 3), "standardised");
  for (const std::string node : {"user", "place"}) {
    const auto shape = g.shape(node + ".features");
    const auto x = g.array<float>(node + ".features");
    for (int64_t c = 0; c < shape[1]; ++c) {
      double sum = 0, sq = 0;
      for (int64_t r = 0; r < shape[0]; ++r) {
        const double v = x[static_cast<size_t>(r * shape[1] + c)];
        sum += v, sq += v * v;
      }
      EXPECT_NEAR(sum / static_cast<double>(shape[0]), 0.0, 1e-4) << node << " column " << c;
      const double var = sq / static_cast<double>(shape[0]);
      // 1 without missing values (which become 0), 0 for a constant column.
      EXPECT_LE(var, 1.0 + 1e-3) << node << " column " << c;
    }
  }
}

TEST(GraphBuilder, GlobalTimeCutoff) {
  GraphBuildConfig c;
  c.split = SplitMode::GlobalTime;
  c.cutoff_us = 700;
  c.cold_start_fraction = 0;
  auto g = build(random_tables(150, 40, 5), "global_time", c);
  for (int64_t ts : g.array<int64_t>("user_place.test.first_timestamp")) EXPECT_GE(ts, 700);
  for (int64_t ts : g.array<int64_t>("user_place.train.last_timestamp")) EXPECT_LT(ts, 700);
  for (int64_t ts : g.array<int64_t>("user_place.valid.last_timestamp")) EXPECT_LT(ts, 700);
  EXPECT_GT(g.relation("user_place.test").indices.size(), 100u);
  EXPECT_GT(g.relation("user_place.valid").indices.size(), 10u);
}

TEST(GraphBuilder, SocialEdgesAreSymmetricAndSplitWithoutOverlap) {
  auto g = build(random_tables(200, 30, 9), "social");
  auto tr = pairs_of(g, "user_user.train"), va = pairs_of(g, "user_user.valid"),
       te = pairs_of(g, "user_user.test");
  for (const auto* s : {&tr, &va, &te})
    for (auto [a, b] : *s) EXPECT_TRUE(s->count({b, a})) << a << "-" << b << " not symmetric";
  for (const auto& p : te) EXPECT_FALSE(tr.count(p) || va.count(p));
  for (const auto& p : va) EXPECT_FALSE(tr.count(p));
  EXPECT_GT(te.size(), 0u);
  EXPECT_GT(tr.size(), te.size());
  const auto& s = g.manifest()["splits"]["social_pairs"];
  EXPECT_EQ(s["train"].get<size_t>() * 2, tr.size());
}

TEST(GraphBuilder, PlaceRelations) {
  Tables t = aggregation_tables();
  t.place_neighborhood = {4, 2, 4};
  t.place_tags = {{3, 1}, {}, {1}};
  auto g = build(t, "place_relations");
  EXPECT_EQ(vec(g.relation("place_neighborhood").indices), (std::vector<int32_t>{4, 2, 4}));
  auto np = g.relation("neighborhood_place");
  EXPECT_EQ(np.n_rows(), 5);
  EXPECT_EQ(vec(np.row(4)), (std::vector<int32_t>{0, 2}));
  auto pt = g.relation("place_tag");
  EXPECT_EQ(vec(pt.offsets), (std::vector<int64_t>{0, 2, 2, 3}));
  EXPECT_EQ(vec(pt.indices), (std::vector<int32_t>{1, 3, 1}));
  EXPECT_EQ(vec(g.relation("tag_place").row(1)), (std::vector<int32_t>{0, 2}));
  EXPECT_EQ(g.n_nodes("tag"), 4);
}

TEST(GraphBuilder, DeterministicForASeed) {
  const Tables t = random_tables(150, 40, 21);
  GraphBuildConfig c;
  c.cold_start_fraction = 0.2;
  auto a = build(t, "det_a", c);
  auto b = build(t, "det_b", c);
  EXPECT_EQ(a.manifest()["arrays"], b.manifest()["arrays"]);
  c.seed = 43;
  auto other = build(t, "det_c", c);
  EXPECT_NE(vec(a.array<uint8_t>("user.cold_start")), vec(other.array<uint8_t>("user.cold_start")));
}

TEST(GraphBuilder, RandomSplitForDataWithoutTime) {
  Tables t = random_tables(100, 30, 2);
  t.with_timestamp = false;
  const auto dir = testing::fresh_dir("no_time");
  testing::write_tables(dir / "data", t);
  GraphBuildConfig c;
  c.data_dir = dir / "data";
  c.output_dir = dir / "graph";
  try {
    build_graph(c);
    FAIL() << "temporal split without timestamps must fail";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("timestamp"), std::string::npos) << e.what();
  } catch (const FormatError& e) {
    EXPECT_NE(std::string(e.what()).find("timestamp"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(c.output_dir));
  c.split = SplitMode::Random;
  build_graph(c);
  auto g = GraphArtifact::open(c.output_dir);
  EXPECT_GT(g.relation("user_place.test").indices.size(), 50u);
}

void expect_build_error(const Tables& t, const std::string& name, const std::string& part1,
                        const std::string& part2,
                        const std::function<void(const fs::path&)>& change = nullptr) {
  const auto dir = testing::fresh_dir(name);
  testing::write_tables(dir / "data", t);
  if (change) change(dir / "data");
  GraphBuildConfig c;
  c.data_dir = dir / "data";
  c.output_dir = dir / "graph";
  try {
    build_graph(c);
    FAIL() << "expected an error mentioning " << part1;
  } catch (const FormatError& e) {
    EXPECT_NE(std::string(e.what()).find(part1), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(part2), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(c.output_dir)) << "a failed build left an output folder";
}

TEST(GraphBuilder, MissingRequiredColumnNamesFileAndColumn) {
  expect_build_error(aggregation_tables(), "missing_column", "interactions.parquet", "place_id",
                     [](const fs::path& data) {
                       using parquet::ColumnType;
                       testing::write_table(data / "interactions.parquet",
                                            {{"user_id", ColumnType::Int32, false}},
                                            {testing::int32_column({10})});
                     });
}

TEST(GraphBuilder, WrongColumnTypeNamesFileAndColumn) {
  expect_build_error(aggregation_tables(), "wrong_type", "places.parquet", "place_id",
                     [](const fs::path& data) {
                       using parquet::ColumnType;
                       parquet::Column c;
                       c.type = ColumnType::String;
                       c.str = {"a", "b"};
                       testing::write_table(data / "places.parquet",
                                            {{"place_id", ColumnType::String, false}}, {c});
                     });
}

TEST(GraphBuilder, UnknownUserNamesTheRow) {
  Tables t = aggregation_tables();
  t.events.push_back({99, 100, 3});
  expect_build_error(t, "unknown_user", "interactions.parquet", "row 6");
}

TEST(GraphBuilder, UnknownSplitValueIsAnError) {
  Tables t = aggregation_tables();
  t.events[2].split = "holdout";
  expect_build_error(t, "bad_split", "'split'", "holdout");
}

TEST(GraphBuilder, OptionalTablesMayBeAbsent) {
  Tables t = aggregation_tables();
  t.users.clear();
  t.places.clear();
  t.with_rating = false;
  t.with_flags = false;
  auto g = build(t, "minimal");
  EXPECT_EQ(g.n_users(), 3);
  EXPECT_EQ(g.n_places(), 3);
  EXPECT_FALSE(g.has_relation("user_user.train"));
  EXPECT_FALSE(g.has_relation("place_tag"));
  const auto absent = g.manifest()["absent_inputs"].get<std::vector<std::string>>();
  EXPECT_TRUE(std::count(absent.begin(), absent.end(), "users.parquet"));
  EXPECT_TRUE(std::count(absent.begin(), absent.end(), "interactions.parquet:implicit_rating"));
  EXPECT_EQ(g.shape("user.features")[0], 3);
}

TEST(GraphBuilder, ExistingOutputNeedsForce) {
  const auto dir = testing::fresh_dir("force");
  testing::write_tables(dir / "data", aggregation_tables());
  GraphBuildConfig c;
  c.data_dir = dir / "data";
  c.output_dir = dir / "graph";
  build_graph(c);
  EXPECT_THROW(build_graph(c), IoError);
  c.force = true;
  EXPECT_NO_THROW(build_graph(c));
}

}  // namespace
}  // namespace recsys::graph
