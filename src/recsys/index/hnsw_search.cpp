#include "recsys/index/hnsw_search.h"

#include <faiss/impl/HNSW.h>

#include <algorithm>

#include "recsys/index/vector_index.h"

namespace recsys::index {
namespace {

// Per-thread visited marks: visited[row] == stamp. A new stamp per search; the array is cleared
// only when the stamp wraps.
class VisitedRows {
 public:
  void start(int64_t rows) {
    if (static_cast<int64_t>(marks_.size()) < rows) marks_.resize(static_cast<size_t>(rows), 0);
    if (++stamp_ == 0) {
      std::fill(marks_.begin(), marks_.end(), 0);
      stamp_ = 1;
    }
  }
  // True the first time a row is seen in this search.
  bool visit(int32_t row) {
    if (marks_[row] == stamp_) return false;
    marks_[row] = stamp_;
    return true;
  }

 private:
  std::vector<uint32_t> marks_;
  uint32_t stamp_ = 0;
};

struct Scored {
  float score;
  int32_t row;
};
// Heap orders: the candidates' top is the best, the results' top is the worst.
inline bool worse(const Scored& a, const Scored& b) {
  return a.score < b.score || (a.score == b.score && a.row > b.row);
}
inline bool better(const Scored& a, const Scored& b) {
  return worse(b, a);
}

struct SearchState {
  VisitedRows visited;
  std::vector<Scored> candidates, results;
  std::vector<int32_t> batch;
  std::vector<float> scores;
};

}  // namespace

std::vector<Hit> hnsw_search(const faiss::HNSW& graph, const RowMatrix& m, const float* query,
                             int k, int ef, const uint8_t* allowed) {
  std::vector<Hit> out;
  if (k <= 0 || m.rows == 0 || graph.entry_point < 0) return out;
  ef = std::max(ef, k);
  thread_local SearchState s;
  s.visited.start(m.rows);
  const int max_degree = graph.cum_nneighbor_per_level.back();
  s.batch.resize(static_cast<size_t>(max_degree));
  s.scores.resize(static_cast<size_t>(max_degree));

  // Neighbours of `node` at `level`, not yet visited, scored into s.batch / s.scores.
  auto expand = [&](int32_t node, int level) -> int {
    const size_t base = graph.offsets[node];
    const size_t begin = base + graph.cum_nneighbor_per_level[level];
    const size_t end = base + graph.cum_nneighbor_per_level[level + 1];
    int n = 0;
    for (size_t j = begin; j < end; ++j) {
      const int32_t v = graph.neighbors[j];
      if (v < 0) break;
      if (s.visited.visit(v)) s.batch[n++] = v;
    }
    score_rows(m, query, s.batch.data(), 0, n, s.scores.data());
    return n;
  };

  // Upper levels: greedy descent to the best node (no visited marks needed: a move is always to
  // a strictly better node).
  int32_t entry = graph.entry_point;
  float entry_score;
  score_rows(m, query, &entry, 0, 1, &entry_score);
  for (int level = graph.max_level; level > 0; --level) {
    for (bool moved = true; moved;) {
      moved = false;
      const size_t base = graph.offsets[entry];
      const size_t begin = base + graph.cum_nneighbor_per_level[level];
      const size_t end = base + graph.cum_nneighbor_per_level[level + 1];
      int n = 0;
      for (size_t j = begin; j < end; ++j) {
        const int32_t v = graph.neighbors[j];
        if (v < 0) break;
        s.batch[n++] = v;
      }
      score_rows(m, query, s.batch.data(), 0, n, s.scores.data());
      const int32_t from = entry;
      for (int i = 0; i < n; ++i)
        if (s.scores[i] > entry_score) {
          entry_score = s.scores[i];
          entry = s.batch[i];
        }
      moved = entry != from;
    }
  }

  // Level 0: best-first search with a result set of ef allowed rows.
  auto& cand = s.candidates;
  auto& res = s.results;
  cand.clear();
  res.clear();
  s.visited.visit(entry);
  cand.push_back({entry_score, entry});
  if (!allowed || allowed[entry]) res.push_back({entry_score, entry});
  const auto ef_size = static_cast<size_t>(ef);
  while (!cand.empty()) {
    std::pop_heap(cand.begin(), cand.end(), worse);  // best candidate to the back
    const Scored c = cand.back();
    cand.pop_back();
    if (res.size() >= ef_size && c.score < res.front().score) break;
    const int n = expand(c.row, 0);
    for (int i = 0; i < n; ++i) {
      const Scored x{s.scores[i], s.batch[i]};
      if (res.size() >= ef_size && !better(x, res.front())) continue;
      cand.push_back(x);
      std::push_heap(cand.begin(), cand.end(), worse);
      if (allowed && !allowed[x.row]) continue;
      res.push_back(x);
      std::push_heap(res.begin(), res.end(), better);
      if (res.size() > ef_size) {
        std::pop_heap(res.begin(), res.end(), better);
        res.pop_back();
      }
    }
  }
  std::sort(res.begin(), res.end(), better);
  const size_t n = std::min(res.size(), static_cast<size_t>(k));
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) out.push_back({res[i].row, res[i].score});
  return out;
}

}  // namespace recsys::index
