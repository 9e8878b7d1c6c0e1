#include "recsys/eval/block_scorer.h"

#include <algorithm>
#include <string>
#include <vector>

#include "recsys/core/error.h"

namespace recsys::eval {

void BlockScorer::score_items(const int32_t* users, int64_t n, int64_t item_begin, int64_t item_end,
                              float* out) const {
  const int64_t n_all = n_items();
  if (item_begin < 0 || item_begin > item_end || item_end > n_all) {
    throw InvalidArgument("score_items: item range [" + std::to_string(item_begin) + ", " +
                          std::to_string(item_end) + ") outside 0.." + std::to_string(n_all));
  }
  std::vector<float> rows(static_cast<size_t>(n * n_all));
  score(users, n, rows.data());
  const int64_t width = item_end - item_begin;
  for (int64_t r = 0; r < n; ++r) {
    std::copy_n(rows.data() + r * n_all + item_begin, width, out + r * width);
  }
}

}  // namespace recsys::eval
