#include "recsys/export/embedding_export.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <iterator>
#include <set>
#include <span>
#include <string>
#include <system_error>
#include <vector>

#include "recsys/core/error.h"
#include "recsys/export/embeddings_folder.h"
#include "recsys/graph/graph_artifact.h"
#include "recsys/io/atomic_dir.h"
#include "recsys/io/atomic_file.h"
#include "recsys/io/parquet/writer.h"
#include "recsys/model/model_manifest.h"
#include "recsys/model/npy_file.h"

namespace recsys::exporter {
namespace {

namespace fs = std::filesystem;

constexpr size_t kParquetBatchRows = 1 << 16;

// Raw ids of one node type, in node-index order, as the graph stores them (int32 or int64).
struct NodeIds {
  bool wide = false;  // int64 in the graph
  std::vector<int32_t> i32;
  std::vector<int64_t> i64;
  size_t size() const { return wide ? i64.size() : i32.size(); }
  const char* dtype() const { return wide ? "int64" : "int32"; }
};

NodeIds read_node_ids(const graph::GraphArtifact& g, const std::string& node) {
  const std::string name = node + ".ids";
  if (!g.has(name)) throw FormatError(fmt::format("graph {}: no array {}", g.dir().string(), name));
  NodeIds ids;
  const graph::DType dtype = g.dtype(name);
  if (dtype == graph::DType::Int32) {
    const auto a = g.array<int32_t>(name);
    ids.i32.assign(a.begin(), a.end());
  } else if (dtype == graph::DType::Int64) {
    ids.wide = true;
    const auto a = g.array<int64_t>(name);
    ids.i64.assign(a.begin(), a.end());
  } else {
    throw FormatError(fmt::format("graph {}: {} has dtype {} where int32 or int64 was expected",
                                  g.dir().string(), name, graph::to_string(dtype)));
  }
  return ids;
}

// A model's embedding matrix: float32 [rows, dim], every value finite.
std::vector<float> read_embeddings(const fs::path& file, int64_t rows, int64_t* dim) {
  std::vector<int64_t> shape;
  std::vector<float> values = model::read_npy_f32(file, &shape);
  if (shape.size() != 2)
    throw FormatError(fmt::format("{}: a 2-d array [rows, dim] was expected, got {} dimension(s)",
                                  file.string(), shape.size()));
  if (shape[0] != rows)
    throw FormatError(
        fmt::format("{}: {} rows where the graph has {}", file.string(), shape[0], rows));
  if (shape[1] < 1) throw FormatError(fmt::format("{}: dimension {}", file.string(), shape[1]));
  *dim = shape[1];
  for (size_t i = 0; i < values.size(); ++i)
    if (!std::isfinite(values[i]))
      throw FormatError(fmt::format("{}: row {} column {} is {} (embeddings must be finite)",
                                    file.string(), static_cast<int64_t>(i) / shape[1],
                                    static_cast<int64_t>(i) % shape[1], values[i]));
  return values;
}

// Serving files named by the model manifest: plain file names present in the model folder.
std::vector<std::string> serving_files(const nlohmann::json& m, const fs::path& model_dir) {
  const fs::path manifest = model_dir / "manifest.json";
  std::vector<std::string> names;
  if (!m.contains("serving_files")) return names;
  if (!m["serving_files"].is_array())
    throw FormatError(
        fmt::format("{}: \"serving_files\" must be an array of file names", manifest.string()));
  std::set<std::string> seen;
  for (const auto& entry : m["serving_files"]) {
    if (!entry.is_string())
      throw FormatError(fmt::format("{}: \"serving_files\" entry {} is not a file name",
                                    manifest.string(), entry.dump()));
    const std::string name = entry.get<std::string>();
    if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos ||
        name.find('\\') != std::string::npos)
      throw FormatError(fmt::format(
          "{}: \"serving_files\" entry \"{}\" is not a plain file name in the model folder",
          manifest.string(), name));
    if (is_reserved_file_name(name))
      throw FormatError(fmt::format(
          "{}: \"serving_files\" entry \"{}\" is a name the embeddings folder uses itself",
          manifest.string(), name));
    if (!seen.insert(name).second)
      throw FormatError(
          fmt::format("{}: \"serving_files\" lists \"{}\" twice", manifest.string(), name));
    if (!fs::is_regular_file(model_dir / name))
      throw FormatError(fmt::format("{}: \"serving_files\" entry \"{}\": {} is missing",
                                    manifest.string(), name, (model_dir / name).string()));
    names.push_back(name);
  }
  return names;
}

nlohmann::json read_metrics(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw IoError(fmt::format("--metrics: cannot open {}", file.string()));
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw IoError(fmt::format("--metrics: cannot read {}", file.string()));
  nlohmann::json metrics;
  try {
    metrics = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw FormatError(fmt::format("--metrics {}: not valid JSON ({})", file.string(), e.what()));
  }
  if (!metrics.is_object())
    throw FormatError(fmt::format(
        "--metrics {}: a JSON object (what recsys evaluate --output writes) was expected",
        file.string()));
  return metrics;
}

bool same_folder(const fs::path& a, const fs::path& b) {
  std::error_code ec1, ec2;
  fs::path ca = fs::weakly_canonical(a, ec1), cb = fs::weakly_canonical(b, ec2);
  if (ec1 || ec2) return false;
  if (!ca.has_filename()) ca = ca.parent_path();  // "model/" and "model" are the same folder
  if (!cb.has_filename()) cb = cb.parent_path();
  return ca == cb;
}

std::string absolute_path(const fs::path& p) {
  return fs::absolute(p).lexically_normal().string();
}

// One table: <node>_id (the graph's id type) and embedding LIST<FLOAT> (dim values per row).
void write_parquet(const fs::path& path, const std::string& node, const NodeIds& ids,
                   const std::vector<float>& values, int64_t dim, const std::string& model_name) {
  using parquet::ColumnType;
  const std::string id_column = node + "_id";
  parquet::Schema schema{{{id_column, ids.wide ? ColumnType::Int64 : ColumnType::Int32, false},
                          {"embedding", ColumnType::ListFloat, false}}};
  parquet::WriterOptions options;
  options.key_value_metadata = {{"recsys.schema_version", std::to_string(kEmbeddingsFormatVersion)},
                                {"recsys.table", node + "_embeddings"},
                                {"recsys.model", model_name},
                                {"recsys.dim", std::to_string(dim)}};
  parquet::Writer writer(path, schema, options);
  const size_t rows = ids.size(), width = static_cast<size_t>(dim);
  for (size_t begin = 0; begin < rows; begin += kParquetBatchRows) {
    const size_t end = std::min(rows, begin + kParquetBatchRows);
    parquet::Column id_col =
        ids.wide ? parquet::int64_column({ids.i64.begin() + static_cast<ptrdiff_t>(begin),
                                          ids.i64.begin() + static_cast<ptrdiff_t>(end)})
                 : parquet::int32_column({ids.i32.begin() + static_cast<ptrdiff_t>(begin),
                                          ids.i32.begin() + static_cast<ptrdiff_t>(end)});
    std::vector<int64_t> offsets(end - begin + 1);
    for (size_t r = 0; r < offsets.size(); ++r) offsets[r] = static_cast<int64_t>(r * width);
    std::vector<float> flat(values.begin() + static_cast<ptrdiff_t>(begin * width),
                            values.begin() + static_cast<ptrdiff_t>(end * width));
    std::vector<parquet::Column> columns;
    columns.push_back(std::move(id_col));
    columns.push_back(parquet::list_float_column(std::move(offsets), std::move(flat)));
    writer.write(parquet::make_batch(schema, std::move(columns)));
  }
  writer.close();
}

void write_ids_npy(const fs::path& path, const NodeIds& ids) {
  const int64_t n = static_cast<int64_t>(ids.size());
  if (ids.wide)
    model::write_npy(path, std::span<const int64_t>(ids.i64), {n});
  else
    model::write_npy(path, std::span<const int32_t>(ids.i32), {n});
}

// The manifest's entry of a file written into the folder: its size and checksum64 added to
// `entry`.
nlohmann::json file_entry(const fs::path& path, nlohmann::json entry) {
  if (entry.is_null()) entry = nlohmann::json::object();
  entry["bytes"] = static_cast<int64_t>(fs::file_size(path));
  entry["checksum64"] = file_checksum(path);
  return entry;
}

}  // namespace

ExportSummary export_embeddings(const ExportRequest& r) {
  const auto start = std::chrono::steady_clock::now();
  if (r.model_dir.empty()) throw ConfigError("--model: a model folder is required");
  if (r.output_dir.empty()) throw ConfigError("--output: an output folder is required");
  if (!fs::is_directory(r.model_dir))
    throw IoError(fmt::format("--model {}: no such folder", r.model_dir.string()));
  const nlohmann::json model_manifest = model::read_model_manifest(r.model_dir);
  const std::string scorer = model_manifest["scorer"].is_string()
                                 ? model_manifest["scorer"].get<std::string>()
                                 : model_manifest["scorer"].dump();
  if (scorer != "embeddings")
    throw InvalidArgument(fmt::format(
        "model folder {} has scorer \"{}\": only models with scorer \"embeddings\" "
        "(user_embeddings.npy + place_embeddings.npy: mf-bpr, lightgcn, hetero) can be exported",
        r.model_dir.string(), scorer));
  const std::string model_name = model_manifest["model"].is_string()
                                     ? model_manifest["model"].get<std::string>()
                                     : model_manifest["model"].dump();

  fs::path graph_dir = r.graph_dir;
  if (graph_dir.empty()) {
    if (!model_manifest["graph"].contains("path") || !model_manifest["graph"]["path"].is_string())
      throw FormatError(fmt::format("{}: no graph.path (pass --graph)",
                                    (r.model_dir / "manifest.json").string()));
    graph_dir = model_manifest["graph"]["path"].get<std::string>();
  }
  // "emb/" names the folder "emb".
  const fs::path target = r.output_dir.lexically_normal().has_filename()
                              ? r.output_dir.lexically_normal()
                              : r.output_dir.lexically_normal().parent_path();
  // --force must never replace the folders export reads.
  for (const auto& [what, dir] : {std::pair{"model", r.model_dir}, std::pair{"graph", graph_dir}})
    if (same_folder(target, dir))
      throw InvalidArgument(fmt::format("--output {} is the {} folder; choose another folder",
                                        r.output_dir.string(), what));
  const std::vector<std::string> serving = serving_files(model_manifest, r.model_dir);
  const nlohmann::json metrics =
      r.metrics_file.empty() ? nlohmann::json(nullptr) : read_metrics(r.metrics_file);

  // Claim the output before the heavier reads, so that an existing folder fails fast.
  AtomicDir out(target, r.force);

  const auto graph = graph::GraphArtifact::open(graph_dir);
  model::check_model_graph(model_manifest, r.model_dir, graph);
  const NodeIds user_ids = read_node_ids(graph, "user");
  const NodeIds place_ids = read_node_ids(graph, "place");
  int64_t dim = 0, place_dim = 0;
  const auto users = read_embeddings(r.model_dir / kUserEmbeddingsNpy, graph.n_users(), &dim);
  const auto places =
      read_embeddings(r.model_dir / kPlaceEmbeddingsNpy, graph.n_places(), &place_dim);
  if (dim != place_dim)
    throw FormatError(fmt::format("{}: dimension {} but {} has dimension {}",
                                  (r.model_dir / kUserEmbeddingsNpy).string(), dim,
                                  (r.model_dir / kPlaceEmbeddingsNpy).string(), place_dim));
  const int64_t n_users = graph.n_users(), n_places = graph.n_places();
  if (static_cast<int64_t>(user_ids.size()) != n_users ||
      static_cast<int64_t>(place_ids.size()) != n_places)
    throw FormatError(
        fmt::format("graph {}: user.ids / place.ids have {} / {} entries for {} / {} "
                    "nodes",
                    graph.dir().string(), user_ids.size(), place_ids.size(), n_users, n_places));

  const fs::path& dir = out.path();
  nlohmann::json files = nlohmann::json::object();
  write_parquet(dir / kUsersParquet, "user", user_ids, users, dim, model_name);
  write_parquet(dir / kPlacesParquet, "place", place_ids, places, dim, model_name);
  model::write_npy(dir / kUserEmbeddingsNpy, std::span<const float>(users), {n_users, dim});
  model::write_npy(dir / kPlaceEmbeddingsNpy, std::span<const float>(places), {n_places, dim});
  write_ids_npy(dir / kUserIdsNpy, user_ids);
  write_ids_npy(dir / kPlaceIdsNpy, place_ids);
  files[kUsersParquet] =
      file_entry(dir / kUsersParquet, {{"rows", n_users}, {"columns", {"user_id", "embedding"}}});
  files[kPlacesParquet] = file_entry(dir / kPlacesParquet,
                                     {{"rows", n_places}, {"columns", {"place_id", "embedding"}}});
  files[kUserEmbeddingsNpy] =
      file_entry(dir / kUserEmbeddingsNpy, {{"dtype", "float32"}, {"shape", {n_users, dim}}});
  files[kPlaceEmbeddingsNpy] =
      file_entry(dir / kPlaceEmbeddingsNpy, {{"dtype", "float32"}, {"shape", {n_places, dim}}});
  files[kUserIdsNpy] =
      file_entry(dir / kUserIdsNpy, {{"dtype", user_ids.dtype()}, {"shape", {n_users}}});
  files[kPlaceIdsNpy] =
      file_entry(dir / kPlaceIdsNpy, {{"dtype", place_ids.dtype()}, {"shape", {n_places}}});
  for (const std::string& name : serving) {
    std::error_code ec;
    fs::copy_file(r.model_dir / name, dir / name, ec);
    if (ec)
      throw IoError(fmt::format("cannot copy serving file {} into {}: {}",
                                (r.model_dir / name).string(), dir.string(), ec.message()));
    // The model manifest's description of the file (dtype, shape, ...), if it has one.
    nlohmann::json entry = nlohmann::json::object();
    if (model_manifest.contains("files") && model_manifest["files"].is_object() &&
        model_manifest["files"].contains(name) && model_manifest["files"][name].is_object())
      entry = model_manifest["files"][name];
    files[name] = file_entry(dir / name, entry);
  }

  nlohmann::json m;
  m["format"] = kEmbeddingsFormat;
  m["format_version"] = kEmbeddingsFormatVersion;
  m["model"] = model_name;
  m["scorer"] = "dot";
  m["metric"] = "inner_product";
  m["normalized"] = false;
  m["dim"] = dim;
  m["counts"] = {{"users", n_users}, {"places", n_places}};
  m["id_dtype"] = {{"user", user_ids.dtype()}, {"place", place_ids.dtype()}};
  m["source_model"] = {{"path", absolute_path(r.model_dir)},
                       {"manifest_checksum", file_checksum(r.model_dir / "manifest.json")},
                       {"manifest", model_manifest}};
  m["graph"] = {{"path", absolute_path(graph_dir)},
                {"manifest_checksum", model::graph_manifest_checksum(graph_dir)}};
  m["metrics"] = metrics;
  m["metrics_file"] = r.metrics_file.empty() ? nlohmann::json(nullptr)
                                             : nlohmann::json(absolute_path(r.metrics_file));
  m["serving_files"] = serving;
  m["files"] = std::move(files);

  const std::string text = m.dump(2) + "\n";
  io::AtomicFile manifest_file(dir / kManifestJson);
  manifest_file.write(text.data(), text.size());
  manifest_file.commit();
  out.commit();
  ExportSummary summary;
  summary.manifest = std::move(m);
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

}  // namespace recsys::exporter
