#include "recsys/recommend/artifacts.h"

#include <fmt/format.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "recsys/core/error.h"
#include "recsys/model/model_manifest.h"

namespace recsys::recommend {
namespace fs = std::filesystem;
namespace {

bool is_embeddings_folder(const fs::path& dir) {
  std::ifstream in(dir / exporter::kManifestJson);
  if (!in) return false;
  const auto m =
      nlohmann::json::parse(std::string(std::istreambuf_iterator<char>(in), {}), nullptr, false);
  return m.is_object() && m.value("format", "") == exporter::kEmbeddingsFormat;
}

void check_graph(const exporter::EmbeddingsFolder& emb, const graph::GraphArtifact& g) {
  const auto& m = emb.manifest;
  const std::string expected = m.at("graph").value("manifest_checksum", "");
  const std::string actual = model::graph_manifest_checksum(g.dir());
  if (expected != actual)
    throw InvalidArgument(fmt::format(
        "graph mismatch: embeddings {} were exported from graph {} (manifest checksum {}), "
        "but {} has manifest checksum {}",
        emb.dir.string(), m.at("graph").value("path", "?"), expected, g.dir().string(), actual));
  const auto users = g.array<int32_t>("user.ids");
  const auto places = g.array<int32_t>("place.ids");
  const bool same = users.size() == emb.user_ids.size() && places.size() == emb.place_ids.size() &&
                    std::equal(users.begin(), users.end(), emb.user_ids.begin()) &&
                    std::equal(places.begin(), places.end(), emb.place_ids.begin());
  if (!same)
    throw InvalidArgument(
        fmt::format("graph mismatch: the user / place ids of embeddings {} differ from the "
                    "user.ids / place.ids of graph {}",
                    emb.dir.string(), g.dir().string()));
}

}  // namespace

Artifacts open_artifacts(const fs::path& dir, const fs::path& index_dir) {
  Artifacts a;
  a.dir = dir;
  if (!fs::is_directory(dir))
    throw IoError(fmt::format("{}: artifacts folder does not exist", dir.string()));
  const bool workdir = !is_embeddings_folder(dir);
  const fs::path emb_dir = workdir ? dir / "embeddings" : dir;
  if (workdir && !fs::is_directory(emb_dir))
    throw IoError(fmt::format(
        "{}: neither an embeddings folder (recsys export) nor a pipeline workdir with an "
        "embeddings/ folder",
        dir.string()));
  auto t = std::chrono::steady_clock::now();
  auto lap = [&](const char* part) {
    const auto now = std::chrono::steady_clock::now();
    a.load_seconds.emplace_back(part, std::chrono::duration<double>(now - t).count());
    t = now;
  };
  a.embeddings = exporter::read_embeddings_folder(emb_dir);
  lap("embeddings");

  fs::path graph_dir = workdir ? dir / "graph" : fs::path();
  if (graph_dir.empty() || !fs::is_directory(graph_dir)) {
    const auto& g = a.embeddings.manifest.at("graph");
    if (!g.contains("path") || !g["path"].is_string())
      throw FormatError(fmt::format("{}: no graph.path, and no graph/ folder next to it",
                                    (emb_dir / exporter::kManifestJson).string()));
    graph_dir = g["path"].get<std::string>();
  }
  a.graph = std::make_unique<graph::GraphArtifact>(graph::GraphArtifact::open(graph_dir));
  check_graph(a.embeddings, *a.graph);
  lap("graph");

  fs::path idx = index_dir;
  if (idx.empty() && workdir && fs::is_directory(dir / "index")) idx = dir / "index";
  if (!idx.empty()) {
    a.index = index::read_index_folder(idx, &a.embeddings);
    a.index_source = idx.string();
  } else {
    a.index = index::build_in_memory(a.embeddings, {});
    a.index_source = "in memory (auto)";
  }
  lap("index");

  if (model::HeteroServing::available(emb_dir))
    a.hetero = model::HeteroServing::open(emb_dir, *a.graph);
  else if (workdir && model::HeteroServing::available(dir / "model"))
    a.hetero = model::HeteroServing::open(dir / "model", *a.graph);
  lap("hetero");
  if (a.hetero && a.hetero->dim() != a.dim())
    throw FormatError(
        fmt::format("{}: hetero serving files give {}-d users, the embeddings are "
                    "{}-d",
                    emb_dir.string(), a.hetero->dim(), a.dim()));
  return a;
}

}  // namespace recsys::recommend
