#include "recsys/model/model_manifest.h"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "recsys/core/error.h"
#include "recsys/graph/checksum.h"

namespace recsys::model {
namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(fmt::format("cannot open {}", path.string()));
  std::ostringstream s;
  s << in.rdbuf();
  if (in.bad()) throw IoError(fmt::format("cannot read {}", path.string()));
  return s.str();
}

}  // namespace

std::string graph_manifest_checksum(const std::filesystem::path& graph_dir) {
  const std::string bytes = read_file(graph_dir / "manifest.json");
  return graph::checksum_hex(graph::checksum64(bytes.data(), bytes.size()));
}

nlohmann::json read_model_manifest(const std::filesystem::path& model_dir) {
  const auto path = model_dir / "manifest.json";
  if (!std::filesystem::exists(path))
    throw IoError(fmt::format("{} does not exist: not a model folder (written by recsys train)",
                              path.string()));
  nlohmann::json m;
  try {
    m = nlohmann::json::parse(read_file(path));
  } catch (const nlohmann::json::exception& e) {
    throw FormatError(fmt::format("{}: not valid JSON ({})", path.string(), e.what()));
  }
  if (!m.is_object() || m.value("format", "") != "recsys-model")
    throw FormatError(fmt::format("{}: not a recsys-model manifest", path.string()));
  if (m.value("format_version", 0) != kModelFormatVersion)
    throw FormatError(fmt::format("{}: format_version {} (this program reads {})", path.string(),
                                  m.value("format_version", 0), kModelFormatVersion));
  for (const char* key : {"model", "scorer", "graph", "counts"})
    if (!m.contains(key))
      throw FormatError(fmt::format("{}: missing key \"{}\"", path.string(), key));
  if (!m["graph"].contains("manifest_checksum") || !m["graph"]["manifest_checksum"].is_string())
    throw FormatError(fmt::format("{}: missing graph.manifest_checksum", path.string()));
  return m;
}

void check_model_graph(const nlohmann::json& model_manifest, const std::filesystem::path& model_dir,
                       const graph::GraphArtifact& graph) {
  const std::string expected = model_manifest["graph"]["manifest_checksum"].get<std::string>();
  const std::string actual = graph_manifest_checksum(graph.dir());
  if (expected != actual)
    throw InvalidArgument(fmt::format(
        "graph mismatch: model {} was trained on graph {} (manifest checksum {}), but {} has "
        "manifest checksum {}",
        model_dir.string(), model_manifest["graph"].value("path", "?"), expected,
        graph.dir().string(), actual));
  const auto& counts = model_manifest["counts"];
  if (counts.value("users", int64_t{-1}) != graph.n_users() ||
      counts.value("places", int64_t{-1}) != graph.n_places())
    throw InvalidArgument(fmt::format(
        "graph mismatch: model {} has {} users x {} places, graph {} "
        "has {} x {}",
        model_dir.string(), counts.value("users", int64_t{-1}), counts.value("places", int64_t{-1}),
        graph.dir().string(), graph.n_users(), graph.n_places()));
}

}  // namespace recsys::model
