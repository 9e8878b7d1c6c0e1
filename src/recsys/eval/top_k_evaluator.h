#pragma once
// The top-K evaluation protocol of the LightGCN papers: for every user with
// test items, rank all items except the user's excluded (training) items by the
// scorer's raw scores, keep the top max(K), and average Recall@K, NDCG@K,
// HitRate@K and the reciprocal rank over those users; plus catalogue coverage,
// and the same per user group. Friend recommendation uses the same code with a
// user x user scorer, known friends (and the user itself) as exclusions and the
// held-out social edges as test lists (key_prefix "friends.").
//
// Work is split into blocks of users run on `threads` threads; each block is
// scored in one call (one sgemm for DotProductScorer), excluded items are
// masked with -inf, and a partial top-K picks the winners (ties: lower item
// id). Results do not depend on the number of threads or the block size.
//
// Test items that are also excluded stay in |test| (they count as misses); a
// user's repeated test items count once. Users with no test items are skipped.
#include <cstdint>
#include <string>
#include <vector>

#include "recsys/eval/block_scorer.h"
#include "recsys/eval/metric_map.h"
#include "recsys/eval/user_groups.h"
#include "recsys/eval/user_item_lists.h"

namespace recsys::eval {

struct TopKEvaluationOptions {
  // Cut-offs, each >= 1; the top max(ks) items are ranked per user, which is also MRR's cut-off.
  std::vector<int> ks{10, 20, 50};
  // Users to evaluate; empty: every user with at least one test item. Listed users without
  // test items are skipped. Ids must be distinct and >= 0.
  std::vector<int32_t> users;
  // Worker threads; 0: recsys::thread_count() (core/thread_setup.h). With more than one,
  // OpenBLAS runs single-threaded for the duration (recsys::SingleThreadedBlas): each worker
  // calls its own sgemm, which is faster here than one caller with a multi-threaded sgemm.
  int threads = 0;
  // Users scored per block (the score buffer per thread is block_users x n_items floats; it is
  // reduced automatically to stay under 64 MiB per thread).
  int block_users = 64;
  // Prepended to every key, e.g. "friends.".
  std::string key_prefix;
};

// exclude: per-user items never ranked (rows past its end are empty); test: per-user relevant
// items. Every item id must be < scorer.n_items(). Throws InvalidArgument on bad input (naming
// the user and item) and rethrows the scorer's errors.
MetricMap evaluate_top_k(const BlockScorer& scorer, const UserItemLists& exclude,
                         const UserItemLists& test, const TopKEvaluationOptions& options = {},
                         const UserGroups* groups = nullptr);

}  // namespace recsys::eval
