#pragma once
// Partial top-K over one row of scores: the k best items ranked by raw score
// (descending), ties broken by the lower item id, in one pass. Scores at or
// below the current k-th best are skipped 16 at a time with SIMD compares; the
// few that pass go to a buffer of 2k candidates that is cut back to the best k
// (nth_element) whenever it fills, which also raises the threshold.
// A row can be fed in pieces (item tiles), in increasing item order.
// An item whose score is -inf is not a candidate (the evaluator masks excluded
// items that way), so a row with fewer than k candidates yields a shorter list.
// A NaN score is an error: InvalidArgument naming the item.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace recsys::eval {

class TopKSelector {
 public:
  explicit TopKSelector(int k);

  int k() const { return k_; }

  // The whole row at once: writes up to k item ids (0 .. n_items - 1, best first) to out_items
  // and, when out_scores is not null, their scores; returns how many were written.
  int select(const float* scores, int64_t n_items, int32_t* out_items, float* out_scores = nullptr);

  // The same in pieces: reset(), then add() the scores of items first_item .. first_item +
  // count - 1, each piece after the previous one, then finish().
  void reset();
  void add(const float* scores, int64_t first_item, int64_t count);
  int finish(int32_t* out_items, float* out_scores = nullptr);

 private:
  struct Candidate {
    float score;
    int32_t item;
  };
  // The ranking order: higher score first, lower item id among equal scores.
  static bool ranks_before(const Candidate& a, const Candidate& b) {
    return a.score > b.score || (a.score == b.score && a.item < b.item);
  }
  void cut_back();

  int k_;
  std::vector<Candidate> candidates_;  // capacity 2k
  size_t count_ = 0;
  float threshold_;  // the k-th best score once k candidates were cut back to; -inf before
  int64_t next_item_ = 0;
};

}  // namespace recsys::eval
