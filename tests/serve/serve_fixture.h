#pragma once
// The artifacts the API tests serve. With LibTorch: the recommender tests' hetero workdir
// (attendance head, inductive cold start) and, for "no head" cases, their mf-bpr embeddings.
// Without it (the sanitizer tree): an mf-bpr workdir made the same way, for both.
#include "../recommend/recommend_fixture.h"

namespace recsys::serve::testing {

namespace fs = std::filesystem;

inline constexpr bool kHasHead = RECSYS_HAS_TORCH;

#if RECSYS_HAS_TORCH
inline fs::path serving_workdir() { return recommend::testing::hetero_workdir(); }
inline fs::path headless_artifacts() { return recommend::testing::mf_embeddings(); }
#else
inline const fs::path& serving_workdir() {
  using recommend::testing::err;
  using recommend::testing::run;
  using recommend::testing::scratch;
  static const fs::path w = [] {
    const fs::path w = scratch() / "mf-workdir";
    const auto data = w / "tables", graph = w / "graph", model = w / "model";
    EXPECT_EQ(run("generate --output-dir " + data.string() + " --n-users 400 --n-places 300 --n-cities 3 -q"), 0)
        << err();
    EXPECT_EQ(run("build-graph --data " + data.string() + " --output " + graph.string() + " -q"), 0) << err();
    EXPECT_EQ(run("train --graph " + graph.string() + " --model mf-bpr --output " + model.string() +
                  " -q --set mf_bpr.max_epochs=3 --set mf_bpr.dim=8"),
              0)
        << err();
    EXPECT_EQ(run("export --model " + model.string() + " --output " + (w / "embeddings").string() + " -q"), 0)
        << err();
    return w;
  }();
  return w;
}
inline const fs::path& headless_artifacts() { return serving_workdir(); }
#endif

}  // namespace recsys::serve::testing
