#include "recsys/model/gnn/embedding_validation.h"

#include "recsys/eval/dot_product_scorer.h"
#include "recsys/eval/top_k_evaluator.h"

namespace recsys::model::gnn {

double validation_recall_at_20(const TrainValidSplit& split, std::span<const float> users,
                               int64_t n_users, std::span<const float> items, int64_t n_items,
                               int64_t dim, const std::vector<int32_t>& only_users) {
  if (split.valid.n_entries() == 0) return 0;
  const eval::DotProductScorer scorer(users, n_users, items, n_items, dim);
  eval::TopKEvaluationOptions options;
  options.ks = {20};
  options.users = only_users;
  return eval::evaluate_top_k(scorer, split.train, split.valid, options).at("recall@20");
}

}  // namespace recsys::model::gnn
