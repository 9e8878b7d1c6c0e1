// The artifact loader: typed spans, and a changed, truncated or missing array
// file (or manifest) is a FormatError naming the file.
#include "recsys/graph/graph_artifact.h"

#include <gtest/gtest.h>

#include <fstream>

#include "graph_tables.h"
#include "recsys/core/error.h"
#include "recsys/graph/checksum.h"
#include "recsys/graph/graph_builder.h"

namespace recsys::graph {
namespace {

using testing::Tables;
namespace fs = std::filesystem;

fs::path built_graph(const std::string& name) {
  Tables t;
  t.users = {1, 2};
  t.places = {5, 6, 7};
  t.events = {{1, 5, 10}, {1, 6, 20}, {1, 7, 30}, {2, 5, 15}, {2, 7, 25}};
  const auto dir = testing::fresh_dir(name);
  testing::write_tables(dir / "data", t);
  GraphBuildConfig c;
  c.data_dir = dir / "data";
  c.output_dir = dir / "graph";
  c.cold_start_fraction = 0;
  build_graph(c);
  return c.output_dir;
}

void expect_format_error(const fs::path& graph, const std::string& mention) {
  try {
    GraphArtifact::open(graph);
    FAIL() << "expected FormatError mentioning " << mention;
  } catch (const FormatError& e) {
    EXPECT_NE(std::string(e.what()).find(mention), std::string::npos) << e.what();
  }
}

TEST(GraphArtifact, OpensAndExposesTypedArrays) {
  const auto dir = built_graph("open");
  auto g = GraphArtifact::open(dir);
  EXPECT_EQ(g.n_users(), 2);
  EXPECT_EQ(g.n_places(), 3);
  EXPECT_EQ(g.manifest()["format_version"], 1);
  EXPECT_EQ(g.dtype("user_place.train.offsets"), DType::Int64);
  EXPECT_EQ(g.relation("user_place.train").offsets.size(), 3u);
  EXPECT_THROW(g.array<float>("user_place.train.offsets"), InvalidArgument);  // wrong type
  EXPECT_THROW(g.array<int32_t>("no.such.array"), InvalidArgument);
  // Every array in the manifest has its file, and the checksum is of its bytes.
  for (const auto& [name, entry] : g.manifest()["arrays"].items())
    EXPECT_TRUE(fs::exists(dir / entry["file"].get<std::string>())) << name;
}

TEST(GraphArtifact, ChangedByteIsDetected) {
  const auto dir = built_graph("changed");
  const auto file = dir / "user_place.train.indices.bin";
  {
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    char c;
    f.seekg(0);
    f.get(c);
    f.seekp(0);
    f.put(static_cast<char>(c ^ 1));
  }
  expect_format_error(dir, "user_place.train.indices.bin");
  // Without verification the (same-size) file still maps.
  EXPECT_NO_THROW(GraphArtifact::open(dir, false));
}

TEST(GraphArtifact, TruncatedFileIsDetected) {
  const auto dir = built_graph("truncated");
  const auto file = dir / "user.features.bin";
  fs::resize_file(file, fs::file_size(file) - 3);
  expect_format_error(dir, "user.features.bin");
}

TEST(GraphArtifact, MissingFileIsDetected) {
  const auto dir = built_graph("missing");
  fs::remove(dir / "place_user.train.indices.bin");
  expect_format_error(dir, "place_user.train.indices.bin");
}

TEST(GraphArtifact, MalformedManifestIsAFormatError) {
  const auto dir = built_graph("manifest");
  std::ofstream(dir / "manifest.json") << "{\"format\": \"recsys-graph\", \"format_version\": 1";
  expect_format_error(dir, "manifest.json");
  std::ofstream(dir / "manifest.json") << "{\"format\": \"recsys-graph\", \"format_version\": 99}";
  expect_format_error(dir, "format_version");
  EXPECT_THROW(GraphArtifact::open(dir / "nowhere"), IoError);
}

TEST(Checksum, DependsOnEveryByteAndTheLength) {
  std::vector<unsigned char> data(1000);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<unsigned char>(i * 7);
  const uint64_t base = checksum64(data.data(), data.size());
  EXPECT_EQ(base, checksum64(data.data(), data.size()));
  for (size_t i : {size_t{0}, size_t{9}, size_t{500}, size_t{999}}) {
    auto copy = data;
    copy[i] ^= 0x10;
    EXPECT_NE(checksum64(copy.data(), copy.size()), base) << "byte " << i;
  }
  EXPECT_NE(checksum64(data.data(), 999), base);
  std::vector<unsigned char> zeros(16, 0);
  EXPECT_NE(checksum64(zeros.data(), 8), checksum64(zeros.data(), 16));
  EXPECT_EQ(checksum_hex(0x1f), "000000000000001f");
}

}  // namespace
}  // namespace recsys::graph
