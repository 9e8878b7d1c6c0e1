#include "recsys/model/trained_model.h"

#include <fmt/format.h>

#include "recsys/core/error.h"
#include "recsys/eval/dot_product_scorer.h"
#include "recsys/eval/popularity_scorer.h"
#include "recsys/model/common_neighbours_scorer.h"
#include "recsys/model/graph_lists.h"
#include "recsys/model/item_knn.h"
#include "recsys/model/model_manifest.h"
#include "recsys/model/model_registry.h"
#include "recsys/model/npy_file.h"
#include "recsys/model/oracle_scorer.h"

namespace recsys::model {
namespace {

void expect_shape(const std::filesystem::path& file, const std::vector<int64_t>& shape,
                  const std::vector<int64_t>& expected) {
  if (shape != expected) {
    auto text = [](const std::vector<int64_t>& s) {
      std::string t;
      for (int64_t x : s) t += (t.empty() ? "" : " x ") + std::to_string(x);
      return t;
    };
    throw FormatError(fmt::format("{}: shape {} where {} was expected", file.string(), text(shape),
                                  text(expected)));
  }
}

eval::UserItemLists training_friends(const graph::GraphArtifact& g) {
  if (!g.has_relation("user_user.train")) return eval::UserItemLists();
  return user_lists(g.relation("user_user.train"));
}

class PopularityModel : public TrainedModel {
 public:
  PopularityModel(const std::filesystem::path& dir, const graph::GraphArtifact& g)
      : scorer_(load(dir, g)) {}
  const eval::BlockScorer& place_scorer() const override { return scorer_; }

 private:
  static std::vector<float> load(const std::filesystem::path& dir, const graph::GraphArtifact& g) {
    std::vector<int64_t> shape;
    auto scores = read_npy_f32(dir / "place_scores.npy", &shape);
    expect_shape(dir / "place_scores.npy", shape, {g.n_places()});
    return scores;
  }
  eval::PopularityScorer scorer_;
};

// Popularity for places, common training friends for users.
class CommonNeighboursModel : public PopularityModel {
 public:
  CommonNeighboursModel(const std::filesystem::path& dir, const graph::GraphArtifact& g)
      : PopularityModel(dir, g),
        friends_(training_friends(g)),
        friend_scorer_(friends_, g.n_users()) {}
  const eval::BlockScorer* friend_scorer() const override { return &friend_scorer_; }

 private:
  eval::UserItemLists friends_;
  CommonNeighboursScorer friend_scorer_;
};

class ItemKnnModel : public TrainedModel {
 public:
  ItemKnnModel(const std::filesystem::path& dir, const graph::GraphArtifact& g)
      : neighbours_(load(dir, g)),
        train_(user_lists(g.interactions("train").csr)),
        scorer_(neighbours_, train_) {}
  const eval::BlockScorer& place_scorer() const override { return scorer_; }

 private:
  static ItemNeighbours load(const std::filesystem::path& dir, const graph::GraphArtifact& g) {
    ItemNeighbours n;
    std::vector<int64_t> s1, s2, s3;
    n.offsets = read_npy_i64(dir / "neighbour_offsets.npy", &s1);
    expect_shape(dir / "neighbour_offsets.npy", s1, {g.n_places() + 1});
    n.items = read_npy_i32(dir / "neighbour_items.npy", &s2);
    n.similarities = read_npy_f32(dir / "neighbour_similarities.npy", &s3);
    const auto entries = static_cast<int64_t>(n.items.size());
    expect_shape(dir / "neighbour_items.npy", s2, {n.offsets.back()});
    expect_shape(dir / "neighbour_similarities.npy", s3, {entries});
    for (size_t i = 0; i + 1 < n.offsets.size(); ++i)
      if (n.offsets[i] > n.offsets[i + 1] || n.offsets[0] != 0)
        throw FormatError(fmt::format("{}: offsets decrease at row {}",
                                      (dir / "neighbour_offsets.npy").string(), i));
    for (int32_t j : n.items)
      if (j < 0 || j >= g.n_places())
        throw FormatError(
            fmt::format("{}: item {} out of range", (dir / "neighbour_items.npy").string(), j));
    return n;
  }
  ItemNeighbours neighbours_;
  eval::UserItemLists train_;
  ItemKnnScorer scorer_;
};

class EmbeddingModel : public TrainedModel {
 public:
  EmbeddingModel(const std::filesystem::path& dir, const graph::GraphArtifact& g) {
    std::vector<int64_t> su, sp;
    users_ = read_npy_f32(dir / "user_embeddings.npy", &su);
    places_ = read_npy_f32(dir / "place_embeddings.npy", &sp);
    if (su.size() != 2)
      throw FormatError(
          fmt::format("{}: a 2-d array expected", (dir / "user_embeddings.npy").string()));
    const int64_t d = su[1];
    expect_shape(dir / "user_embeddings.npy", su, {g.n_users(), d});
    expect_shape(dir / "place_embeddings.npy", sp, {g.n_places(), d});
    places_scorer_ =
        std::make_unique<eval::DotProductScorer>(users_, g.n_users(), places_, g.n_places(), d);
    users_scorer_ =
        std::make_unique<eval::DotProductScorer>(users_, g.n_users(), users_, g.n_users(), d);
  }
  const eval::BlockScorer& place_scorer() const override { return *places_scorer_; }
  const eval::BlockScorer* friend_scorer() const override { return users_scorer_.get(); }

 private:
  std::vector<float> users_, places_;
  std::unique_ptr<eval::DotProductScorer> places_scorer_, users_scorer_;
};

class OracleModel : public TrainedModel {
 public:
  OracleModel(const std::filesystem::path& data_dir, const graph::GraphArtifact& g)
      : scorer_(data_dir, g.array<int32_t>("user.ids"), g.array<int32_t>("place.ids")) {}
  const eval::BlockScorer& place_scorer() const override { return scorer_; }

 private:
  OracleScorer scorer_;
};

}  // namespace

std::unique_ptr<TrainedModel> TrainedModel::open(const std::filesystem::path& model_dir,
                                                 const graph::GraphArtifact& graph) {
  nlohmann::json m = read_model_manifest(model_dir);
  check_model_graph(m, model_dir, graph);
  const std::string scorer = m["scorer"].get<std::string>();
  std::unique_ptr<TrainedModel> model;
  if (scorer == "popularity") {
    model = std::make_unique<PopularityModel>(model_dir, graph);
  } else if (scorer == "common-neighbours") {
    model = std::make_unique<CommonNeighboursModel>(model_dir, graph);
  } else if (scorer == "itemknn") {
    model = std::make_unique<ItemKnnModel>(model_dir, graph);
  } else if (scorer == "embeddings") {
    model = std::make_unique<EmbeddingModel>(model_dir, graph);
  } else if (scorer == "oracle") {
    if (!m.contains("data_dir") || !m["data_dir"].is_string())
      throw FormatError(fmt::format("{}: oracle model without \"data_dir\"",
                                    (model_dir / "manifest.json").string()));
    model = std::make_unique<OracleModel>(m["data_dir"].get<std::string>(), graph);
  } else if (const auto* def = find_registered_scorer(scorer)) {
    model = def->open(model_dir, m, graph);
  } else {
    throw FormatError(
        fmt::format("{}: unknown scorer \"{}\" (this build knows popularity, "
                    "common-neighbours, itemknn, embeddings, oracle{})",
                    (model_dir / "manifest.json").string(), scorer, [] {
                      std::string more;
                      for (const auto& s : registered_scorers()) more += ", " + s.scorer;
                      return more;
                    }()));
  }
  model->name_ = m["model"].get<std::string>();
  model->manifest_ = std::move(m);
  return model;
}

}  // namespace recsys::model
