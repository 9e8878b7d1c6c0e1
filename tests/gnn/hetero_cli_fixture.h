#pragma once
// What the hetero command tests share: one small synthetic graph per test process (1,500 users x
// 800 places in 3 cities, built once by the recsys program) and training + evaluating a model on
// it. Include after "../common/cli_run.h".
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "../common/cli_run.h"

namespace recsys::testing {

inline nlohmann::json read_json(const std::filesystem::path& p) {
  std::ifstream in(p);
  return nlohmann::json::parse(in);
}

inline const std::filesystem::path& small_hetero_graph() {
  static const std::filesystem::path g = [] {
    const auto data = scratch() / "hetero-data", out = scratch() / "hetero-graph";
    EXPECT_EQ(run("generate --output-dir " + data.string() + " --n-users 1500 --n-places 800 --n-cities 3 -q"), 0)
        << err();
    EXPECT_EQ(run("build-graph --data " + data.string() + " --output " + out.string() + " -q"), 0) << err();
    return out;
  }();
  return g;
}

// Trains `model` (extra: more train flags) into scratch()/model-<name>, evaluates it on the same
// graph and returns the metrics.
inline nlohmann::json train_and_evaluate(const std::string& name, const std::string& model,
                                         const std::string& extra) {
  const auto out = scratch() / ("model-" + name);
  EXPECT_EQ(run("train --graph " + small_hetero_graph().string() + " --model " + model + " --output " +
                out.string() + " --force -q " + extra),
            0)
      << err();
  const auto metrics = scratch() / ("metrics-" + name + ".json");
  EXPECT_EQ(run("evaluate --model " + out.string() + " --graph " + small_hetero_graph().string() + " --output " +
                metrics.string() + " -q"),
            0)
      << err();
  return read_json(metrics);
}

}  // namespace recsys::testing
