#include "recsys/model/holdout_split.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <vector>

#include "recsys/core/random_stream.h"
#include "recsys/model/graph_lists.h"

namespace recsys::model {

TrainValidSplit hold_out(const eval::UserItemLists& lists, int64_t n_users, double fraction,
                         uint64_t seed) {
  std::vector<std::vector<int32_t>> train(static_cast<size_t>(n_users)),
      valid(static_cast<size_t>(n_users));
  for (int64_t u = 0; u < n_users; ++u) {
    auto items = lists.items_of(u);
    std::vector<int32_t> row(items.begin(), items.end());
    if (row.size() >= 3) {
      const size_t k = std::max<size_t>(1, static_cast<size_t>(std::lround(fraction * row.size())));
      RandomStream rng(seed, StreamKind::Validation, static_cast<uint64_t>(u));
      for (int32_t pick :
           rng.sample_distinct(static_cast<int32_t>(row.size()), static_cast<int32_t>(k)))
        valid[static_cast<size_t>(u)].push_back(row[static_cast<size_t>(pick)]);
      std::sort(valid[static_cast<size_t>(u)].begin(), valid[static_cast<size_t>(u)].end());
      std::vector<int32_t> rest;
      std::set_difference(row.begin(), row.end(), valid[static_cast<size_t>(u)].begin(),
                          valid[static_cast<size_t>(u)].end(), std::back_inserter(rest));
      row = std::move(rest);
    }
    train[static_cast<size_t>(u)] = std::move(row);
  }
  return {eval::UserItemLists::from_lists(train), eval::UserItemLists::from_lists(valid),
          fmt::format("{:.0f}% of each user's training places held out", 100 * fraction)};
}

TrainValidSplit validation_split(const graph::GraphArtifact& g, double fraction, uint64_t seed) {
  auto train = user_lists(g.interactions("train").csr);
  const bool valid_usable = !g.manifest()["splits"].value("valid_in_train", false) &&
                            g.has_relation("user_place.valid");
  if (valid_usable) {
    auto valid = user_lists(g.interactions("valid").csr);
    if (valid.n_entries() > 0) return {std::move(train), std::move(valid), "graph valid split"};
  }
  return hold_out(train, g.n_users(), fraction, seed);
}

}  // namespace recsys::model
