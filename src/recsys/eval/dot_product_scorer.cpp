#include "recsys/eval/dot_product_scorer.h"

#include <cblas.h>

#include <climits>
#include <cstring>
#include <string>
#include <vector>

#include "recsys/core/error.h"

namespace recsys::eval {

DotProductScorer::DotProductScorer(std::span<const float> user_embeddings, int64_t n_users,
                                   std::span<const float> item_embeddings, int64_t n_items,
                                   int64_t dim)
    : users_(user_embeddings.data()),
      items_(item_embeddings.data()),
      n_users_(n_users),
      n_items_(n_items),
      dim_(dim) {
  if (dim < 1 || n_users < 0 || n_items < 1) {
    throw InvalidArgument("DotProductScorer: needs dim >= 1, n_users >= 0, n_items >= 1; got dim " +
                          std::to_string(dim) + ", n_users " + std::to_string(n_users) +
                          ", n_items " + std::to_string(n_items));
  }
  // BLAS takes int sizes.
  if (dim > INT_MAX || n_items > INT_MAX || n_users > INT_MAX) {
    throw InvalidArgument("DotProductScorer: sizes exceed the BLAS int range");
  }
  if (static_cast<int64_t>(user_embeddings.size()) != n_users * dim) {
    throw InvalidArgument("DotProductScorer: user embeddings have " +
                          std::to_string(user_embeddings.size()) + " floats, expected n_users " +
                          std::to_string(n_users) + " x dim " + std::to_string(dim));
  }
  if (static_cast<int64_t>(item_embeddings.size()) != n_items * dim) {
    throw InvalidArgument("DotProductScorer: item embeddings have " +
                          std::to_string(item_embeddings.size()) + " floats, expected n_items " +
                          std::to_string(n_items) + " x dim " + std::to_string(dim));
  }
}

void DotProductScorer::set_item_tile(int64_t items) {
  if (items < 0) {
    throw InvalidArgument("DotProductScorer: item tile must be >= 0, got " + std::to_string(items));
  }
  item_tile_ = items;
}

void DotProductScorer::score(const int32_t* users, int64_t n, float* out) const {
  score_items(users, n, 0, n_items_, out);
}

void DotProductScorer::score_items(const int32_t* users, int64_t n, int64_t item_begin,
                                   int64_t item_end, float* out) const {
  if (n <= 0 || item_begin == item_end) return;
  if (n > INT_MAX) throw InvalidArgument("DotProductScorer: block of users too large");
  if (item_begin < 0 || item_begin > item_end || item_end > n_items_) {
    throw InvalidArgument("DotProductScorer: item range [" + std::to_string(item_begin) + ", " +
                          std::to_string(item_end) + ") outside 0.." + std::to_string(n_items_));
  }
  bool contiguous = true;
  for (int64_t r = 0; r < n; ++r) {
    if (users[r] < 0 || users[r] >= n_users_) {
      throw InvalidArgument("DotProductScorer: user " + std::to_string(users[r]) +
                            " has no embedding (n_users = " + std::to_string(n_users_) + ")");
    }
    if (users[r] != users[0] + r) contiguous = false;
  }
  const float* a = users_ + static_cast<int64_t>(users[0]) * dim_;
  std::vector<float> gathered;
  if (!contiguous) {
    gathered.resize(static_cast<size_t>(n * dim_));
    for (int64_t r = 0; r < n; ++r) {
      std::memcpy(gathered.data() + r * dim_, users_ + static_cast<int64_t>(users[r]) * dim_,
                  static_cast<size_t>(dim_) * sizeof(float));
    }
    a = gathered.data();
  }
  const int d = static_cast<int>(dim_);
  const int m = static_cast<int>(item_end - item_begin);
  // out (n x m) = A (n x d) * items[begin, end)^T (d x m), all row-major.
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(n), m, d, 1.0f, a, d,
              items_ + item_begin * dim_, d, 0.0f, out, m);
}

}  // namespace recsys::eval
