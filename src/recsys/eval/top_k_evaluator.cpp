#include "recsys/eval/top_k_evaluator.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <limits>
#include <mutex>
#include <string>
#include <thread>

#include "recsys/core/error.h"
#include "recsys/core/thread_setup.h"
#include "recsys/eval/metrics.h"
#include "recsys/eval/top_k.h"

namespace recsys::eval {
namespace {

constexpr int64_t kMaxBlockFloats = int64_t{16} << 20;  // 64 MiB of scores per thread

// Per evaluated user: recall, ndcg, hit for each K, then the reciprocal rank.
struct UserResults {
  size_t n_values;                // 3 * |ks| + 1
  std::vector<double> values;     // n_users x n_values
  std::vector<int32_t> top;       // n_users x k_max, best first
  std::vector<int32_t> top_size;  // entries used in each row of top
};

std::vector<int> checked_ks(std::vector<int> ks) {
  if (ks.empty()) throw InvalidArgument("evaluate_top_k: the list of cut-offs K is empty");
  for (int k : ks) {
    if (k < 1)
      throw InvalidArgument("evaluate_top_k: cut-off K must be >= 1, got " + std::to_string(k));
  }
  std::sort(ks.begin(), ks.end());
  ks.erase(std::unique(ks.begin(), ks.end()), ks.end());
  return ks;
}

std::vector<int32_t> users_to_evaluate(const UserItemLists& test,
                                       const std::vector<int32_t>& requested) {
  std::vector<int32_t> users;
  if (requested.empty()) {
    for (int64_t u = 0; u < test.n_users(); ++u) {
      if (!test.items_of(u).empty()) users.push_back(static_cast<int32_t>(u));
    }
    return users;
  }
  std::vector<int32_t> sorted = requested;
  std::sort(sorted.begin(), sorted.end());
  if (!sorted.empty() && sorted.front() < 0) {
    throw InvalidArgument("evaluate_top_k: negative user id " + std::to_string(sorted.front()));
  }
  auto duplicate = std::adjacent_find(sorted.begin(), sorted.end());
  if (duplicate != sorted.end()) {
    throw InvalidArgument("evaluate_top_k: user " + std::to_string(*duplicate) +
                          " is listed twice");
  }
  for (int32_t u : requested) {
    if (!test.items_of(u).empty()) users.push_back(u);
  }
  return users;
}

// Scores, masks and ranks users[begin, end), writing their rows of `results`.
class BlockWorker {
 public:
  BlockWorker(const BlockScorer& scorer, const UserItemLists& exclude, const UserItemLists& test,
              const std::vector<int>& ks, int64_t block_users, int64_t tile)
      : scorer_(scorer),
        exclude_(exclude),
        test_(test),
        ks_(ks),
        n_items_(scorer.n_items()),
        tile_(tile),
        selectors_(static_cast<size_t>(block_users), TopKSelector(ks.back())),
        scores_(static_cast<size_t>(block_users * tile)),
        is_relevant_(static_cast<size_t>(n_items_), 0),
        hits_(static_cast<size_t>(ks.back())) {}

  void run(const std::vector<int32_t>& users, int64_t begin, int64_t end, UserResults& results) {
    const int64_t n = end - begin;
    const int32_t* block = users.data() + begin;
    for (int64_t r = 0; r < n; ++r) selectors_[r].reset();
    // Score a tile of items for the whole block, mask the excluded ones with -inf, feed each row
    // to its user's top-K while the tile is in cache.
    for (int64_t first = 0; first < n_items_; first += tile_) {
      const int64_t last = std::min(n_items_, first + tile_);
      const int64_t width = last - first;
      if (width == n_items_) {
        scorer_.score(block, n, scores_.data());
      } else {
        scorer_.score_items(block, n, first, last, scores_.data());
      }
      for (int64_t r = 0; r < n; ++r) {
        float* row = scores_.data() + r * width;
        for (int32_t item : exclude_.items_of(block[r])) {
          if (first == 0) check_item(item, block[r], "excluded");
          if (item >= first && item < last) {
            row[item - first] = -std::numeric_limits<float>::infinity();
          }
        }
        selectors_[r].add(row, first, width);
      }
    }
    const int k_max = ks_.back();
    for (int64_t r = 0; r < n; ++r) {
      const int32_t user = block[r];
      int32_t* top = results.top.data() + (begin + r) * k_max;
      int count = selectors_[r].finish(top);
      results.top_size[begin + r] = count;

      // Relevance flags of the ranked list through a marker array over the catalogue.
      int64_t n_relevant = 0;
      auto relevant = test_.items_of(user);
      for (int32_t item : relevant) {
        check_item(item, user, "test");
        if (!is_relevant_[item]) {
          is_relevant_[item] = 1;
          ++n_relevant;
        }
      }
      for (int i = 0; i < count; ++i) hits_[i] = is_relevant_[top[i]];
      for (int32_t item : relevant) is_relevant_[item] = 0;

      std::span<const uint8_t> hits(hits_.data(), static_cast<size_t>(count));
      double* out = results.values.data() + (begin + r) * results.n_values;
      for (size_t j = 0; j < ks_.size(); ++j) {
        out[3 * j] = recall_at_k(hits, n_relevant, ks_[j]);
        out[3 * j + 1] = ndcg_at_k(hits, n_relevant, ks_[j]);
        out[3 * j + 2] = hit_rate_at_k(hits, ks_[j]);
      }
      out[3 * ks_.size()] = reciprocal_rank(hits);
    }
  }

 private:
  void check_item(int32_t item, int32_t user, const char* list) const {
    if (item >= n_items_) {
      throw InvalidArgument("evaluate_top_k: " + std::string(list) + " item " +
                            std::to_string(item) + " of user " + std::to_string(user) +
                            " is outside the scorer's " + std::to_string(n_items_) + " items");
    }
  }

  const BlockScorer& scorer_;
  const UserItemLists& exclude_;
  const UserItemLists& test_;
  const std::vector<int>& ks_;
  int64_t n_items_;
  int64_t tile_;
  std::vector<TopKSelector> selectors_;
  std::vector<float> scores_;
  std::vector<uint8_t> is_relevant_;
  std::vector<uint8_t> hits_;
};

// Adds the metrics of the evaluated users at `positions` to `metrics` under `prefix`.
void summarise(const UserResults& results, const std::vector<int64_t>& positions,
               const std::vector<int>& ks, int64_t n_items, const std::string& prefix,
               MetricMap& metrics) {
  metrics[prefix + "users"] = static_cast<double>(positions.size());
  if (positions.empty()) return;
  std::vector<double> sums(results.n_values, 0.0);
  for (int64_t p : positions) {
    const double* v = results.values.data() + p * results.n_values;
    for (size_t j = 0; j < results.n_values; ++j) sums[j] += v[j];
  }
  const double n = static_cast<double>(positions.size());
  const int k_max = ks.back();
  for (size_t j = 0; j < ks.size(); ++j) {
    const std::string at = fmt::format("@{}", ks[j]);
    metrics[prefix + "recall" + at] = sums[3 * j] / n;
    metrics[prefix + "ndcg" + at] = sums[3 * j + 1] / n;
    metrics[prefix + "hit" + at] = sums[3 * j + 2] / n;
    CatalogueCoverage coverage(n_items, ks[j]);
    for (int64_t p : positions) {
      coverage.add(std::span<const int32_t>(results.top.data() + p * k_max,
                                            static_cast<size_t>(results.top_size[p])));
    }
    metrics[prefix + "coverage" + at] = coverage.value();
  }
  metrics[prefix + "mrr"] = sums[3 * ks.size()] / n;
}

}  // namespace

MetricMap evaluate_top_k(const BlockScorer& scorer, const UserItemLists& exclude,
                         const UserItemLists& test, const TopKEvaluationOptions& options,
                         const UserGroups* groups) {
  const std::vector<int> ks = checked_ks(options.ks);
  const int k_max = ks.back();
  const int64_t n_items = scorer.n_items();
  if (n_items < 1) throw InvalidArgument("evaluate_top_k: the scorer has no items");
  if (options.block_users < 1) {
    throw InvalidArgument("evaluate_top_k: block_users must be >= 1, got " +
                          std::to_string(options.block_users));
  }
  if (options.threads < 0) {
    throw InvalidArgument("evaluate_top_k: threads must be >= 0, got " +
                          std::to_string(options.threads));
  }
  const std::vector<int32_t> users = users_to_evaluate(test, options.users);
  const int64_t n_users = static_cast<int64_t>(users.size());

  UserResults results;
  results.n_values = 3 * ks.size() + 1;
  results.values.assign(static_cast<size_t>(n_users) * results.n_values, 0.0);
  results.top.assign(static_cast<size_t>(n_users * k_max), -1);
  results.top_size.assign(static_cast<size_t>(n_users), 0);

  const int64_t tile = scorer.item_tile() > 0 ? std::min(scorer.item_tile(), n_items) : n_items;
  const int64_t block =
      std::max<int64_t>(1, std::min<int64_t>(options.block_users, kMaxBlockFloats / tile));
  const int64_t n_blocks = (n_users + block - 1) / block;
  int64_t threads = options.threads > 0 ? options.threads : std::max(1, thread_count());
  threads = std::max<int64_t>(1, std::min(threads, n_blocks));

  std::atomic<int64_t> next_block{0};
  std::atomic<bool> failed{false};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto work = [&]() {
    try {
      BlockWorker worker(scorer, exclude, test, ks, block, tile);
      for (;;) {
        if (failed.load()) return;
        int64_t b = next_block.fetch_add(1);
        if (b >= n_blocks) return;
        worker.run(users, b * block, std::min(n_users, (b + 1) * block), results);
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(error_mutex);
      if (!error) error = std::current_exception();
      failed.store(true);
    }
  };
  if (threads > 1) {
    SingleThreadedBlas single_threaded_blas;
    std::vector<std::thread> pool;
    for (int64_t t = 0; t < threads; ++t) pool.emplace_back(work);
    for (auto& thread : pool) thread.join();
  } else if (n_blocks > 0) {
    work();
  }
  if (error) std::rethrow_exception(error);

  MetricMap metrics;
  std::vector<int64_t> all(static_cast<size_t>(n_users));
  for (int64_t p = 0; p < n_users; ++p) all[p] = p;
  summarise(results, all, ks, n_items, options.key_prefix, metrics);
  if (groups != nullptr) {
    // position of each user in `users`, -1 when not evaluated
    int32_t max_user = users.empty() ? -1 : *std::max_element(users.begin(), users.end());
    std::vector<int64_t> position(static_cast<size_t>(max_user + 1), -1);
    for (int64_t p = 0; p < n_users; ++p) position[users[p]] = p;
    for (size_t g = 0; g < groups->size(); ++g) {
      std::vector<int64_t> positions;
      for (int32_t u : groups->members(g)) {
        if (u <= max_user && position[u] >= 0) positions.push_back(position[u]);
      }
      std::sort(positions.begin(), positions.end());
      summarise(results, positions, ks, n_items,
                options.key_prefix + "group." + groups->name(g) + ".", metrics);
    }
  }
  return metrics;
}

}  // namespace recsys::eval
