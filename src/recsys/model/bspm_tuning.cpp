#include "recsys/model/bspm_tuning.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "recsys/core/error.h"
#include "recsys/eval/top_k_evaluator.h"
#include "recsys/model/bspm_filter.h"
#include "recsys/model/holdout_split.h"
#include "recsys/model/truncated_svd.h"

namespace recsys::model {

BspmTuningResult tune_bspm(const graph::GraphArtifact& g, const BspmParameters& params,
                           uint64_t seed) {
  const int64_t n_users = g.n_users(), n_items = g.n_places();
  const auto split = validation_split(g, params.tune_holdout_fraction, seed);
  std::vector<int32_t> candidates;
  for (int64_t u = 0; u < std::min(n_users, split.valid.n_users()); ++u)
    if (!split.valid.items_of(u).empty()) candidates.push_back(static_cast<int32_t>(u));
  if (candidates.empty())
    throw InvalidArgument("bspm.tune: no user has validation pairs to tune on");
  std::vector<int32_t> users;
  const auto n = static_cast<int64_t>(candidates.size());
  const int64_t take = std::min(n, params.tune_users);
  for (int64_t j = 0; j < take; ++j) users.push_back(candidates[static_cast<size_t>(j * n / take)]);

  const auto m = normalize_interactions(split.train, n_users, n_items);
  const auto svd = truncated_svd(m.r, m.r_t,
                                 {.k = params.k, .oversample = params.svd_oversample,
                                  .iterations = params.svd_iterations, .seed = seed});
  BspmTuningResult r;
  r.validation = split.validation;
  r.users = take;
  r.best = params;
  r.best_recall = -1;
  eval::TopKEvaluationOptions options;
  options.ks = {20};
  options.users = users;
  for (double t : params.tune_sharpen_times)
    for (double beta : params.tune_idl_betas) {
      BspmParameters q = params;
      q.sharpen_time = t;
      q.idl_beta = beta;
      const BspmScorer scorer(split.train, n_users, n_items, q, svd.right_vectors);
      const double recall = eval::evaluate_top_k(scorer, split.train, split.valid, options)
                                .at("recall@20");
      r.grid.push_back({{"T_s", t}, {"idl_beta", beta}, {"valid_recall@20", recall}});
      if (recall > r.best_recall) {
        r.best_recall = recall;
        r.best = q;
      }
    }
  return r;
}

}  // namespace recsys::model
