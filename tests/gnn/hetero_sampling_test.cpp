// hetero's neighbour-sampled, bounded training (issue 9): with bags of at most 4 sampled
// places / friends, epochs of a fixed number of steps and validation on a user sample it still
// learns (well above popularity); steps_per_epoch bounds every epoch; max_train_seconds ends an
// epoch early, which is still validated and written.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "../common/cli_run.h"
#include "hetero_cli_fixture.h"

namespace fs = std::filesystem;

namespace recsys::model::gnn {
namespace {

using recsys::testing::err;
using recsys::testing::run;
using recsys::testing::scratch;
using recsys::testing::read_json;
using recsys::testing::train_and_evaluate;
const fs::path& sampling_graph() { return recsys::testing::small_hetero_graph(); }

const char* kSmall =
    "--set hetero.batch_size=256 --set hetero.negatives=256 --set hetero.city_negatives=128 "
    "--set hetero.hidden=32 --set hetero.dim=32 --set hetero.social_dim=16 "
    "--set hetero.learning_rate=0.01 --set hetero.max_neighbours=4 ";

TEST(HeteroSampling, SampledBoundedTrainingBeatsPopularity) {
  const auto pop = train_and_evaluate("popularity", "popularity", "");
  const auto het = train_and_evaluate(
      "sampled", "hetero",
      std::string(kSmall) + "--set hetero.max_epochs=3 --set hetero.steps_per_epoch=40 "
                            "--set hetero.validation_users=300 --set hetero.max_train_seconds=0");
  EXPECT_GT(het.at("recall@20").get<double>(), 2.0 * pop.at("recall@20").get<double>());
  EXPECT_GT(het.at("friends.auc").get<double>(), 0.75);

  const fs::path dir = scratch() / "model-sampled";  // written by train_and_evaluate("sampled", ...)
  // `evaluate --users N`: the metrics over a uniform sample of N users.
  const fs::path sampled_metrics = scratch() / "sampling-metrics-user-sample.json";
  ASSERT_EQ(run("evaluate --model " + dir.string() + " --graph " + sampling_graph().string() +
                " --users 500 --output " + sampled_metrics.string() + " -q"),
            0)
      << err();
  const auto sm = read_json(sampled_metrics);
  EXPECT_EQ(sm.at("evaluated_user_sample").get<int>(), 500);
  EXPECT_LT(sm.at("users").get<double>(), het.at("users").get<double>());
  EXPECT_GT(sm.at("recall@20").get<double>(), 2.0 * pop.at("recall@20").get<double>());
  const auto manifest = read_json(dir / "manifest.json");
  const auto& training = manifest.at("training");
  EXPECT_EQ(training.at("validation_users").get<int>(), 300);
  EXPECT_EQ(training.at("epochs_run").get<int>(), 3);
  const auto curve = read_json(dir / "training_curve.json");
  ASSERT_EQ(curve.size(), 3u);
  for (const auto& row : curve) {
    EXPECT_EQ(row.at("steps").get<int>(), 40);
    EXPECT_GT(row.at("valid_recall@20").get<double>(), 0.0);
  }
}

TEST(HeteroSampling, MaxTrainSecondsEndsTheEpochEarly) {
  // Any step takes longer than 1 ms: the first epoch stops after its first step, is validated
  // and written, and no second epoch starts.
  const fs::path out = scratch() / "sampling-model-timed";
  ASSERT_EQ(run("train --graph " + sampling_graph().string() + " --model hetero --output " +
                out.string() + " --force -q " + kSmall +
                "--set hetero.max_epochs=5 --set hetero.steps_per_epoch=1000 "
                "--set hetero.max_train_seconds=0.001"),
            0)
      << err();
  const auto curve = read_json(out / "training_curve.json");
  ASSERT_EQ(curve.size(), 1u);
  EXPECT_EQ(curve[0].at("steps").get<int>(), 1);
  EXPECT_EQ(read_json(out / "manifest.json").at("training").at("epochs_run").get<int>(), 1);
}

}  // namespace
}  // namespace recsys::model::gnn
