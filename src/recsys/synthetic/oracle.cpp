#include "recsys/synthetic/oracle.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

namespace recsys::synthetic {

namespace {

// Covers float rounding in the scores against the real-valued bound.
constexpr float kBoundSlack = 1e-5f;

bool better(const RankedPlace& a, const RankedPlace& b) {
  return a.true_score > b.true_score || (a.true_score == b.true_score && a.place_id < b.place_id);
}

// Keeps the best `k` of a stream; worst on top of the heap.
void push_bounded(std::vector<RankedPlace>& heap, size_t k, const RankedPlace& candidate) {
  if (heap.size() < k) {
    heap.push_back(candidate);
    std::push_heap(heap.begin(), heap.end(), better);
  } else if (better(candidate, heap.front())) {
    std::pop_heap(heap.begin(), heap.end(), better);
    heap.back() = candidate;
    std::push_heap(heap.begin(), heap.end(), better);
  }
}

}  // namespace

std::vector<RankedPlace> oracle_top_places(const PreferenceModel& model, size_t user_row,
                                           size_t top_n) {
  const PlaceTable& places = model.places();
  std::vector<float> scores;
  model.score_all_places(user_row, scores);
  std::vector<RankedPlace> heap;
  if (top_n == 0) return heap;
  for (size_t p = 0; p < places.size(); ++p)
    push_bounded(heap, top_n, {places.place_id[p], scores[p]});
  std::sort(heap.begin(), heap.end(), better);
  return heap;
}

OracleRanker::OracleRanker(const PreferenceModel& model) : model_(model) {
  if (!model.has_compact_places()) return;
  const PlaceTable& places = model.places();
  const int n_cities = static_cast<int>(model.geography().n_cities());
  groups_.resize(static_cast<size_t>(n_cities));
  for (int c = 0; c < n_cities; ++c) {
    const auto& rows = model.city_place_rows(c);
    std::map<std::pair<int32_t, int32_t>, size_t> by_set;
    auto& groups = groups_[static_cast<size_t>(c)];
    for (size_t i = 0; i < rows.size(); ++i) {
      const auto p = static_cast<size_t>(rows[i]);
      const int64_t c0 = places.category_offsets[p], c1 = places.category_offsets[p + 1];
      const std::pair<int32_t, int32_t> key{
          c1 > c0 ? places.category_ids[static_cast<size_t>(c0)] : -1,
          c1 - c0 > 1 ? places.category_ids[static_cast<size_t>(c0 + 1)] : -1};
      auto [it, inserted] = by_set.emplace(key, groups.size());
      if (inserted) groups.push_back(Group{{key.first, key.second}, {}, {}});
      groups[it->second].index.push_back(static_cast<uint32_t>(i));
    }
    for (auto& g : groups) {
      std::stable_sort(g.index.begin(), g.index.end(), [&](uint32_t a, uint32_t b) {
        return model.popularity_factor(static_cast<size_t>(rows[a])) >
               model.popularity_factor(static_cast<size_t>(rows[b]));
      });
      for (uint32_t i : g.index)
        g.popularity.push_back(model.popularity_factor(static_cast<size_t>(rows[i])));
    }
  }
}

std::vector<RankedPlace> OracleRanker::top_places(size_t u, size_t top_n) const {
  if (!model_.has_compact_places()) return oracle_top_places(model_, u, top_n);
  std::vector<RankedPlace> heap;
  if (top_n == 0) return heap;
  const PlaceTable& places = model_.places();
  const UserTable& users = model_.users();
  const int home = users.home_city_id[u];

  // The home city in full.
  std::vector<float> scores;
  model_.score_home_city(u, scores);
  const auto& home_rows = model_.city_place_rows(home);
  for (size_t i = 0; i < home_rows.size(); ++i) {
    const RankedPlace candidate{places.place_id[static_cast<size_t>(home_rows[i])], scores[i]};
    if (heap.size() == top_n && !better(candidate, heap.front())) continue;
    push_bounded(heap, top_n, candidate);
  }

  // Per-category norms of the user's unit interests, for the Cauchy-Schwarz bound.
  const int n_cats = users.n_categories;
  const int per_cat = users.n_tags / std::max(1, n_cats);
  const float* tags = model_.user_tag_unit(u);
  const float* cats = model_.user_category_scaled(u);
  std::vector<float> squared(static_cast<size_t>(n_cats), 0.0f);
  for (int t = 0; t < users.n_tags; ++t)
    squared[static_cast<size_t>(t / per_cat)] += tags[t] * tags[t];
  const float wi = model_.weight_interest(), wc = model_.weight_category(),
              wp = model_.weight_popularity();

  for (int c = 0; c < static_cast<int>(groups_.size()); ++c) {
    if (c == home) continue;
    const auto& rows = model_.city_place_rows(c);
    for (const Group& g : groups_[static_cast<size_t>(c)]) {
      float norm2 = 0, category = 0, count = 0;
      for (int k = 0; k < 2; ++k) {
        if (g.category[k] < 0) continue;
        norm2 += squared[static_cast<size_t>(g.category[k])];
        category += cats[g.category[k]];
        count += 1;
      }
      if (count > 0) category /= count;
      const float base = wi * std::sqrt(norm2) * (1.0f + kBoundSlack) + wc * category + kBoundSlack;
      for (size_t k = 0; k < g.index.size(); ++k) {
        if (heap.size() == top_n && base + wp * g.popularity[k] < heap.front().true_score) break;
        const size_t index = g.index[k];
        const float score = model_.score_city_place(u, c, index, 0.0f);
        push_bounded(heap, top_n, {places.place_id[static_cast<size_t>(rows[index])], score});
      }
    }
  }
  std::sort(heap.begin(), heap.end(), better);
  return heap;
}

std::vector<std::vector<RankedPlace>> OracleRanker::top_places(size_t row_begin, size_t row_end,
                                                               size_t top_n) const {
  const size_t n = row_end > row_begin ? row_end - row_begin : 0;
  std::vector<std::vector<RankedPlace>> result(n);
#pragma omp parallel for schedule(dynamic, 16)
  for (size_t i = 0; i < n; ++i) result[i] = top_places(row_begin + i, top_n);
  return result;
}

}  // namespace recsys::synthetic
