#include "recsys/model/model_evaluation.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <numeric>
#include <random>

#include "recsys/core/error.h"
#include "recsys/core/progress.h"
#include "recsys/eval/metrics.h"
#include "recsys/eval/top_k_evaluator.h"
#include "recsys/graph/graph_artifact.h"
#include "recsys/model/graph_lists.h"
#include "recsys/model/trained_model.h"

namespace recsys::model {
namespace {

eval::UserGroups user_groups(const graph::GraphArtifact& g, const eval::UserItemLists& train) {
  eval::UserGroups groups;
  const auto n = g.n_users();
  if (g.has("user.cold_start")) {
    std::vector<int32_t> cold;
    const auto flags = g.array<uint8_t>("user.cold_start");
    for (int64_t u = 0; u < n; ++u)
      if (flags[static_cast<size_t>(u)]) cold.push_back(static_cast<int32_t>(u));
    groups.add("cold_start", std::move(cold));
  }
  const std::vector<std::string> buckets = {"0", "1-4", "5-19", "20-49", "50+"};
  std::vector<int32_t> bucket(static_cast<size_t>(n));
  for (int64_t u = 0; u < n; ++u) {
    const auto d = static_cast<int64_t>(train.items_of(u).size());
    bucket[static_cast<size_t>(u)] = d == 0 ? 0 : d < 5 ? 1 : d < 20 ? 2 : d < 50 ? 3 : 4;
  }
  const auto activity = eval::UserGroups::from_labels(bucket, buckets, "activity=");
  for (size_t i = 0; i < activity.size(); ++i) groups.add(activity.name(i), activity.members(i));
  if (g.has("user.home_city")) {
    const auto city = g.array<int32_t>("user.home_city");
    int32_t max_city = -1;
    for (int32_t c : city) max_city = std::max(max_city, c);
    std::vector<std::string> names;
    for (int32_t c = 0; c <= max_city; ++c) names.push_back(std::to_string(c));
    const auto cities = eval::UserGroups::from_labels(city, names, "city=");
    for (size_t i = 0; i < cities.size(); ++i) groups.add(cities.name(i), cities.members(i));
  }
  return groups;
}

// friends.auc / friends.ap over the friend labels of the test split (split == 2).
// `only` (sorted; empty: all): the users whose labels (as user_a) are scored.
void friend_label_metrics(const graph::GraphArtifact& g, const eval::BlockScorer& scorer,
                          const std::vector<int32_t>& only, eval::MetricMap& metrics) {
  if (!g.has("friend_labels.split")) return;
  const auto a = g.array<int32_t>("friend_labels.user_a");
  const auto b = g.array<int32_t>("friend_labels.user_b");
  const auto label = g.array<int8_t>("friend_labels.label");
  const auto split = g.array<int8_t>("friend_labels.split");
  std::vector<size_t> rows;
  for (size_t i = 0; i < split.size(); ++i)
    if (split[i] == 2 && (only.empty() || std::binary_search(only.begin(), only.end(), a[i])))
      rows.push_back(i);
  if (rows.empty()) return;
  std::sort(rows.begin(), rows.end(),
            [&](size_t x, size_t y) { return a[x] < a[y] || (a[x] == a[y] && x < y); });
  std::vector<int32_t> users;
  for (size_t i : rows)
    if (users.empty() || users.back() != a[i]) users.push_back(a[i]);
  const int64_t n_users = scorer.n_items();
  constexpr int64_t kBlock = 64;
  std::vector<float> block(static_cast<size_t>(kBlock * n_users));
  std::vector<float> scores;
  std::vector<uint8_t> labels;
  size_t next = 0;
  for (size_t first = 0; first < users.size(); first += kBlock) {
    const int64_t nb = std::min<int64_t>(kBlock, static_cast<int64_t>(users.size() - first));
    scorer.score(users.data() + first, nb, block.data());
    for (int64_t r = 0; r < nb; ++r) {
      const int32_t user = users[first + static_cast<size_t>(r)];
      for (; next < rows.size() && a[rows[next]] == user; ++next) {
        const int32_t other = b[rows[next]];
        if (other < 0 || other >= n_users)
          throw FormatError(fmt::format("friend_labels.user_b: user {} out of range", other));
        scores.push_back(block[static_cast<size_t>(r * n_users + other)]);
        labels.push_back(label[rows[next]] > 0 ? 1 : 0);
      }
    }
  }
  const auto positives = std::count(labels.begin(), labels.end(), 1);
  metrics["friends.labels"] = static_cast<double>(labels.size());
  if (positives > 0) metrics["friends.ap"] = eval::average_precision(scores, labels);
  if (positives > 0 && positives < static_cast<int64_t>(labels.size()))
    metrics["friends.auc"] = eval::roc_auc(scores, labels);
}

}  // namespace

eval::MetricMap evaluate_model(const EvaluationRequest& r) {
  const auto start = std::chrono::steady_clock::now();
  const auto graph = graph::GraphArtifact::open(r.graph_dir);
  const auto model = TrainedModel::open(r.model_dir, graph);
  const auto train = user_lists(graph.interactions("train").csr);
  const auto test = user_lists(graph.interactions("test").csr);
  const auto groups = user_groups(graph, train);
  eval::TopKEvaluationOptions options;
  options.ks = r.ks;
  std::vector<int32_t> sample;
  if (r.sample_users > 0 && r.sample_users < graph.n_users()) {
    // Partial Fisher-Yates over every user id: a uniform sample without replacement.
    std::vector<int32_t> all(static_cast<size_t>(graph.n_users()));
    std::iota(all.begin(), all.end(), 0);
    std::mt19937_64 rng(r.sample_seed);
    for (int64_t i = 0; i < r.sample_users; ++i)
      std::swap(all[static_cast<size_t>(i)],
                all[static_cast<size_t>(i) + static_cast<size_t>(
                                                 rng() % static_cast<uint64_t>(graph.n_users() - i))]);
    sample.assign(all.begin(), all.begin() + r.sample_users);
    std::sort(sample.begin(), sample.end());
    options.users = sample;
    log_info(fmt::format("evaluating a sample of {} of {} users", sample.size(), graph.n_users()));
  }
  log_info(fmt::format("evaluating {} on {}", model->name(), r.graph_dir.string()));
  eval::MetricMap metrics =
      eval::evaluate_top_k(model->place_scorer(), train, test, options, &groups);

  if (const auto* friends = model->friend_scorer()) {
    if (graph.has_relation("user_user.test")) {
      const auto known_train = user_lists(graph.relation("user_user.train"));
      const auto known_valid = graph.has_relation("user_user.valid")
                                   ? user_lists(graph.relation("user_user.valid"))
                                   : eval::UserItemLists();
      const auto exclude = merge_lists(known_train, known_valid, graph.n_users(), true);
      const auto friend_test = user_lists(graph.relation("user_user.test"));
      if (friend_test.n_entries() > 0) {
        eval::TopKEvaluationOptions fo;
        fo.ks = r.ks;
        fo.key_prefix = "friends.";
        fo.users = sample;
        const auto fm = eval::evaluate_top_k(*friends, exclude, friend_test, fo);
        metrics.insert(fm.begin(), fm.end());
      }
    }
    friend_label_metrics(graph, *friends, sample, metrics);
  }
  if (!sample.empty()) metrics["evaluated_user_sample"] = static_cast<double>(sample.size());
  metrics["evaluate_seconds"] =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return metrics;
}

}  // namespace recsys::model
