// The index folder: written atomically with a manifest, read back with size / checksum checks,
// tied to the embeddings folder it was built from.
#include "recsys/index/index_folder.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <random>

#include "recsys/core/error.h"

namespace recsys::index {
namespace {

namespace fs = std::filesystem;

class IndexFolderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("recsys-index-folder-test-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
    emb_ = make_embeddings(root_ / "emb", 300, 200, 24, 1);
  }
  void TearDown() override { fs::remove_all(root_); }

  // An embeddings folder in memory (random vectors) whose manifest.json exists on disk, which is
  // all the index folder reads of it (its checksum).
  static exporter::EmbeddingsFolder make_embeddings(const fs::path& dir, int64_t users,
                                                    int64_t places, int dim, uint32_t seed) {
    fs::create_directories(dir);
    exporter::EmbeddingsFolder e;
    e.dir = dir;
    e.dim = dim;
    e.manifest = {{"format", "recsys-embeddings"}, {"model", "test-model"}, {"seed", seed}};
    std::ofstream(dir / "manifest.json") << e.manifest.dump(2);
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal;
    for (int64_t u = 0; u < users; ++u) e.user_ids.push_back(1000 + u);
    for (int64_t p = 0; p < places; ++p) e.place_ids.push_back(5000 + p);
    e.users.resize(static_cast<size_t>(users * dim));
    e.places.resize(static_cast<size_t>(places * dim));
    for (float& v : e.users) v = normal(rng);
    for (int64_t p = 0; p < places; ++p)  // places: [16 values, zeros] like hetero exports
      for (int c = 0; c < dim; ++c) e.places[p * dim + c] = c < 16 ? normal(rng) : 0.0f;
    return e;
  }

  fs::path root_;
  exporter::EmbeddingsFolder emb_;
};

TEST_F(IndexFolderTest, WritesAManifestAndReadsBack) {
  IndexBuildOptions o;
  const auto m = write_index_folder(emb_, root_ / "index", o, false);
  EXPECT_EQ(m["format"], "recsys-index");
  EXPECT_EQ(m["format_version"], 1);
  EXPECT_EQ(m["model"], "test-model");
  EXPECT_EQ(m["indices"]["places"]["kind"], "flat");  // auto: small catalogue
  EXPECT_EQ(m["indices"]["places"]["rows"], 200);
  EXPECT_EQ(m["indices"]["users"]["rows"], 300);
  EXPECT_EQ(m["indices"]["users"]["dim"], 24);
  EXPECT_TRUE(m["files"].contains("places.index"));
  EXPECT_EQ(m["embeddings"]["manifest_checksum"],
            exporter::file_checksum(emb_.dir / "manifest.json"));
  const auto f = read_index_folder(root_ / "index", &emb_);
  EXPECT_EQ(f.places.rows(), 200);
  EXPECT_EQ(f.users.rows(), 300);
  EXPECT_EQ(f.places.dim(), 24);
  EXPECT_EQ(f.manifest, m);
  // The stored vectors are the embeddings.
  for (int c = 0; c < 24; ++c) EXPECT_EQ(f.places.vector(7)[c], emb_.places[7 * 24 + c]);
  // No temporary folder is left beside the output.
  int entries = 0;
  for (const auto& e : fs::directory_iterator(root_)) entries += e.path().filename() != "emb";
  EXPECT_EQ(entries, 1);
}

TEST_F(IndexFolderTest, OptionsOverrideTheAutomaticChoice) {
  IndexBuildOptions o;
  o.kind = IndexKind::kHnsw;
  o.hnsw_m = 8;
  o.ef_search = 40;
  const auto m = write_index_folder(emb_, root_ / "index", o, false);
  EXPECT_EQ(m["indices"]["places"]["kind"], "hnsw");
  EXPECT_EQ(m["indices"]["places"]["params"]["hnsw_m"], 8);
  const auto f = read_index_folder(root_ / "index");
  EXPECT_EQ(f.users.params().kind, IndexKind::kHnsw);
  EXPECT_EQ(f.users.params().ef_search, 40);
  const auto mem = build_in_memory(emb_, o);
  EXPECT_EQ(mem.places.params().hnsw_m, 8);
  EXPECT_EQ(mem.manifest["indices"]["places"]["params"], m["indices"]["places"]["params"]);
  EXPECT_FALSE(mem.manifest.contains("files"));
}

TEST_F(IndexFolderTest, RefusesAnExistingOutputWithoutForce) {
  write_index_folder(emb_, root_ / "index", {}, false);
  EXPECT_THROW(write_index_folder(emb_, root_ / "index", {}, false), IoError);
  IndexBuildOptions o;
  o.kind = IndexKind::kHnsw;
  write_index_folder(emb_, root_ / "index", o, true);
  EXPECT_EQ(read_index_folder(root_ / "index").places.params().kind, IndexKind::kHnsw);
  EXPECT_THROW(write_index_folder(emb_, emb_.dir, {}, true), InvalidArgument);
}

TEST_F(IndexFolderTest, BadOptionLeavesNoFolder) {
  IndexBuildOptions o;
  o.kind = IndexKind::kIvf;
  o.nlist = 100000;  // more lists than vectors
  EXPECT_THROW(write_index_folder(emb_, root_ / "index", o, false), ConfigError);
  EXPECT_FALSE(fs::exists(root_ / "index"));
  int entries = 0;
  for (const auto& e : fs::directory_iterator(root_)) entries += e.path().filename() != "emb";
  EXPECT_EQ(entries, 0);
}

TEST_F(IndexFolderTest, TamperedFileIsAFormatErrorNamingIt) {
  write_index_folder(emb_, root_ / "index", {}, false);
  const fs::path file = root_ / "index" / "users.index";
  {
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(fs::file_size(file) / 2));
    f.put('\x7f');
    f.put('\x01');
  }
  try {
    read_index_folder(root_ / "index");
    FAIL() << "expected FormatError";
  } catch (const FormatError& e) {
    EXPECT_NE(std::string(e.what()).find("users.index"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("checksum64"), std::string::npos) << e.what();
  }
  fs::resize_file(file, 10);
  EXPECT_THROW(read_index_folder(root_ / "index"), FormatError);
  fs::remove(file);
  try {
    read_index_folder(root_ / "index");
    FAIL() << "expected FormatError";
  } catch (const FormatError& e) {
    EXPECT_NE(std::string(e.what()).find("users.index"), std::string::npos) << e.what();
  }
}

TEST_F(IndexFolderTest, MismatchedEmbeddingsAreAFormatErrorNamingBoth) {
  write_index_folder(emb_, root_ / "index", {}, false);
  const auto other = make_embeddings(root_ / "other-emb", 300, 200, 24, 2);
  try {
    read_index_folder(root_ / "index", &other);
    FAIL() << "expected FormatError";
  } catch (const FormatError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find((root_ / "index").string()), std::string::npos) << what;
    EXPECT_NE(what.find("other-emb"), std::string::npos) << what;
  }
}

TEST_F(IndexFolderTest, NotAnIndexFolder) {
  EXPECT_THROW(read_index_folder(root_ / "missing"), IoError);
  EXPECT_THROW(read_index_folder(emb_.dir), FormatError);  // a manifest of another format
  fs::create_directories(root_ / "bad");
  std::ofstream(root_ / "bad" / "manifest.json") << "{not json";
  EXPECT_THROW(read_index_folder(root_ / "bad"), FormatError);
  std::ofstream(root_ / "bad" / "manifest.json", std::ios::trunc)
      << R"({"format": "recsys-index", "format_version": 1})";
  try {
    read_index_folder(root_ / "bad");
    FAIL() << "expected FormatError";
  } catch (const FormatError& e) {
    EXPECT_NE(std::string(e.what()).find("files"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace recsys::index
