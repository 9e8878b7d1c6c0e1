#include "recsys/model/train_model.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <fstream>

#include "recsys/core/error.h"
#include "recsys/graph/graph_artifact.h"
#include "recsys/io/atomic_dir.h"
#include "recsys/model/graph_lists.h"
#include "recsys/model/item_knn.h"
#include "recsys/model/mf_bpr.h"
#include "recsys/model/model_manifest.h"
#include "recsys/model/model_registry.h"
#include "recsys/model/npy_file.h"
#include "recsys/model/oracle_scorer.h"

namespace recsys::model {
namespace {

std::vector<float> training_degree(const graph::GraphArtifact& g) {
  const auto csr = g.relation("place_user.train");
  std::vector<float> scores(static_cast<size_t>(g.n_places()));
  for (int64_t p = 0; p < g.n_places(); ++p)
    scores[static_cast<size_t>(p)] = static_cast<float>(csr.row(p).size());
  return scores;
}

void write_json(const std::filesystem::path& path, const nlohmann::json& j) {
  std::ofstream out(path);
  out << j.dump(2) << "\n";
  out.flush();
  if (!out) throw IoError(fmt::format("cannot write {}", path.string()));
}

nlohmann::json file_entry(const char* dtype, std::vector<int64_t> shape) {
  return {{"dtype", dtype}, {"shape", shape}};
}

}  // namespace

const std::vector<std::string>& baseline_model_names() {
  static const std::vector<std::string> names = {"popularity", "itemknn", "mf-bpr", "oracle",
                                                 "common-neighbours"};
  return names;
}

std::vector<std::string> model_names() {
  auto names = baseline_model_names();
  for (const auto& def : registered_models()) names.push_back(def.name);
  return names;
}

TrainSummary train_model(const TrainRequest& request) {
  TrainRequest r = request;
  if (r.model.empty()) r.model = r.config.model;
  const auto names = model_names();
  if (std::find(names.begin(), names.end(), r.model) == names.end()) {
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
    if (r.model.empty())
      throw ConfigError(fmt::format("--model: no model given (and no `model` key in the config); "
                                    "one of {}",
                                    list));
    throw ConfigError(fmt::format("--model: unknown model \"{}\" ({})", r.model, list));
  }
  r.config.validate();
  const auto start = std::chrono::steady_clock::now();
  const auto graph = graph::GraphArtifact::open(r.graph_dir);
  const std::string data_dir = graph.manifest()["config"].value("data_dir", "");
  if (r.model == "oracle") OracleScorer::require_ground_truth(data_dir);
  AtomicDir out(r.output_dir, r.force);
  const auto& dir = out.path();

  nlohmann::json m;
  m["format"] = "recsys-model";
  m["format_version"] = kModelFormatVersion;
  m["model"] = r.model;
  m["graph"] = {{"path", std::filesystem::absolute(r.graph_dir).lexically_normal().string()},
                {"manifest_checksum", graph_manifest_checksum(r.graph_dir)}};
  m["counts"] = {{"users", graph.n_users()},
                 {"places", graph.n_places()},
                 {"training_pairs", graph.interactions("train").csr.indices.size()}};
  nlohmann::json config = {{"seed", r.config.seed}};
  nlohmann::json files = nlohmann::json::object();

  if (r.model == "popularity" || r.model == "common-neighbours") {
    m["scorer"] = r.model;
    const auto scores = training_degree(graph);
    write_npy(dir / "place_scores.npy", std::span<const float>(scores), {graph.n_places()});
    files["place_scores.npy"] = file_entry("float32", {graph.n_places()});
  } else if (r.model == "itemknn") {
    m["scorer"] = "itemknn";
    config["itemknn"] = r.config.to_json()["itemknn"];
    const auto lists = user_lists(graph.interactions("train").csr);
    const auto n = compute_item_neighbours(lists, graph.n_places(), r.config.itemknn.neighbours);
    const auto entries = static_cast<int64_t>(n.items.size());
    write_npy(dir / "neighbour_offsets.npy", std::span<const int64_t>(n.offsets),
              {graph.n_places() + 1});
    write_npy(dir / "neighbour_items.npy", std::span<const int32_t>(n.items), {entries});
    write_npy(dir / "neighbour_similarities.npy", std::span<const float>(n.similarities),
              {entries});
    files["neighbour_offsets.npy"] = file_entry("int64", {graph.n_places() + 1});
    files["neighbour_items.npy"] = file_entry("int32", {entries});
    files["neighbour_similarities.npy"] = file_entry("float32", {entries});
    m["counts"]["neighbour_entries"] = entries;
  } else if (r.model == "mf-bpr") {
    m["scorer"] = "embeddings";
    config["mf_bpr"] = r.config.to_json()["mf_bpr"];
    const auto train = user_lists(graph.interactions("train").csr);
    const bool valid_usable = !graph.manifest()["splits"].value("valid_in_train", false) &&
                              graph.has_relation("user_place.valid");
    const eval::UserItemLists valid =
        valid_usable ? user_lists(graph.interactions("valid").csr) : eval::UserItemLists();
    const auto res = train_mf_bpr(train, valid, graph.n_users(), graph.n_places(), r.config.mf_bpr,
                                  r.config.seed);
    write_npy(dir / "user_embeddings.npy", std::span<const float>(res.user_embeddings),
              {res.n_users, res.dim});
    write_npy(dir / "place_embeddings.npy", std::span<const float>(res.item_embeddings),
              {res.n_items, res.dim});
    write_json(dir / "training_curve.json", res.curve);
    files["user_embeddings.npy"] = file_entry("float32", {res.n_users, res.dim});
    files["place_embeddings.npy"] = file_entry("float32", {res.n_items, res.dim});
    files["training_curve.json"] = {{"format",
                                     "JSON array of {epoch, loss, valid_recall@20, "
                                     "train_seconds}"}};
    m["training"] = {
        {"validation", res.validation},        {"validation_pairs", res.validation_pairs},
        {"sampled_pairs", res.training_pairs}, {"epochs_run", res.epochs_run},
        {"best_epoch", res.best_epoch},        {"best_valid_recall@20", res.best_valid_recall}};
  } else if (r.model == "oracle") {
    m["scorer"] = "oracle";
    m["data_dir"] = std::filesystem::absolute(data_dir).lexically_normal().string();
  } else {
    const ModelDefinition& def = *find_registered_model(r.model);
    if (def.read_config) config[def.section] = r.config.section(def.section);
    const auto checkpoint_dir = std::filesystem::path(r.output_dir.string() + ".checkpoint");
    TrainContext context{graph, r.graph_dir, r.config, dir,           m,
                         config, files,       checkpoint_dir, r.resume};
    def.train(context);
    if (!m.contains("scorer"))
      throw InvalidArgument(fmt::format("model {} did not set its scorer", r.model));
  }
  m["config"] = config;
  m["files"] = files;
  m["train_seconds"] =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  write_json(dir / "manifest.json", m);
  out.commit();
  std::error_code ignored;
  std::filesystem::remove_all(r.output_dir.string() + ".checkpoint", ignored);
  return {m, m["train_seconds"].get<double>()};
}

}  // namespace recsys::model
