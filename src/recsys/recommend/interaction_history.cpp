#include "recsys/recommend/interaction_history.h"

#include "recsys/model/graph_lists.h"

namespace recsys::recommend {
namespace {

eval::UserItemLists lists_if(const graph::GraphArtifact& g, const std::string& relation) {
  return g.has_relation(relation) ? model::user_lists(g.relation(relation)) : eval::UserItemLists();
}

}  // namespace

InteractionHistory::InteractionHistory(const graph::GraphArtifact& g, SeenSplits seen)
    : seen_splits_(seen) {
  const auto train = model::user_lists(g.interactions("train").csr);
  const auto valid =
      seen == SeenSplits::kTrainValid ? lists_if(g, "user_place.valid") : eval::UserItemLists();
  seen_ = model::merge_lists(train, valid, g.n_users(), false);
  friends_ = model::merge_lists(lists_if(g, "user_user.train"), lists_if(g, "user_user.valid"),
                                g.n_users(), false);
  if (g.has_relation("place_user.train")) visitors_ = g.relation("place_user.train");
}

std::span<const int32_t> InteractionHistory::place_visitors(int32_t place) const {
  return visitors_.offsets.empty() ? std::span<const int32_t>() : visitors_.row(place);
}

}  // namespace recsys::recommend
