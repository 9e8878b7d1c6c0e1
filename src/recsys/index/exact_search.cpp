#include "recsys/index/exact_search.h"

#include <algorithm>

#include "recsys/index/vector_index.h"

namespace recsys::index {
namespace {

using Float16 = float __attribute__((vector_size(64)));

using Float8 = float __attribute__((vector_size(32)));
using Float4 = float __attribute__((vector_size(16)));

// A pairwise tree of halves (4 adds) rather than 16 dependent scalar adds.
inline float horizontal_sum(const Float16& v) {
  const Float8 a = __builtin_shufflevector(v, v, 0, 1, 2, 3, 4, 5, 6, 7) +
                   __builtin_shufflevector(v, v, 8, 9, 10, 11, 12, 13, 14, 15);
  const Float4 b =
      __builtin_shufflevector(a, a, 0, 1, 2, 3) + __builtin_shufflevector(a, a, 4, 5, 6, 7);
  return (b[0] + b[2]) + (b[1] + b[3]);
}

// out[i] = <query, row(i)> for n rows, row(i) = rows ? rows[i] : first + i; `width` is a
// multiple of 16. Four rows at a time, so that the loads of one row overlap the FMAs of others.
__attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default"))) void score_kernel(
    const float* __restrict query, const float* __restrict data, int64_t stride, int width,
    const int32_t* rows, int64_t first, int64_t n, float* __restrict out) {
  const int chunks = width / 16;
  auto row_ptr = [&](int64_t i) {
    return data + (rows ? static_cast<int64_t>(rows[i]) : first + i) * stride;
  };
  int64_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const float* r0 = row_ptr(i);
    const float* r1 = row_ptr(i + 1);
    const float* r2 = row_ptr(i + 2);
    const float* r3 = row_ptr(i + 3);
    Float16 a0 = {}, a1 = {}, a2 = {}, a3 = {};
    for (int c = 0; c < chunks; ++c) {
      Float16 q, x0, x1, x2, x3;
      __builtin_memcpy(&q, query + 16 * c, sizeof q);
      __builtin_memcpy(&x0, r0 + 16 * c, sizeof x0);
      __builtin_memcpy(&x1, r1 + 16 * c, sizeof x1);
      __builtin_memcpy(&x2, r2 + 16 * c, sizeof x2);
      __builtin_memcpy(&x3, r3 + 16 * c, sizeof x3);
      a0 += q * x0;
      a1 += q * x1;
      a2 += q * x2;
      a3 += q * x3;
    }
    out[i] = horizontal_sum(a0);
    out[i + 1] = horizontal_sum(a1);
    out[i + 2] = horizontal_sum(a2);
    out[i + 3] = horizontal_sum(a3);
  }
  for (; i < n; ++i) {
    const float* r = row_ptr(i);
    Float16 a = {};
    for (int c = 0; c < chunks; ++c) {
      Float16 q, x;
      __builtin_memcpy(&q, query + 16 * c, sizeof q);
      __builtin_memcpy(&x, r + 16 * c, sizeof x);
      a += q * x;
    }
    out[i] = horizontal_sum(a);
  }
}

// Better = larger score, then smaller row.
inline bool better(const Hit& a, const Hit& b) {
  return a.score > b.score || (a.score == b.score && a.row < b.row);
}

// The k best hits seen so far: a heap whose top is the worst of them.
class TopK {
 public:
  explicit TopK(int k) : k_(static_cast<size_t>(std::max(k, 0))) { heap_.reserve(k_); }

  void add(const float* scores, const int32_t* rows, int64_t first, int64_t n) {
    if (k_ == 0) return;
    for (int64_t i = 0; i < n; ++i) {
      const float s = scores[i];
      if (heap_.size() == k_ && s < heap_.front().score) continue;
      const Hit h{rows ? rows[i] : static_cast<int32_t>(first + i), s};
      if (heap_.size() < k_) {
        heap_.push_back(h);
        std::push_heap(heap_.begin(), heap_.end(), better);
      } else if (better(h, heap_.front())) {
        std::pop_heap(heap_.begin(), heap_.end(), better);
        heap_.back() = h;
        std::push_heap(heap_.begin(), heap_.end(), better);
      }
    }
  }

  std::vector<Hit> take() {
    std::sort_heap(heap_.begin(), heap_.end(), better);
    return std::move(heap_);
  }

 private:
  size_t k_;
  std::vector<Hit> heap_;
};

constexpr int64_t kBlock = 512;

}  // namespace

void score_rows(const RowMatrix& m, const float* query, const int32_t* rows, int64_t first,
                int64_t n, float* out) {
  score_kernel(query, m.data, m.stride, m.width, rows, first, n, out);
}

std::vector<Hit> exact_top_k(const RowMatrix& m, const float* query, int k, const int32_t* rows,
                             int64_t n) {
  if (!rows) n = m.rows;
  TopK top(k);
  if (k <= 0) return top.take();
  float scores[kBlock];
  for (int64_t begin = 0; begin < n; begin += kBlock) {
    const int64_t count = std::min(kBlock, n - begin);
    score_kernel(query, m.data, m.stride, m.width, rows ? rows + begin : nullptr, begin, count,
                 scores);
    top.add(scores, rows ? rows + begin : nullptr, begin, count);
  }
  return top.take();
}

std::vector<Hit> exact_top_k_allowed(const RowMatrix& m, const float* query, int k,
                                     const uint8_t* allowed) {
  TopK top(k);
  if (k <= 0) return top.take();
  int32_t rows[kBlock];
  float scores[kBlock];
  int64_t count = 0;
  auto flush = [&] {
    score_kernel(query, m.data, m.stride, m.width, rows, 0, count, scores);
    top.add(scores, rows, 0, count);
    count = 0;
  };
  for (int64_t r = 0; r < m.rows; ++r) {
    if (!allowed[r]) continue;
    rows[count++] = static_cast<int32_t>(r);
    if (count == kBlock) flush();
  }
  if (count > 0) flush();
  return top.take();
}

}  // namespace recsys::index
