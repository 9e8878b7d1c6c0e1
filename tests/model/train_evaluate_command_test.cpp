// `recsys train` and `recsys evaluate` through the program, on a small generated data set and
// a tiny imported cf data set.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <numeric>
#include <string>

#include "../common/cli_run.h"
#include "recsys/graph/graph_artifact.h"
#include "recsys/model/oracle_scorer.h"
#include "recsys/synthetic/dataset_reader.h"
#include "recsys/synthetic/geography.h"
#include "recsys/synthetic/oracle.h"
#include "recsys/synthetic/preference_model.h"

namespace fs = std::filesystem;

namespace recsys::model {
namespace {

using recsys::testing::err;
using recsys::testing::run;
using recsys::testing::scratch;

std::string read(const fs::path& p) {
  return recsys::testing::read_text(p);
}

struct Fixture {
  fs::path data, graph, other_graph, cf_graph;
};

const Fixture& fixture() {
  static const Fixture f = [] {
    Fixture x;
    x.data = scratch() / "data";
    x.graph = scratch() / "graph";
    x.other_graph = scratch() / "graph-seed7";
    x.cf_graph = scratch() / "cf-graph";
    EXPECT_EQ(run("generate --output-dir " + x.data.string() +
                  " --n-users 400 --n-places 300 --n-cities 4 -q"),
              0)
        << err();
    EXPECT_EQ(
        run("build-graph --data " + x.data.string() + " --output " + x.graph.string() + " -q"), 0)
        << err();
    EXPECT_EQ(run("build-graph --data " + x.data.string() + " --output " + x.other_graph.string() +
                  " --seed 7 -q"),
              0)
        << err();
    const fs::path cf = scratch() / "cf";
    fs::create_directories(cf);
    std::ofstream(cf / "train.txt") << "0 0 1 2\n1 1 2 3\n2 0 3 4\n3 2 4\n";
    std::ofstream(cf / "test.txt") << "0 3\n1 4\n2 1\n3 0\n";
    EXPECT_EQ(run("import cf --train " + (cf / "train.txt").string() + " --test " +
                  (cf / "test.txt").string() + " --output-dir " + (cf / "tables").string() + " -q"),
              0)
        << err();
    EXPECT_EQ(run("build-graph --data " + (cf / "tables").string() + " --output " +
                  x.cf_graph.string() + " -q"),
              0)
        << err();
    return x;
  }();
  return f;
}

nlohmann::json train_and_evaluate(const std::string& model, const std::string& extra = "") {
  const auto& f = fixture();
  const fs::path out = scratch() / ("model-" + model);
  EXPECT_EQ(run("train --graph " + f.graph.string() + " --model " + model + " --output " +
                out.string() + " --force -q " + extra),
            0)
      << err();
  const fs::path metrics = scratch() / (model + ".json");
  EXPECT_EQ(run("evaluate --model " + out.string() + " --graph " + f.graph.string() + " --output " +
                metrics.string()),
            0)
      << err();
  return nlohmann::json::parse(read(metrics));
}

TEST(TrainEvaluateCommand, EveryBaselineEndToEnd) {
  const auto pop = train_and_evaluate("popularity");
  const auto knn = train_and_evaluate("itemknn");
  const auto mf = train_and_evaluate("mf-bpr", "--epochs 30");
  const auto oracle = train_and_evaluate("oracle");
  const auto cn = train_and_evaluate("common-neighbours");
  const auto city = train_and_evaluate("city-popularity");
  for (const auto* m : {&pop, &knn, &mf, &oracle, &cn, &city}) {
    for (const char* key :
         {"users", "recall@10", "recall@20", "recall@50", "ndcg@20", "hit@20", "mrr", "coverage@20",
          "group.cold_start.users", "group.activity=5-19.users", "evaluate_seconds"})
      EXPECT_TRUE(m->contains(key)) << key << " in " << m->dump();
    EXPECT_GT((*m)["users"].get<double>(), 300);
  }
  // The terminal table of the last evaluate.
  EXPECT_NE(read(scratch() / "log.out").find("recall@20"), std::string::npos);
  // Friends: models that score users.
  for (const auto* m : {&mf, &cn})
    for (const char* key : {"friends.recall@20", "friends.ndcg@20", "friends.auc", "friends.ap"})
      EXPECT_TRUE(m->contains(key)) << key << " in " << m->dump();
  EXPECT_FALSE(pop.contains("friends.recall@20"));
  // Sanity that holds with a wide margin on this data: learned and true scores beat popularity.
  const double p = pop["recall@20"];
  EXPECT_GT(oracle["recall@20"].get<double>(), p);
  EXPECT_GT(knn["recall@20"].get<double>(), p);
  EXPECT_GT(mf["recall@20"].get<double>(), p);
  EXPECT_GT(cn["friends.recall@20"].get<double>(), 0.1);
  EXPECT_DOUBLE_EQ(cn["recall@20"].get<double>(), p);  // places: popularity
  // Users mostly visit their home city: its popular places beat global popularity, also for
  // cold-start users.
  EXPECT_GT(city["recall@20"].get<double>(), 2 * p);
  EXPECT_GT(city["group.cold_start.recall@20"].get<double>(),
            pop["group.cold_start.recall@20"].get<double>());
  // The model folder.
  const auto manifest = nlohmann::json::parse(read(scratch() / "model-mf-bpr" / "manifest.json"));
  EXPECT_EQ(manifest["format"], "recsys-model");
  EXPECT_EQ(manifest["scorer"], "embeddings");
  EXPECT_EQ(manifest["config"]["mf_bpr"]["max_epochs"], 30);
  EXPECT_TRUE(fs::exists(scratch() / "model-mf-bpr" / "training_curve.json"));
}

TEST(TrainEvaluateCommand, OracleScoresAreTheGeneratorsSamplingLogProbabilities) {
  const auto& f = fixture();
  const auto g = graph::GraphArtifact::open(f.graph);
  const auto user_ids = g.array<int32_t>("user.ids");
  const auto place_ids = g.array<int32_t>("place.ids");
  const OracleScorer scorer(f.data, user_ids, place_ids);

  const auto config = synthetic::read_generation_config(f.data / "users.parquet");
  const auto geography = synthetic::generate_geography(config);
  const auto users = synthetic::read_users(f.data / "users.parquet", config);
  const auto places = synthetic::read_places(f.data / "places.parquet", config);
  const synthetic::PreferenceModel model(config, geography, users, places);
  const synthetic::OracleRanker ranker(model);

  const int64_t n = g.n_places();
  std::vector<float> row(static_cast<size_t>(n));
  for (int32_t u : {0, 1, 57, 399}) {
    scorer.score(&u, 1, row.data());
    size_t user_row = 0;
    while (users.user_id[user_row] != user_ids[u]) ++user_row;
    // Independent computation, straight from the definition: the probability of
    // drawing place p is share(group) * exp(score_p / T) / sum over the group.
    double sum_home = 0, sum_away = 0;
    std::vector<double> score(places.size());
    for (size_t p = 0; p < places.size(); ++p) {
      score[p] = model.true_preference_score(user_row, p);
      const double w = std::exp(score[p] / config.temperature);
      (places.city_id[p] == users.home_city_id[user_row] ? sum_home : sum_away) += w;
    }
    for (int64_t gp = 0; gp < n; ++gp) {
      size_t p = 0;
      while (places.place_id[p] != place_ids[gp]) ++p;
      const bool home = places.city_id[p] == users.home_city_id[user_row];
      const double share = home ? 1 - config.out_of_city_share : config.out_of_city_share;
      const double expected =
          std::log(share) + score[p] / config.temperature - std::log(home ? sum_home : sum_away);
      EXPECT_NEAR(row[static_cast<size_t>(gp)], expected, 1e-3 * std::max(1.0, std::abs(expected)))
          << "user " << u << " place " << place_ids[gp];
    }
    // Within the home city the order is the true-score order of the generator's ranker.
    std::vector<int32_t> home_order, ranker_home_order;
    std::vector<int32_t> order(static_cast<size_t>(n));
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](int32_t a, int32_t b) {
      return row[a] > row[b] || (row[a] == row[b] && place_ids[a] < place_ids[b]);
    });
    auto in_home = [&](int32_t place_id) {
      size_t p = 0;
      while (places.place_id[p] != place_id) ++p;
      return places.city_id[p] == users.home_city_id[user_row];
    };
    for (const auto& ranked : ranker.top_places(user_row, static_cast<size_t>(n)))
      if (in_home(ranked.place_id) && ranker_home_order.size() < 10)
        ranker_home_order.push_back(ranked.place_id);
    for (int32_t gp : order)
      if (in_home(place_ids[gp]) && home_order.size() < 10) home_order.push_back(place_ids[gp]);
    EXPECT_EQ(home_order, ranker_home_order) << "user " << u;
  }
}

TEST(TrainEvaluateCommand, MfBprIsDeterministicForASeedAndThreadCount) {
  const auto& f = fixture();
  std::string files[2];
  for (int i = 0; i < 2; ++i) {
    const fs::path out = scratch() / ("mf-det-" + std::to_string(i));
    ASSERT_EQ(run("train --graph " + f.graph.string() +
                  " --model mf-bpr --epochs 3 --seed 3 "
                  "--threads 2 -q --output " +
                  out.string()),
              0)
        << err();
    files[i] = read(out / "user_embeddings.npy") + read(out / "place_embeddings.npy");
  }
  EXPECT_FALSE(files[0].empty());
  EXPECT_EQ(files[0], files[1]);
}

TEST(TrainEvaluateCommand, ClearErrors) {
  const auto& f = fixture();
  const fs::path out = scratch() / "bad-model";
  EXPECT_NE(run("train --graph " + f.graph.string() + " --model lightgbm --output " + out.string()),
            0);
  EXPECT_NE(err().find("unknown model \"lightgbm\""), std::string::npos) << err();
  EXPECT_FALSE(fs::exists(out));

  EXPECT_NE(
      run("train --graph " + f.cf_graph.string() + " --model oracle --output " + out.string()), 0);
  EXPECT_NE(err().find("oracle_top_places.parquet"), std::string::npos) << err();
  EXPECT_FALSE(fs::exists(out));

  // A model of one graph evaluated on another.
  const fs::path pop = scratch() / "pop-mismatch";
  ASSERT_EQ(
      run("train --graph " + f.graph.string() + " --model popularity -q --output " + pop.string()),
      0)
      << err();
  const fs::path metrics = scratch() / "mismatch.json";
  EXPECT_NE(run("evaluate --model " + pop.string() + " --graph " + f.other_graph.string() +
                " --output " + metrics.string()),
            0);
  EXPECT_NE(err().find("graph mismatch"), std::string::npos) << err();
  EXPECT_FALSE(fs::exists(metrics));

  // An existing output folder without --force.
  EXPECT_NE(
      run("train --graph " + f.graph.string() + " --model popularity -q --output " + pop.string()),
      0);
  EXPECT_NE(err().find("--force"), std::string::npos) << err();

  // A bad config key names itself.
  const fs::path config = scratch() / "bad.toml";
  std::ofstream(config) << "[mf_bpr]\ndim = 0\n";
  EXPECT_NE(run("train --graph " + f.graph.string() + " --model mf-bpr --config " +
                config.string() + " --output " + out.string()),
            0);
  EXPECT_NE(err().find("mf_bpr.dim"), std::string::npos) << err();
  std::ofstream(config) << "[mf_bpr]\ndimension = 8\n";
  EXPECT_NE(run("train --graph " + f.graph.string() + " --model mf-bpr --config " +
                config.string() + " --output " + out.string()),
            0);
  EXPECT_NE(err().find("dimension"), std::string::npos) << err();
}

TEST(TrainEvaluateCommand, CfDataWorksWithoutSocialData) {
  const auto& f = fixture();
  const fs::path out = scratch() / "cf-mf";
  ASSERT_EQ(run("train --graph " + f.cf_graph.string() + " --model mf-bpr --epochs 2 -q --output " +
                out.string()),
            0)
      << err();
  const fs::path metrics = scratch() / "cf.json";
  ASSERT_EQ(run("evaluate --model " + out.string() + " --graph " + f.cf_graph.string() +
                " --output " + metrics.string() + " --k 1,3"),
            0)
      << err();
  const auto m = nlohmann::json::parse(read(metrics));
  EXPECT_TRUE(m.contains("recall@3"));
  EXPECT_FALSE(m.contains("recall@20"));
  EXPECT_EQ(m["users"].get<double>(), 4);
}

}  // namespace
}  // namespace recsys::model
