#include "recsys/eval/top_k.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <string>

#include "recsys/core/error.h"

namespace recsys::eval {
namespace {

constexpr float kNegInf = -std::numeric_limits<float>::infinity();

}  // namespace

TopKSelector::TopKSelector(int k) : k_(k), threshold_(kNegInf) {
  if (k < 1) throw InvalidArgument("top-k: k must be >= 1, got " + std::to_string(k));
  candidates_.resize(2 * static_cast<size_t>(k));
}

void TopKSelector::reset() {
  count_ = 0;
  threshold_ = kNegInf;
  next_item_ = 0;
}

void TopKSelector::cut_back() {
  const size_t k = static_cast<size_t>(k_);
  std::nth_element(candidates_.begin(), candidates_.begin() + (k - 1), candidates_.begin() + count_,
                   ranks_before);
  count_ = k;
  threshold_ = candidates_[k - 1].score;
}

void TopKSelector::add(const float* scores, int64_t first_item, int64_t count) {
  if (first_item < next_item_) {
    throw InvalidArgument("top-k: items must be added in increasing order (got item " +
                          std::to_string(first_item) + " after " + std::to_string(next_item_ - 1) +
                          ")");
  }
  next_item_ = first_item + count;
  Candidate* kept = candidates_.data();
  const size_t capacity = candidates_.size();
  // Items arrive in increasing id order, so a later item tied with the k-th best has the higher
  // id and loses: strictly greater than the threshold is the admission test.
  auto offer = [&](int64_t i) {
    const float s = scores[i];
    if (s <= threshold_) return;  // NaN falls through to the check below
    if (std::isnan(s)) {
      throw InvalidArgument("top-k: the score of item " + std::to_string(first_item + i) +
                            " is NaN");
    }
    kept[count_++] = Candidate{s, static_cast<int32_t>(first_item + i)};
    if (count_ == capacity) cut_back();
  };
  // The hot path: once the threshold is up almost every score is <= threshold. Test 16 scores
  // at a time and visit only those that pass.
  constexpr int64_t kChunk = 16;
  int64_t i = 0;
  for (; i + kChunk <= count; i += kChunk) {
    const float* chunk = scores + i;
#if defined(__SSE2__)
    // cmpnle ("not less or equal") is true for greater and for unordered (NaN), so a NaN is
    // always visited. The mask is a superset when the threshold rises inside the chunk; offer()
    // tests again.
    const __m128 t = _mm_set1_ps(threshold_);
    const int mask = _mm_movemask_ps(_mm_cmpnle_ps(_mm_loadu_ps(chunk), t)) |
                     (_mm_movemask_ps(_mm_cmpnle_ps(_mm_loadu_ps(chunk + 4), t)) << 4) |
                     (_mm_movemask_ps(_mm_cmpnle_ps(_mm_loadu_ps(chunk + 8), t)) << 8) |
                     (_mm_movemask_ps(_mm_cmpnle_ps(_mm_loadu_ps(chunk + 12), t)) << 12);
    for (unsigned bits = static_cast<unsigned>(mask); bits != 0; bits &= bits - 1) {
      offer(i + std::countr_zero(bits));
    }
#else
    int any = 0;
    for (int64_t j = 0; j < kChunk; ++j) any |= !(chunk[j] <= threshold_);
    if (any == 0) continue;
    for (int64_t j = 0; j < kChunk; ++j) offer(i + j);
#endif
  }
  for (; i < count; ++i) offer(i);
}

int TopKSelector::finish(int32_t* out_items, float* out_scores) {
  if (count_ > static_cast<size_t>(k_)) cut_back();
  Candidate* kept = candidates_.data();
  std::sort(kept, kept + count_, ranks_before);
  for (size_t r = 0; r < count_; ++r) {
    out_items[r] = kept[r].item;
    if (out_scores != nullptr) out_scores[r] = kept[r].score;
  }
  int written = static_cast<int>(count_);
  reset();
  return written;
}

int TopKSelector::select(const float* scores, int64_t n_items, int32_t* out_items,
                         float* out_scores) {
  reset();
  add(scores, 0, n_items);
  return finish(out_items, out_scores);
}

}  // namespace recsys::eval
