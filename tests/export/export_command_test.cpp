// `recsys export` through the program: an mf-bpr model trained on a small generated graph and
// on a tiny imported cf graph with sparse raw ids, read back with the project's Parquet and
// .npy readers and the embeddings-folder reader; the error cases leave no output.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "../common/cli_run.h"
#include "recsys/core/error.h"
#include "recsys/export/embeddings_folder.h"
#include "recsys/graph/graph_artifact.h"
#include "recsys/io/parquet/reader.h"
#include "recsys/model/model_manifest.h"
#include "recsys/model/npy_file.h"

namespace fs = std::filesystem;

namespace recsys::exporter {
namespace {

using recsys::testing::err;
using recsys::testing::run;
using recsys::testing::scratch;

std::string read(const fs::path& p) {
  return recsys::testing::read_text(p);
}

// The inputs, each made once per test program and only when a test asks for it (ctest runs
// every test in its own process).

// A small generated data set and its graph.
const fs::path& generated_graph() {
  static const fs::path graph = [] {
    const fs::path data = scratch() / "data", g = scratch() / "graph";
    EXPECT_EQ(run("generate --output-dir " + data.string() +
                  " --n-users 300 --n-places 200 --n-cities 3 -q"),
              0)
        << err();
    EXPECT_EQ(run("build-graph --data " + data.string() + " --output " + g.string() + " -q"), 0)
        << err();
    return g;
  }();
  return graph;
}

// The same data with another split seed: a graph the models were not trained on.
const fs::path& other_graph() {
  static const fs::path graph = [] {
    const fs::path g = scratch() / "graph-seed7";
    generated_graph();
    EXPECT_EQ(run("build-graph --data " + (scratch() / "data").string() + " --output " +
                  g.string() + " --seed 7 -q"),
              0)
        << err();
    return g;
  }();
  return graph;
}

const fs::path& trained(const std::string& model, const std::string& flags) {
  static std::map<std::string, fs::path> models;
  auto it = models.find(model);
  if (it != models.end()) return it->second;
  const fs::path dir = scratch() / model;
  EXPECT_EQ(run("train --graph " + generated_graph().string() + " --model " + model + " " + flags +
                " --output " + dir.string() + " -q"),
            0)
      << err();
  return models.emplace(model, dir).first->second;
}
const fs::path& mf_model() {
  return trained("mf-bpr", "--epochs 3 --dim 8");
}
const fs::path& popularity_model() {
  return trained("popularity", "");
}

// `recsys evaluate --output` of the mf-bpr model.
const fs::path& mf_metrics() {
  static const fs::path metrics = [] {
    const fs::path m = scratch() / "mf-metrics.json";
    EXPECT_EQ(run("evaluate --model " + mf_model().string() + " --graph " +
                  generated_graph().string() + " --output " + m.string() + " -q"),
              0)
        << err();
    return m;
  }();
  return metrics;
}

// A tiny imported cf data set whose raw ids have gaps and come in another order than the file's,
// so that row i's id is not i, and an mf-bpr model on it.
struct CfModel {
  fs::path graph, model;
};
const CfModel& cf_model() {
  static const CfModel x = [] {
    CfModel c;
    const fs::path cf = scratch() / "cf";
    fs::create_directories(cf);
    std::ofstream(cf / "train.txt") << "40 7 13 2\n10 13 99 5\n25 2 5 7\n31 99 7\n";
    std::ofstream(cf / "test.txt") << "40 5\n10 2\n25 99\n31 13\n";
    c.graph = scratch() / "cf-graph";
    c.model = scratch() / "cf-mf";
    EXPECT_EQ(run("import cf --train " + (cf / "train.txt").string() + " --test " +
                  (cf / "test.txt").string() + " --output-dir " + (cf / "tables").string() + " -q"),
              0)
        << err();
    // Without users.parquet / places.parquet the graph's node sets are the ids that occur.
    fs::remove(cf / "tables" / "users.parquet");
    fs::remove(cf / "tables" / "places.parquet");
    EXPECT_EQ(run("build-graph --data " + (cf / "tables").string() + " --output " +
                  c.graph.string() + " -q"),
              0)
        << err();
    EXPECT_EQ(run("train --graph " + c.graph.string() + " --model mf-bpr --epochs 2 --dim 4 " +
                  "--output " + c.model.string() + " -q"),
              0)
        << err();
    return c;
  }();
  return x;
}

// Widened ids of a graph's node type.
std::vector<int64_t> graph_ids(const graph::GraphArtifact& g, const std::string& node) {
  std::vector<int64_t> ids;
  if (g.dtype(node + ".ids") == graph::DType::Int64) {
    for (int64_t v : g.array<int64_t>(node + ".ids")) ids.push_back(v);
  } else {
    for (int32_t v : g.array<int32_t>(node + ".ids")) ids.push_back(v);
  }
  return ids;
}

// The Parquet table of one node type against the model's .npy and the graph's ids: same ids in
// the same order, lists of `dim` floats equal bit for bit to the model's rows.
void expect_table_matches(const fs::path& parquet_file, const std::string& id_column,
                          const std::vector<int64_t>& ids, const fs::path& model_npy, int64_t dim) {
  SCOPED_TRACE(parquet_file.string());
  std::vector<int64_t> shape;
  const std::vector<float> model_rows = model::read_npy_f32(model_npy, &shape);
  ASSERT_EQ(shape, (std::vector<int64_t>{static_cast<int64_t>(ids.size()), dim}));
  const parquet::Reader reader(parquet_file);
  ASSERT_EQ(reader.schema().fields.size(), 2u);
  EXPECT_EQ(reader.schema().fields[0].name, id_column);
  EXPECT_EQ(reader.schema().fields[1].name, "embedding");
  EXPECT_EQ(reader.schema().fields[1].type, parquet::ColumnType::ListFloat);
  EXPECT_EQ(reader.metadata("recsys.dim"), std::to_string(dim));
  const parquet::RecordBatch batch = reader.read_all();
  ASSERT_EQ(batch.num_rows(), ids.size());
  const parquet::Column& id = batch.column(id_column);
  for (size_t r = 0; r < ids.size(); ++r) {
    const int64_t got = id.type == parquet::ColumnType::Int64 ? id.i64[r] : id.i32[r];
    ASSERT_EQ(got, ids[r]) << "row " << r;
  }
  const parquet::Column& emb = batch.column("embedding");
  ASSERT_EQ(emb.offsets.size(), ids.size() + 1);
  for (size_t r = 0; r <= ids.size(); ++r)
    ASSERT_EQ(emb.offsets[r], static_cast<int64_t>(r) * dim) << "offset " << r;
  ASSERT_EQ(emb.f32.size(), model_rows.size());
  EXPECT_EQ(std::memcmp(emb.f32.data(), model_rows.data(), model_rows.size() * sizeof(float)), 0);
}

TEST(ExportCommand, MfBprOnGeneratedGraph) {
  const fs::path out = scratch() / "emb-mf";
  ASSERT_EQ(run("export --model " + mf_model().string() + " --output " + out.string() +
                " --metrics " + mf_metrics().string()),
            0)
      << err();
  EXPECT_NE(read(scratch() / "log.out").find("mf-bpr embeddings"), std::string::npos);

  const EmbeddingsFolder e = read_embeddings_folder(out);  // sizes and checksums verified
  const auto& m = e.manifest;
  EXPECT_EQ(m["format"], "recsys-embeddings");
  EXPECT_EQ(m["model"], "mf-bpr");
  EXPECT_EQ(m["scorer"], "dot");
  EXPECT_EQ(m["metric"], "inner_product");
  EXPECT_EQ(m["normalized"], false);
  EXPECT_EQ(e.dim, 8);
  EXPECT_EQ(m["serving_files"], nlohmann::json::array());
  EXPECT_EQ(m["metrics"], nlohmann::json::parse(read(mf_metrics())));
  EXPECT_EQ(m["source_model"]["path"], fs::absolute(mf_model()).lexically_normal().string());
  EXPECT_EQ(m["source_model"]["manifest"], model::read_model_manifest(mf_model()));
  EXPECT_EQ(m["graph"]["path"], fs::absolute(generated_graph()).lexically_normal().string());
  EXPECT_EQ(m["graph"]["manifest_checksum"], model::graph_manifest_checksum(generated_graph()));

  const auto g = graph::GraphArtifact::open(generated_graph());
  EXPECT_EQ(m["counts"]["users"], g.n_users());
  EXPECT_EQ(m["counts"]["places"], g.n_places());
  EXPECT_EQ(e.user_ids, graph_ids(g, "user"));
  EXPECT_EQ(e.place_ids, graph_ids(g, "place"));
  // The .npy files: the model's embeddings, bit for bit.
  std::vector<int64_t> shape;
  EXPECT_EQ(e.users, model::read_npy_f32(mf_model() / "user_embeddings.npy", &shape));
  EXPECT_EQ(e.places, model::read_npy_f32(mf_model() / "place_embeddings.npy", &shape));
  expect_table_matches(out / kUsersParquet, "user_id", e.user_ids, out / kUserEmbeddingsNpy, 8);
  expect_table_matches(out / kPlacesParquet, "place_id", e.place_ids, out / kPlaceEmbeddingsNpy, 8);
  // Nothing but the documented files.
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(out)) names.push_back(entry.path().filename());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{
                       "manifest.json", "place_embeddings.npy", "place_ids.npy", "places.parquet",
                       "user_embeddings.npy", "user_ids.npy", "users.parquet"}));
}

TEST(ExportCommand, RowsKeyedByRawIdsOfAnImportedGraph) {
  const fs::path out = scratch() / "emb-cf";
  // --graph given explicitly (the manifest's path would do as well); no --metrics.
  ASSERT_EQ(run("export --model " + cf_model().model.string() + " --graph " +
                cf_model().graph.string() + " --output " + out.string() + " -q"),
            0)
      << err();
  const EmbeddingsFolder e = read_embeddings_folder(out);
  EXPECT_TRUE(e.manifest["metrics"].is_null());
  EXPECT_EQ(e.user_ids, (std::vector<int64_t>{10, 25, 31, 40}));
  EXPECT_EQ(e.place_ids, (std::vector<int64_t>{2, 5, 7, 13, 99}));
  EXPECT_EQ(e.dim, 4);
  expect_table_matches(out / kUsersParquet, "user_id", e.user_ids,
                       cf_model().model / "user_embeddings.npy", 4);
  expect_table_matches(out / kPlacesParquet, "place_id", e.place_ids,
                       cf_model().model / "place_embeddings.npy", 4);
}

// A copy of the mf-bpr model folder, for tests that change it.
fs::path copy_of_mf(const std::string& name) {
  const fs::path dir = scratch() / name;
  fs::remove_all(dir);
  fs::copy(mf_model(), dir, fs::copy_options::recursive);
  return dir;
}

void set_manifest_key(const fs::path& model_dir, const std::string& key,
                      const nlohmann::json& value) {
  auto m = nlohmann::json::parse(read(model_dir / "manifest.json"));
  m[key] = value;
  std::ofstream(model_dir / "manifest.json") << m.dump(2);
}

TEST(ExportCommand, CopiesServingFiles) {
  const fs::path model = copy_of_mf("mf-serving");
  std::ofstream(model / "encoder_weights.bin", std::ios::binary)
      << std::string("\x01\x02\x00\x03", 4);
  std::ofstream(model / "feature_stats.json") << "{\"mean\": [1.5]}\n";
  set_manifest_key(model, "serving_files", {"encoder_weights.bin", "feature_stats.json"});
  const fs::path out = scratch() / "emb-serving";
  ASSERT_EQ(run("export --model " + model.string() + " --output " + out.string() + " -q"), 0)
      << err();
  const EmbeddingsFolder e = read_embeddings_folder(out);
  EXPECT_EQ(e.manifest["serving_files"],
            nlohmann::json({"encoder_weights.bin", "feature_stats.json"}));
  EXPECT_EQ(read(out / "encoder_weights.bin"), read(model / "encoder_weights.bin"));
  EXPECT_EQ(read(out / "feature_stats.json"), read(model / "feature_stats.json"));
  EXPECT_EQ(e.manifest["files"]["encoder_weights.bin"]["bytes"], 4);
  // A changed serving file is caught by the reader.
  std::ofstream(out / "feature_stats.json") << "{\"mean\": [2.5]}\n";
  EXPECT_THROW(read_embeddings_folder(out), FormatError);
}

// Runs export with `args`, expects a failure whose message contains every `needles` entry and
// no output folder (nor a temporary sibling).
void expect_export_fails(const std::string& args, const fs::path& out,
                         const std::vector<std::string>& needles) {
  SCOPED_TRACE(args);
  EXPECT_EQ(run("export " + args + " --output " + out.string()), 1);
  const std::string message = err();
  for (const auto& needle : needles)
    EXPECT_NE(message.find(needle), std::string::npos) << "'" << needle << "' in: " << message;
  EXPECT_FALSE(fs::exists(out));
  for (const auto& entry : fs::directory_iterator(out.parent_path()))
    EXPECT_EQ(entry.path().filename().string().find("." + out.filename().string() + "."),
              std::string::npos)
        << entry.path();
}

TEST(ExportCommand, RefusesModelsWithoutEmbeddings) {
  expect_export_fails("--model " + popularity_model().string(), scratch() / "emb-pop",
                      {popularity_model().string(), "scorer \"popularity\"", "embeddings"});
}

TEST(ExportCommand, BadInputLeavesNoOutput) {
  const fs::path out = scratch() / "emb-bad";
  expect_export_fails("--model " + (scratch() / "no-such-model").string(), out, {"no-such-model"});
  expect_export_fails("--model " + mf_model().string() + " --graph " + other_graph().string(), out,
                      {"graph mismatch", other_graph().string()});
  expect_export_fails(
      "--model " + mf_model().string() + " --metrics " + (scratch() / "no-metrics.json").string(),
      out, {"--metrics", "no-metrics.json"});
  std::ofstream(scratch() / "bad-metrics.json") << "[1, 2";
  expect_export_fails(
      "--model " + mf_model().string() + " --metrics " + (scratch() / "bad-metrics.json").string(),
      out, {"--metrics", "bad-metrics.json", "JSON"});

  // A truncated embedding file.
  const fs::path truncated = copy_of_mf("mf-truncated");
  fs::resize_file(truncated / "place_embeddings.npy",
                  fs::file_size(truncated / "place_embeddings.npy") - 4);
  expect_export_fails("--model " + truncated.string(), out,
                      {(truncated / "place_embeddings.npy").string()});
  // Not-a-number embeddings.
  const fs::path nan_model = copy_of_mf("mf-nan");
  {
    std::vector<int64_t> shape;
    auto users = model::read_npy_f32(nan_model / "user_embeddings.npy", &shape);
    users[3] = std::nanf("");
    model::write_npy(nan_model / "user_embeddings.npy", std::span<const float>(users), shape);
  }
  expect_export_fails("--model " + nan_model.string(), out,
                      {(nan_model / "user_embeddings.npy").string(), "finite"});
  // Serving files that are not plain names of files in the model folder.
  const fs::path serving = copy_of_mf("mf-bad-serving");
  for (const auto& [entries, needle] : std::vector<std::pair<nlohmann::json, std::string>>{
           {nlohmann::json::array({"../mf/manifest.json"}), "not a plain file name"},
           {nlohmann::json::array({"users.parquet"}), "uses itself"},
           {nlohmann::json::array({"missing.bin"}), "missing"},
           {"weights.bin", "array"}}) {
    set_manifest_key(serving, "serving_files", entries);
    expect_export_fails("--model " + serving.string(), out, {"serving_files", needle});
  }
}

TEST(ExportCommand, ExistingOutputNeedsForce) {
  const fs::path out = scratch() / "emb-existing";
  fs::create_directories(out);
  std::ofstream(out / "keep.txt") << "x";
  EXPECT_EQ(run("export --model " + mf_model().string() + " --output " + out.string()), 1);
  EXPECT_NE(err().find("--force"), std::string::npos) << err();
  EXPECT_TRUE(fs::exists(out / "keep.txt"));
  ASSERT_EQ(
      run("export --model " + mf_model().string() + " --output " + out.string() + " --force -q"), 0)
      << err();
  EXPECT_FALSE(fs::exists(out / "keep.txt"));
  EXPECT_NO_THROW(read_embeddings_folder(out));
  // --force never replaces the model folder it reads.
  const fs::path model = copy_of_mf("mf-self");
  EXPECT_EQ(run("export --model " + model.string() + " --output " + model.string() + "/ --force"),
            1);
  EXPECT_NE(err().find("is the model folder"), std::string::npos) << err();
  EXPECT_TRUE(fs::exists(model / "user_embeddings.npy"));
}

TEST(EmbeddingsFolderReader, DetectsChangedAndMissingFiles) {
  const fs::path out = scratch() / "emb-tamper";
  ASSERT_EQ(run("export --model " + mf_model().string() + " --output " + out.string() + " -q"), 0)
      << err();
  {
    std::fstream file(out / kPlaceEmbeddingsNpy, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(-1, std::ios::end);
    file.put('\x7f');
  }
  try {
    read_embeddings_folder(out);
    ADD_FAILURE() << "a changed file was accepted";
  } catch (const FormatError& e) {
    EXPECT_NE(std::string(e.what()).find(kPlaceEmbeddingsNpy), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("checksum64"), std::string::npos) << e.what();
  }
  fs::remove(out / kUserIdsNpy);
  EXPECT_THROW(read_embeddings_folder(out), FormatError);
  EXPECT_THROW(read_embeddings_folder(scratch() / "no-such-folder"), IoError);
  EXPECT_THROW(read_embeddings_folder(mf_model()), FormatError);  // a model folder, not embeddings
}

// numpy (when python3 has it) loads the .npy files as float32 / int32 arrays of the right shape
// and values.
TEST(ExportCommand, NumpyLoadsTheArrays) {
  std::string python;
  for (const char* candidate : {"/usr/bin/python3", "python3"})
    if (std::system((std::string(candidate) + " -c 'import numpy' >/dev/null 2>&1").c_str()) == 0) {
      python = candidate;
      break;
    }
  if (python.empty()) GTEST_SKIP() << "no python3 with numpy";
  const fs::path out = scratch() / "emb-numpy";
  ASSERT_EQ(
      run("export --model " + cf_model().model.string() + " --output " + out.string() + " -q"), 0)
      << err();
  const EmbeddingsFolder e = read_embeddings_folder(out);
  const fs::path script = scratch() / "check.py";
  std::ofstream(script)
      << "import sys, numpy as np\n"
         "d = sys.argv[1]\n"
         "u = np.load(d + '/user_embeddings.npy')\n"
         "ids = np.load(d + '/user_ids.npy')\n"
         "print(u.dtype, u.shape[0], u.shape[1], ids.dtype, ' '.join(map(str, ids)),"
         " '%.9g' % u[2, 3])\n";
  const std::string cmd = python + " " + script.string() + " " + out.string() + " > " +
                          (scratch() / "numpy.out").string() + " 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << read(scratch() / "numpy.out");
  char expected[64];
  std::snprintf(expected, sizeof expected, "%.9g", static_cast<double>(e.users[2 * 4 + 3]));
  EXPECT_EQ(read(scratch() / "numpy.out"),
            std::string("float32 4 4 int32 10 25 31 40 ") + expected + "\n");
}

}  // namespace
}  // namespace recsys::exporter
