#pragma once
// `recsys evaluate`: a trained model on its graph's test split.
//   places: the LightGCN protocol (evaluate_top_k): every user with test places ranks all
//     places except its training places (user_place.train, which holds the validation pairs
//     when the graph was built with them in training); per-group keys for cold_start,
//     activity=<bucket> (training degree 0, 1-4, 5-19, 20-49, 50+) and city=<id>.
//   friends (models that score users): held-out social edges (user_user.test), excluding the
//     user, its training and validation friends -> friends.recall@K, friends.ndcg@K, ...;
//     friend labels of the test split -> friends.auc, friends.ap (when both classes occur).
// Plus "evaluate_seconds". With sample_users > 0 (`recsys evaluate --users N`, for graphs where
// users x places is too much), only that many users drawn uniformly without replacement from
// all users (a fixed stream of `sample_seed`) are ranked / have their friend labels scored:
// every metric above is then over that sample, and "evaluated_user_sample" holds N.
#include <cstdint>
#include <filesystem>
#include <vector>

#include "recsys/eval/metric_map.h"

namespace recsys::model {

struct EvaluationRequest {
  std::filesystem::path model_dir;
  std::filesystem::path graph_dir;
  std::vector<int> ks{10, 20, 50};
  int64_t sample_users = 0;  // 0: every user
  uint64_t sample_seed = 1;
};

// Throws InvalidArgument ("graph mismatch ...") when the graph is not the model's, and the
// model / graph readers' errors.
eval::MetricMap evaluate_model(const EvaluationRequest& request);

}  // namespace recsys::model
