#pragma once
// What the recommender knows a user has already done: the places they interacted with and their
// friends, from the graph's training and validation splits (the test split is what evaluation
// hides, so it is never "seen"). Every exclusion and explanation goes through seen_places() /
// friends(): the one place where live events (issue 7) can be added.
#include <cstdint>
#include <span>

#include "recsys/eval/user_item_lists.h"
#include "recsys/graph/graph_artifact.h"

namespace recsys::recommend {

enum class SeenSplits {
  kTrainValid,  // default: everything the graph knows before the test period
  kTrain,       // training pairs only: the exclusions `recsys evaluate` uses
};

class InteractionHistory {
 public:
  InteractionHistory(const graph::GraphArtifact& graph, SeenSplits seen = SeenSplits::kTrainValid);

  // Ascending, distinct place rows the user has interacted with.
  std::span<const int32_t> seen_places(int32_t user) const { return seen_.items_of(user); }
  // Ascending, distinct friend rows (training + validation friendships, without the user).
  std::span<const int32_t> friends(int32_t user) const { return friends_.items_of(user); }
  // Ascending user rows who interacted with the place in training (place_user.train).
  std::span<const int32_t> place_visitors(int32_t place) const;
  SeenSplits seen_splits() const { return seen_splits_; }

 private:
  SeenSplits seen_splits_;
  eval::UserItemLists seen_, friends_;
  graph::CsrView visitors_;
};

}  // namespace recsys::recommend
