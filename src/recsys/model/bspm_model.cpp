// `recsys train --model bspm`: the training-free BSPM graph filter (bspm_filter.h). Training
// computes the top-k right singular vectors of R~ (truncated_svd.h) and writes them to the model
// folder (bspm_factors.npy, items x k float32; singular_values.npy); scorer "bspm" rebuilds R~
// from the graph's training interactions and filters each block of users at scoring time.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <span>

#include "recsys/core/error.h"
#include "recsys/model/bspm_config.h"
#include "recsys/model/bspm_filter.h"
#include "recsys/model/bspm_tuning.h"
#include "recsys/model/graph_lists.h"
#include "recsys/model/model_files.h"
#include "recsys/model/model_registry.h"
#include "recsys/model/npy_file.h"
#include "recsys/model/trained_model.h"
#include "recsys/model/truncated_svd.h"

namespace recsys::model {
namespace {

void train_bspm(TrainContext& c) {
  auto p = BspmParameters::from_json(c.config.section("bspm"));
  const auto& g = c.graph;
  const int64_t n_users = g.n_users(), n_items = g.n_places();
  if (p.k > std::min(n_users, n_items))
    throw ConfigError(fmt::format(
        "config key bspm.k: {} exceeds min(users, places) = min({}, {}) of the graph", p.k,
        n_users, n_items));
  auto start = std::chrono::steady_clock::now();
  nlohmann::json tuning;
  if (p.tune) {
    const auto t = tune_bspm(g, p, c.config.seed);
    p = t.best;
    tuning = {{"validation", t.validation},
              {"users", t.users},
              {"grid", t.grid},
              {"best_T_s", p.sharpen_time},
              {"best_idl_beta", p.idl_beta},
              {"best_valid_recall@20", t.best_recall},
              {"seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                                        start).count()}};
    start = std::chrono::steady_clock::now();
  }
  const auto train = user_lists(g.interactions("train").csr);
  const auto m = normalize_interactions(train, n_users, n_items);
  const auto svd = truncated_svd(
      m.r, m.r_t, {.k = p.k, .oversample = p.svd_oversample, .iterations = p.svd_iterations,
                   .seed = c.config.seed});
  write_npy(c.dir / "bspm_factors.npy", std::span<const float>(svd.right_vectors),
            {n_items, p.k});
  write_npy(c.dir / "singular_values.npy", std::span<const float>(svd.singular_values), {p.k});
  c.files["bspm_factors.npy"] = npy_file_entry("float32", {n_items, p.k});
  c.files["singular_values.npy"] = npy_file_entry("float32", {p.k});
  c.manifest["scorer"] = "bspm";
  c.manifest["bspm"] = p.to_json();
  c.manifest["training"] = {
      {"nonzeros", m.r.nonzeros()},
      {"svd_seconds",
       std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()},
      {"largest_singular_value", svd.singular_values.front()},
      {"smallest_kept_singular_value", svd.singular_values.back()}};
  if (p.tune) c.manifest["training"]["tuning"] = tuning;
}

class BspmModel : public TrainedModel {
 public:
  BspmModel(const std::filesystem::path& dir, const nlohmann::json& manifest,
            const graph::GraphArtifact& g)
      : scorer_(user_lists(g.interactions("train").csr), g.n_users(), g.n_places(),
                parameters(dir, manifest), factors(dir, manifest, g)) {}
  const eval::BlockScorer& place_scorer() const override { return scorer_; }

 private:
  static BspmParameters parameters(const std::filesystem::path& dir, const nlohmann::json& m) {
    if (!m.contains("bspm"))
      throw FormatError(
          fmt::format("{}: bspm model without \"bspm\"", (dir / "manifest.json").string()));
    try {
      return BspmParameters::from_json(m["bspm"]);
    } catch (const ConfigError& e) {
      throw FormatError(fmt::format("{}: {}", (dir / "manifest.json").string(), e.what()));
    }
  }
  static std::vector<float> factors(const std::filesystem::path& dir, const nlohmann::json& m,
                                    const graph::GraphArtifact& g) {
    std::vector<int64_t> shape;
    auto v = read_npy_f32(dir / "bspm_factors.npy", &shape);
    expect_npy_shape(dir / "bspm_factors.npy", shape,
                     {g.n_places(), parameters(dir, m).k});
    return v;
  }
  BspmScorer scorer_;
};

std::unique_ptr<TrainedModel> open_bspm(const std::filesystem::path& dir,
                                        const nlohmann::json& manifest,
                                        const graph::GraphArtifact& g) {
  return std::make_unique<BspmModel>(dir, manifest, g);
}

const ModelRegistration bspm{{"bspm",
                              "training-free BSPM graph filter: blurring, ideal low-pass, "
                              "sharpening ([bspm])",
                              "bspm", read_bspm_config, train_bspm}};
const ScorerRegistration bspm_scorer{{"bspm", open_bspm}};

}  // namespace
}  // namespace recsys::model
