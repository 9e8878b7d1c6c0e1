#include "recsys/model/gnn/bpr_sampler.h"

#include <fmt/format.h>

#include <algorithm>

#include "recsys/core/error.h"
#include "recsys/core/random_stream.h"

namespace recsys::model::gnn {
namespace {

inline uint64_t draw(uint64_t key, uint64_t n) { return mix64(key) % n; }

}  // namespace

BprSampler::BprSampler(const eval::UserItemLists& train, int64_t n_items, uint64_t seed)
    : train_(train), n_items_(n_items), seed_(seed), epoch_size_(train.n_entries()) {
  if (epoch_size_ == 0) throw InvalidArgument("BPR sampler: no training pairs");
  if (train.max_item() >= n_items)
    throw InvalidArgument(
        fmt::format("BPR sampler: place id {} >= the number of places {}", train.max_item(),
                    n_items));
  for (int64_t u = 0; u < train.n_users(); ++u)
    if (!train.items_of(u).empty()) active_users_.push_back(static_cast<int32_t>(u));
}

BprBatch BprSampler::sample(int epoch, int64_t begin, int64_t count) const {
  std::vector<int64_t> users(static_cast<size_t>(count)), pos(static_cast<size_t>(count)),
      neg(static_cast<size_t>(count));
  const uint64_t epoch_key = mix64(mix64(seed_ ^ 0x6c6967687467636eULL) + static_cast<uint64_t>(epoch));
  const auto n_active = static_cast<uint64_t>(active_users_.size());
#pragma omp parallel for schedule(static)
  for (int64_t s = 0; s < count; ++s) {
    const uint64_t key = mix64(epoch_key + static_cast<uint64_t>(begin + s) * 0x9e3779b97f4a7c15ULL);
    const int32_t u = active_users_[draw(key, n_active)];
    const auto row = train_.items_of(u);
    users[static_cast<size_t>(s)] = u;
    pos[static_cast<size_t>(s)] = row[draw(key + 1, row.size())];
    int64_t j = -1;
    if (static_cast<int64_t>(row.size()) < n_items_) {
      for (uint64_t attempt = 2;; ++attempt) {
        const auto cand = static_cast<int32_t>(draw(key + attempt, static_cast<uint64_t>(n_items_)));
        if (!std::binary_search(row.begin(), row.end(), cand)) {
          j = cand;
          break;
        }
      }
    }
    neg[static_cast<size_t>(s)] = j;
  }
  BprBatch batch;
  batch.users.reserve(static_cast<size_t>(count));
  batch.positives.reserve(static_cast<size_t>(count));
  batch.negatives.reserve(static_cast<size_t>(count));
  for (size_t s = 0; s < static_cast<size_t>(count); ++s) {
    if (neg[s] < 0) continue;
    batch.users.push_back(users[s]);
    batch.positives.push_back(pos[s]);
    batch.negatives.push_back(neg[s]);
  }
  return batch;
}

}  // namespace recsys::model::gnn
