// Full top-K evaluation on a Gowalla-sized problem: 29,858 users x 40,981 items, dim 64, random
// embeddings, 810,128 random training exclusions, 217,242 random test items, K = 10, 20, 50.
// Runs several configurations interleaved (run 1 of each, run 2 of each, ...) so that load from
// other processes affects them alike, and prints for each the median wall time and the median
// process CPU time:
//   own threads:  the evaluator's worker threads, each with a single-threaded OpenBLAS sgemm
//   BLAS threads: one evaluator thread, OpenBLAS uses its own threads inside sgemm
//   tile N:       the dot-product scorer's item tile (0 = whole rows, one sgemm per block)
// Usage: eval_bench [--runs N] [--threads N] [--block N] [--tiles N,N,...] [--blas-mode]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "recsys/eval/dot_product_scorer.h"
#include "recsys/eval/top_k_evaluator.h"

namespace {

using recsys::eval::DotProductScorer;
using recsys::eval::MetricMap;
using recsys::eval::TopKEvaluationOptions;
using recsys::eval::UserItemLists;

constexpr int64_t kUsers = 29858;
constexpr int64_t kItems = 40981;
constexpr int64_t kDim = 64;
constexpr int64_t kTrain = 810128;
constexpr int64_t kTest = 217242;

UserItemLists random_lists(std::mt19937_64& gen, int64_t n_entries) {
  std::vector<std::vector<int32_t>> lists(kUsers);
  for (int64_t e = 0; e < n_entries; ++e) {
    int64_t user = static_cast<int64_t>(gen() % kUsers);
    lists[user].push_back(static_cast<int32_t>(gen() % kItems));
  }
  return UserItemLists::from_lists(lists);
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  size_t n = values.size();
  return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

const char* flag(int argc, char** argv, const char* name, const char* fallback) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], name) == 0) return argv[i + 1];
  }
  return fallback;
}

bool has_flag(int argc, char** argv, const char* name) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], name) == 0) return true;
  }
  return false;
}

double process_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

struct Config {
  std::string name;
  int threads;
  int64_t tile;
  std::vector<double> wall;
  std::vector<double> cpu;
  MetricMap metrics;
};

}  // namespace

int main(int argc, char** argv) {
  const int runs = std::max(1, std::atoi(flag(argc, argv, "--runs", "5")));
  const int hardware = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const int threads = std::atoi(flag(argc, argv, "--threads", std::to_string(hardware).c_str()));
  const int block = std::atoi(flag(argc, argv, "--block", "64"));
  const std::string tiles_flag =
      flag(argc, argv, "--tiles", std::to_string(DotProductScorer::kDefaultItemTile).c_str());

  std::vector<Config> configs;
  std::stringstream tiles(tiles_flag);
  for (std::string tile; std::getline(tiles, tile, ',');) {
    configs.push_back(
        {"own threads, 1-thread BLAS", threads, std::atoll(tile.c_str()), {}, {}, {}});
  }
  if (has_flag(argc, argv, "--blas-mode")) {
    configs.push_back({"1 evaluator thread, OpenBLAS threads", 1, 0, {}, {}, {}});
  }

  std::mt19937_64 gen(42);
  std::normal_distribution<float> normal(0.0f, 0.1f);
  std::vector<float> users(static_cast<size_t>(kUsers * kDim));
  std::vector<float> items(static_cast<size_t>(kItems * kDim));
  for (float& v : users) v = normal(gen);
  for (float& v : items) v = normal(gen);
  const UserItemLists train = random_lists(gen, kTrain);
  const UserItemLists test = random_lists(gen, kTest);
  DotProductScorer scorer(users, kUsers, items, kItems, kDim);

  std::printf(
      "eval_bench: %lld users x %lld items, dim %lld, %lld exclusions, %lld test items, "
      "K = 10, 20, 50, block %d users, %d runs\n",
      static_cast<long long>(kUsers), static_cast<long long>(kItems), static_cast<long long>(kDim),
      static_cast<long long>(kTrain), static_cast<long long>(kTest), block, runs);
  for (int r = 0; r < runs; ++r) {
    for (Config& config : configs) {
      TopKEvaluationOptions options;
      options.threads = config.threads;
      options.block_users = block;
      scorer.set_item_tile(config.tile);
      const double cpu_start = process_cpu_seconds();
      const auto start = std::chrono::steady_clock::now();
      config.metrics = recsys::eval::evaluate_top_k(scorer, train, test, options);
      config.wall.push_back(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
      config.cpu.push_back(process_cpu_seconds() - cpu_start);
    }
  }
  for (const Config& config : configs) {
    std::printf(
        "%-36s threads %d tile %5lld: wall median %.3f s (min %.3f, max %.3f), CPU median "
        "%.3f s; users %.0f, recall@20 %.5f, ndcg@20 %.5f\n",
        config.name.c_str(), config.threads, static_cast<long long>(config.tile),
        median(config.wall), *std::min_element(config.wall.begin(), config.wall.end()),
        *std::max_element(config.wall.begin(), config.wall.end()), median(config.cpu),
        config.metrics.at("users"), config.metrics.at("recall@20"), config.metrics.at("ndcg@20"));
  }
  return 0;
}
