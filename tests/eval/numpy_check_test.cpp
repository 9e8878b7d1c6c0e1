// The evaluator against an independent numpy computation (tests/eval/check_metrics.py) on real
// data: ../shared/data/cf/ml-1m, train + valid excluded, test relevant, two scorers (dot product
// of pseudo-random embeddings, training popularity).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "recsys/eval/dot_product_scorer.h"
#include "recsys/eval/popularity_scorer.h"
#include "recsys/eval/top_k_evaluator.h"

namespace recsys::eval {
namespace {

namespace fs = std::filesystem;

// LightGCN text format: "user item item ..." per line. Returns lists indexed by user.
std::vector<std::vector<int32_t>> read_lightgcn_text(const fs::path& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path.string());
  std::vector<std::vector<int32_t>> lists;
  std::string line;
  for (int line_no = 1; std::getline(in, line); ++line_no) {
    std::istringstream fields(line);
    long long user = 0;
    if (!(fields >> user)) continue;
    if (user < 0) throw std::runtime_error(path.string() + ":" + std::to_string(line_no));
    if (static_cast<size_t>(user) >= lists.size()) lists.resize(static_cast<size_t>(user) + 1);
    long long item = 0;
    while (fields >> item) lists[user].push_back(static_cast<int32_t>(item));
    if (!fields.eof()) throw std::runtime_error(path.string() + ":" + std::to_string(line_no));
  }
  return lists;
}

// A python3 that can import numpy (Debian's /usr/bin/python3 first: a python3 earlier on PATH,
// e.g. from pyenv, may lack it).
std::string python_with_numpy() {
  for (const char* candidate : {"/usr/bin/python3", "python3"}) {
    std::string probe = std::string(candidate) + " -c 'import numpy' >/dev/null 2>&1";
    if (std::system(probe.c_str()) == 0) return candidate;
  }
  return "";
}

std::string run_command(const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return "";
  std::string output;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
  int status = pclose(pipe);
  if (status != 0) return "";
  return output;
}

void write_floats(const fs::path& path, const std::vector<float>& values) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(values.data()),
            static_cast<std::streamsize>(values.size() * sizeof(float)));
  ASSERT_TRUE(out.good()) << path;
}

TEST(NumpyCheck, Ml1mDotProductAndPopularity) {
  const fs::path data = fs::path(RECSYS_SHARED_DATA_DIR) / "cf" / "ml-1m";
  ASSERT_TRUE(fs::exists(data / "train.txt")) << data;
  const std::string python = python_with_numpy();
  ASSERT_FALSE(python.empty()) << "no python3 with numpy (scripts/setup installs python3-numpy)";

  auto train = read_lightgcn_text(data / "train.txt");
  auto valid = read_lightgcn_text(data / "valid.txt");
  auto test = read_lightgcn_text(data / "test.txt");
  size_t n_users = std::max({train.size(), valid.size(), test.size()});
  int32_t max_item = -1;
  for (const auto* lists : {&train, &valid, &test}) {
    for (const auto& items : *lists) {
      for (int32_t item : items) max_item = std::max(max_item, item);
    }
  }
  const int64_t n_items = max_item + 1;
  std::vector<std::vector<int32_t>> excluded(n_users);
  for (size_t u = 0; u < n_users; ++u) {
    if (u < train.size()) excluded[u] = train[u];
    if (u < valid.size()) excluded[u].insert(excluded[u].end(), valid[u].begin(), valid[u].end());
  }
  auto exclude = UserItemLists::from_lists(excluded);
  auto relevant = UserItemLists::from_lists(test);

  // Embedding entries are multiples of 1/16 in [-1, 1]: every dot product (dim 16) is a
  // multiple of 1/256 below 2^12 in magnitude, exact in float32, so float32 sgemm and numpy
  // agree exactly and ties (frequent here) are real ties on both sides.
  const int64_t dim = 16;
  std::mt19937 gen(20240601);
  auto draw = [&](size_t count) {
    std::vector<float> values(count);
    for (float& v : values) v = static_cast<float>(static_cast<int>(gen() % 33) - 16) / 16.0f;
    return values;
  };
  std::vector<float> user_embeddings = draw(n_users * dim);
  std::vector<float> item_embeddings = draw(static_cast<size_t>(n_items * dim));

  TopKEvaluationOptions options;
  options.ks = {20};
  options.threads = 2;
  DotProductScorer dot(user_embeddings, static_cast<int64_t>(n_users), item_embeddings, n_items,
                       dim);
  MetricMap dot_metrics = evaluate_top_k(dot, exclude, relevant, options);
  auto popularity = PopularityScorer::from_interactions(exclude, n_items);
  MetricMap pop_metrics = evaluate_top_k(popularity, exclude, relevant, options);

  const fs::path dir =
      fs::temp_directory_path() / ("recsys_eval_numpy_" + std::to_string(getpid()));
  fs::create_directories(dir);
  write_floats(dir / "users.f32", user_embeddings);
  write_floats(dir / "items.f32", item_embeddings);
  const std::string command =
      python + " " + RECSYS_SOURCE_DIR + "/tests/eval/check_metrics.py --data-dir " +
      data.string() + " --user-embeddings " + (dir / "users.f32").string() + " --item-embeddings " +
      (dir / "items.f32").string() + " --dim 16 --k 20";
  const std::string output = run_command(command);
  fs::remove_all(dir);
  ASSERT_FALSE(output.empty()) << "check_metrics.py failed: " << command;
  const nlohmann::json expected = nlohmann::json::parse(output);
  ASSERT_EQ(expected.at("n_items").get<int64_t>(), n_items);

  for (const auto& [name, metrics] :
       std::map<std::string, MetricMap>{{"dot", dot_metrics}, {"popularity", pop_metrics}}) {
    const auto& reference = expected.at(name);
    std::printf("ml-1m %s: users %.0f recall@20 %.6f (numpy %.6f) ndcg@20 %.6f (numpy %.6f)\n",
                name.c_str(), metrics.at("users"), metrics.at("recall@20"),
                reference.at("recall@20").get<double>(), metrics.at("ndcg@20"),
                reference.at("ndcg@20").get<double>());
    EXPECT_EQ(metrics.at("users"), reference.at("users").get<double>()) << name;
    for (const char* key : {"recall@20", "ndcg@20", "hit@20", "mrr", "coverage@20"}) {
      EXPECT_NEAR(metrics.at(key), reference.at(key).get<double>(), 1e-5) << name << " " << key;
    }
  }
  // Sanity: the two scorers differ, and popularity beats random embeddings on MovieLens.
  EXPECT_GT(pop_metrics.at("recall@20"), dot_metrics.at("recall@20"));
  EXPECT_GT(dot_metrics.at("users"), 6000.0);
}

}  // namespace
}  // namespace recsys::eval
