// The baselines of `recsys train` (popularity, common-neighbours, itemknn, mf-bpr, oracle): how
// each is trained into a model folder and read back, registered like every other model.
#include <fmt/format.h>

#include <algorithm>
#include <span>

#include "recsys/core/error.h"
#include "recsys/eval/dot_product_scorer.h"
#include "recsys/eval/popularity_scorer.h"
#include "recsys/model/common_neighbours_scorer.h"
#include "recsys/model/graph_lists.h"
#include "recsys/model/item_knn.h"
#include "recsys/model/mf_bpr.h"
#include "recsys/model/model_files.h"
#include "recsys/model/model_registry.h"
#include "recsys/model/npy_file.h"
#include "recsys/model/oracle_scorer.h"
#include "recsys/model/trained_model.h"

namespace recsys::model {
namespace {

eval::UserItemLists training_friends(const graph::GraphArtifact& g) {
  if (!g.has_relation("user_user.train")) return eval::UserItemLists();
  return user_lists(g.relation("user_user.train"));
}

// place_scores.npy: one float per graph place (popularity and city popularity).
std::vector<float> read_place_scores(const std::filesystem::path& dir,
                                     const graph::GraphArtifact& g) {
  std::vector<int64_t> shape;
  auto scores = read_npy_f32(dir / "place_scores.npy", &shape);
  expect_npy_shape(dir / "place_scores.npy", shape, {g.n_places()});
  return scores;
}

// ---- popularity and common-neighbours: place score = training degree ------------------------

void train_popularity(TrainContext& c) {
  const auto csr = c.graph.relation("place_user.train");
  std::vector<float> scores(static_cast<size_t>(c.graph.n_places()));
  for (int64_t p = 0; p < c.graph.n_places(); ++p)
    scores[static_cast<size_t>(p)] = static_cast<float>(csr.row(p).size());
  write_npy(c.dir / "place_scores.npy", std::span<const float>(scores), {c.graph.n_places()});
  c.files["place_scores.npy"] = npy_file_entry("float32", {c.graph.n_places()});
  c.manifest["scorer"] = c.manifest["model"];
}

class PopularityModel : public TrainedModel {
 public:
  PopularityModel(const std::filesystem::path& dir, const graph::GraphArtifact& g)
      : scorer_(read_place_scores(dir, g)) {}
  const eval::BlockScorer& place_scorer() const override { return scorer_; }

 private:
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

// City popularity: the user's home-city places first (by training degree), then the others.
// Users without a known home city (or graphs without cities) get plain popularity.
class CityPopularityScorer : public eval::BlockScorer {
 public:
  CityPopularityScorer(std::vector<float> degree, std::span<const int32_t> home_city,
                       std::span<const int32_t> place_city)
      : degree_(std::move(degree)), home_city_(home_city), place_city_(place_city) {
    float top = 0;
    for (float d : degree_) top = std::max(top, d);
    home_bonus_ = top + 1;
  }
  int64_t n_items() const override { return static_cast<int64_t>(degree_.size()); }
  void score(const int32_t* users, int64_t n, float* out) const override {
    const auto items = degree_.size();
    for (int64_t r = 0; r < n; ++r) {
      float* row = out + r * static_cast<int64_t>(items);
      const int32_t u = users[r];
      if (u < 0 || (!home_city_.empty() && static_cast<size_t>(u) >= home_city_.size()))
        throw InvalidArgument(fmt::format("city-popularity: unknown user {}", u));
      const int32_t city = home_city_.empty() ? -1 : home_city_[static_cast<size_t>(u)];
      for (size_t i = 0; i < items; ++i)
        row[i] = degree_[i] + (city >= 0 && place_city_[i] == city ? home_bonus_ : 0.0f);
    }
  }

 private:
  std::vector<float> degree_;
  std::span<const int32_t> home_city_, place_city_;
  float home_bonus_ = 1;
};

class CityPopularityModel : public TrainedModel {
 public:
  CityPopularityModel(const std::filesystem::path& dir, const graph::GraphArtifact& g)
      : scorer_(read_place_scores(dir, g), cities(g, "user.home_city"), cities(g, "place.city")) {}
  const eval::BlockScorer& place_scorer() const override { return scorer_; }

 private:
  static std::span<const int32_t> cities(const graph::GraphArtifact& g, const char* name) {
    return g.has("user.home_city") && g.has("place.city") ? g.array<int32_t>(name)
                                                          : std::span<const int32_t>();
  }
  CityPopularityScorer scorer_;
};

// ---- itemknn ---------------------------------------------------------------------------------

void train_itemknn(TrainContext& c) {
  c.manifest["scorer"] = "itemknn";
  c.config_used["itemknn"] = c.config.to_json()["itemknn"];
  const auto lists = user_lists(c.graph.interactions("train").csr);
  const int64_t n_places = c.graph.n_places();
  const auto n = compute_item_neighbours(lists, n_places, c.config.itemknn.neighbours);
  const auto entries = static_cast<int64_t>(n.items.size());
  write_npy(c.dir / "neighbour_offsets.npy", std::span<const int64_t>(n.offsets), {n_places + 1});
  write_npy(c.dir / "neighbour_items.npy", std::span<const int32_t>(n.items), {entries});
  write_npy(c.dir / "neighbour_similarities.npy", std::span<const float>(n.similarities),
            {entries});
  c.files["neighbour_offsets.npy"] = npy_file_entry("int64", {n_places + 1});
  c.files["neighbour_items.npy"] = npy_file_entry("int32", {entries});
  c.files["neighbour_similarities.npy"] = npy_file_entry("float32", {entries});
  c.manifest["counts"]["neighbour_entries"] = entries;
}

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
    expect_npy_shape(dir / "neighbour_offsets.npy", s1, {g.n_places() + 1});
    n.items = read_npy_i32(dir / "neighbour_items.npy", &s2);
    n.similarities = read_npy_f32(dir / "neighbour_similarities.npy", &s3);
    const auto entries = static_cast<int64_t>(n.items.size());
    expect_npy_shape(dir / "neighbour_items.npy", s2, {n.offsets.back()});
    expect_npy_shape(dir / "neighbour_similarities.npy", s3, {entries});
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

// ---- mf-bpr: user / place embeddings (scorer "embeddings") ----------------------------------

void train_mf_bpr_model(TrainContext& c) {
  c.manifest["scorer"] = "embeddings";
  c.config_used["mf_bpr"] = c.config.to_json()["mf_bpr"];
  const auto& g = c.graph;
  const auto train = user_lists(g.interactions("train").csr);
  const bool valid_usable = !g.manifest()["splits"].value("valid_in_train", false) &&
                            g.has_relation("user_place.valid");
  const eval::UserItemLists valid =
      valid_usable ? user_lists(g.interactions("valid").csr) : eval::UserItemLists();
  const auto res =
      train_mf_bpr(train, valid, g.n_users(), g.n_places(), c.config.mf_bpr, c.config.seed);
  write_embeddings(c, res.user_embeddings, res.item_embeddings, res.dim);
  write_json_file(c.dir / "training_curve.json", res.curve);
  c.files["training_curve.json"] = {
      {"format", "JSON array of {epoch, loss, valid_recall@20, train_seconds}"}};
  c.manifest["training"] = {
      {"validation", res.validation},        {"validation_pairs", res.validation_pairs},
      {"sampled_pairs", res.training_pairs}, {"epochs_run", res.epochs_run},
      {"best_epoch", res.best_epoch},        {"best_valid_recall@20", res.best_valid_recall}};
}

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
    expect_npy_shape(dir / "user_embeddings.npy", su, {g.n_users(), d});
    expect_npy_shape(dir / "place_embeddings.npy", sp, {g.n_places(), d});
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

// ---- oracle: the generator's true preferences (synthetic data only) -------------------------

void train_oracle(TrainContext& c) {
  const std::string data_dir = c.graph.manifest()["config"].value("data_dir", "");
  OracleScorer::require_ground_truth(data_dir);
  c.manifest["scorer"] = "oracle";
  c.manifest["data_dir"] = std::filesystem::absolute(data_dir).lexically_normal().string();
}

class OracleModel : public TrainedModel {
 public:
  OracleModel(const std::filesystem::path& data_dir, const graph::GraphArtifact& g)
      : scorer_(data_dir, g.array<int32_t>("user.ids"), g.array<int32_t>("place.ids")) {}
  const eval::BlockScorer& place_scorer() const override { return scorer_; }

 private:
  OracleScorer scorer_;
};

template <class Model>
std::unique_ptr<TrainedModel> open_model(const std::filesystem::path& dir, const nlohmann::json&,
                                         const graph::GraphArtifact& g) {
  return std::make_unique<Model>(dir, g);
}

std::unique_ptr<TrainedModel> open_oracle(const std::filesystem::path& dir,
                                          const nlohmann::json& m,
                                          const graph::GraphArtifact& g) {
  if (!m.contains("data_dir") || !m["data_dir"].is_string())
    throw FormatError(
        fmt::format("{}: oracle model without \"data_dir\"", (dir / "manifest.json").string()));
  return std::make_unique<OracleModel>(m["data_dir"].get<std::string>(), g);
}

const ModelRegistration popularity{
    {"popularity", "place score = number of training users", "", nullptr, train_popularity}};
const ModelRegistration city_popularity{
    {"city-popularity", "the home city's places by training degree, then the rest", "", nullptr,
     train_popularity}};
const ModelRegistration common_neighbours{
    {"common-neighbours", "popularity for places, common training friends for friends", "",
     nullptr, train_popularity}};
const ModelRegistration itemknn{
    {"itemknn", "cosine item-item neighbours ([itemknn])", "", nullptr, train_itemknn}};
const ModelRegistration mf_bpr{
    {"mf-bpr", "matrix factorisation, BPR + Adam, early stopping ([mf_bpr])", "", nullptr,
     train_mf_bpr_model}};
const ModelRegistration oracle{
    {"oracle", "the generator's true preferences (synthetic data only)", "", nullptr,
     train_oracle}};

const ScorerRegistration popularity_scorer{{"popularity", open_model<PopularityModel>}};
const ScorerRegistration city_popularity_scorer{
    {"city-popularity", open_model<CityPopularityModel>}};
const ScorerRegistration common_neighbours_scorer{
    {"common-neighbours", open_model<CommonNeighboursModel>}};
const ScorerRegistration itemknn_scorer{{"itemknn", open_model<ItemKnnModel>}};
const ScorerRegistration embeddings_scorer{{"embeddings", open_model<EmbeddingModel>}};
const ScorerRegistration oracle_scorer{{"oracle", open_oracle}};

}  // namespace
}  // namespace recsys::model
