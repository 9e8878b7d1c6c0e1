// `recsys index` through the program: an index folder over the export of a small mf-bpr model,
// read back and checked against the embeddings; bad input fails with a clear message, a
// non-zero exit and no output folder.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "../common/cli_run.h"
#include "recsys/index/index_folder.h"

namespace fs = std::filesystem;

namespace recsys::index {
namespace {

using recsys::testing::err;
using recsys::testing::out;
using recsys::testing::run;
using recsys::testing::scratch;

// generate -> build-graph -> train mf-bpr -> export, once per test program.
const fs::path& embeddings() {
  static const fs::path emb = [] {
    const fs::path s = scratch();
    EXPECT_EQ(run("generate --output-dir " + (s / "data").string() +
                  " --n-users 300 --n-places 200 --n-cities 3 -q"),
              0)
        << err();
    EXPECT_EQ(run("build-graph --data " + (s / "data").string() + " --output " +
                  (s / "graph").string() + " -q"),
              0)
        << err();
    EXPECT_EQ(run("train --graph " + (s / "graph").string() +
                  " --model mf-bpr --epochs 2 --dim 8 --output " + (s / "model").string() + " -q"),
              0)
        << err();
    EXPECT_EQ(run("export --model " + (s / "model").string() + " --output " + (s / "emb").string() +
                  " -q"),
              0)
        << err();
    return s / "emb";
  }();
  return emb;
}

TEST(IndexCommandTest, BuildsAFolderThatReadsBack) {
  const fs::path index = scratch() / "index";
  ASSERT_EQ(run("index --embeddings " + embeddings().string() + " --output " + index.string()), 0)
      << err();
  EXPECT_NE(out().find("places"), std::string::npos) << out();
  EXPECT_NE(out().find("flat"), std::string::npos) << out();
  const auto emb = exporter::read_embeddings_folder(embeddings());
  const auto f = read_index_folder(index, &emb);
  EXPECT_EQ(f.places.rows(), static_cast<int64_t>(emb.place_ids.size()));
  EXPECT_EQ(f.users.rows(), static_cast<int64_t>(emb.user_ids.size()));
  // A user's top place is the exact arg-max of the inner product.
  const int dim = static_cast<int>(emb.dim);
  const auto hits = f.places.search(emb.users.data(), 1);
  ASSERT_EQ(hits.size(), 1u);
  for (size_t p = 0; p < emb.place_ids.size(); ++p) {
    float s = 0;
    for (int c = 0; c < dim; ++c) s += emb.users[c] * emb.places[p * dim + c];
    EXPECT_LE(s, hits[0].score + 1e-4f);
  }

  // An existing output needs --force; with it, the folder is replaced (here by HNSW indices).
  EXPECT_NE(run("index --embeddings " + embeddings().string() + " --output " + index.string()), 0);
  EXPECT_NE(err().find("--force"), std::string::npos) << err();
  ASSERT_EQ(run("index --embeddings " + embeddings().string() + " --output " + index.string() +
                " --index-type hnsw --hnsw-m 8 --ef-search 50 --force --log-format json"),
            0)
      << err();
  EXPECT_NE(out().find("\"event\":\"index\""), std::string::npos) << out();
  const auto g = read_index_folder(index, &emb);
  EXPECT_EQ(g.places.params().kind, IndexKind::kHnsw);
  EXPECT_EQ(g.places.params().hnsw_m, 8);
  EXPECT_EQ(g.places.params().ef_search, 50);
}

TEST(IndexCommandTest, BadInputFailsWithoutOutput) {
  const fs::path index = scratch() / "bad-index";
  // Not an embeddings folder.
  EXPECT_NE(
      run("index --embeddings " + (scratch() / "nowhere").string() + " --output " + index.string()),
      0);
  EXPECT_NE(err().find("nowhere"), std::string::npos) << err();
  EXPECT_FALSE(fs::exists(index));
  // Unknown index type.
  EXPECT_NE(run("index --embeddings " + embeddings().string() + " --output " + index.string() +
                " --index-type annoy"),
            0);
  EXPECT_NE(err().find("annoy"), std::string::npos) << err();
  EXPECT_FALSE(fs::exists(index));
  // A parameter out of range, named in the message.
  EXPECT_NE(run("index --embeddings " + embeddings().string() + " --output " + index.string() +
                " --index-type hnsw --hnsw-m 0"),
            0);
  EXPECT_NE(err().find("hnsw_m"), std::string::npos) << err();
  EXPECT_FALSE(fs::exists(index));
  // The output may not be the embeddings folder itself.
  EXPECT_NE(run("index --embeddings " + embeddings().string() + " --output " +
                embeddings().string() + " --force"),
            0);
  EXPECT_TRUE(fs::exists(embeddings() / "manifest.json"));
  // Temporary folders are cleaned up.
  for (const auto& e : fs::directory_iterator(scratch()))
    EXPECT_EQ(e.path().filename().string().find(".bad-index"), std::string::npos);
}

}  // namespace
}  // namespace recsys::index
