#include "recsys/synthetic/social_edges.h"

#include <cblas.h>

#include <algorithm>
#include <cmath>
#include <tuple>

#include "recsys/core/error.h"
#include "recsys/core/thread_setup.h"

namespace recsys::synthetic {

namespace {
constexpr int kBlockRows = 256;
constexpr int kCoAttendanceCap = 5;

struct DirectedEdge {
  int32_t a, b;
  float similarity;
  int32_t co_attendance;
  float overlap;
};
}  // namespace

double interest_similarity(const UserTable& users, size_t a, size_t b) {
  const float* x = users.tag_row(a);
  const float* y = users.tag_row(b);
  double dot = 0, nx = 0, ny = 0;
  for (int k = 0; k < users.n_tags; ++k) {
    dot += static_cast<double>(x[k]) * y[k];
    nx += static_cast<double>(x[k]) * x[k];
    ny += static_cast<double>(y[k]) * y[k];
  }
  if (nx <= 0 || ny <= 0) return 0.0;
  return dot / (std::sqrt(nx) * std::sqrt(ny));
}

double neighborhood_overlap(const UserTable& users, size_t a, size_t b) {
  const auto begin_a = users.frequent_neighborhood_ids.begin() + users.frequent_offsets[a];
  const auto end_a = users.frequent_neighborhood_ids.begin() + users.frequent_offsets[a + 1];
  const auto begin_b = users.frequent_neighborhood_ids.begin() + users.frequent_offsets[b];
  const auto end_b = users.frequent_neighborhood_ids.begin() + users.frequent_offsets[b + 1];
  int common = 0;
  for (auto it = begin_a; it != end_a; ++it)
    common += static_cast<int>(std::count(begin_b, end_b, *it));
  const auto total = static_cast<int>((end_a - begin_a) + (end_b - begin_b)) - common;
  return total > 0 ? static_cast<double>(common) / total : 0.0;
}

SocialEdgeTable build_social_edges(const SyntheticConfig& config, const UserTable& users,
                                   const AttendanceIndex& attendance,
                                   const std::function<void(int64_t)>& on_progress,
                                   const std::vector<uint8_t>& cities) {
  const size_t n = users.size();
  for (size_t i = 0; i < n; ++i) {
    if (users.user_id[i] != static_cast<int32_t>(i))
      throw InvalidArgument("build_social_edges: the user table must hold users 0..N-1 in order");
  }
  if (!cities.empty() && cities.size() != static_cast<size_t>(config.n_cities))
    throw InvalidArgument("build_social_edges: the city selection must have n_cities entries");
  const auto selected = [&](size_t city) { return cities.empty() || cities[city] != 0; };
  const int dim = users.n_tags;
  // Unit-length interest vectors, grouped by city (city-major, ascending ids).
  std::vector<std::vector<int32_t>> by_city(static_cast<size_t>(config.n_cities));
  for (size_t i = 0; i < n; ++i) {
    const auto city = static_cast<size_t>(users.home_city_id[i]);
    if (selected(city)) by_city[city].push_back(static_cast<int32_t>(i));
  }
  std::vector<std::vector<float>> city_matrix(by_city.size());
  for (size_t c = 0; c < by_city.size(); ++c) {
    auto& m = city_matrix[c];
    m.resize(by_city[c].size() * static_cast<size_t>(dim));
    for (size_t r = 0; r < by_city[c].size(); ++r) {
      const float* row = users.tag_row(static_cast<size_t>(by_city[c][r]));
      double norm = 0;
      for (int k = 0; k < dim; ++k) norm += static_cast<double>(row[k]) * row[k];
      const float inv = norm > 0 ? static_cast<float>(1.0 / std::sqrt(norm)) : 0.0f;
      for (int k = 0; k < dim; ++k)
        m[r * static_cast<size_t>(dim) + static_cast<size_t>(k)] = row[k] * inv;
    }
  }
  struct Task {
    size_t city;
    size_t row_begin, row_end;
  };
  std::vector<Task> tasks;
  for (size_t c = 0; c < by_city.size(); ++c) {
    for (size_t r = 0; r < by_city[c].size(); r += kBlockRows)
      tasks.push_back({c, r, std::min(by_city[c].size(), r + kBlockRows)});
  }
  std::vector<std::vector<DirectedEdge>> results(tasks.size());
  const int pool = config.candidate_pool;
  const float prefilter = static_cast<float>(config.similarity_threshold) - 1e-3f;

  // Blocks fixed by city and position; each OpenMP thread runs its own
  // single-threaded sgemm, and every stored value is recomputed exactly per pair.
  SingleThreadedBlas single_threaded_blas;
#pragma omp parallel
  {
    std::vector<float> scores;
    std::vector<std::pair<float, int32_t>> candidates;
    std::vector<std::tuple<double, int32_t, DirectedEdge>> ranked;
#pragma omp for schedule(dynamic, 1)
    for (size_t t = 0; t < tasks.size(); ++t) {
      const Task& task = tasks[t];
      const auto& members = by_city[task.city];
      const auto& matrix = city_matrix[task.city];
      const int m = static_cast<int>(task.row_end - task.row_begin);
      const int n_city = static_cast<int>(members.size());
      scores.resize(static_cast<size_t>(m) * static_cast<size_t>(n_city));
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, n_city, dim, 1.0f,
                  matrix.data() + task.row_begin * static_cast<size_t>(dim), dim, matrix.data(),
                  dim, 0.0f, scores.data(), n_city);
      auto& out = results[t];
      for (int r = 0; r < m; ++r) {
        const size_t self_pos = task.row_begin + static_cast<size_t>(r);
        const int32_t self = members[self_pos];
        const float* row = scores.data() + static_cast<size_t>(r) * static_cast<size_t>(n_city);
        // The best `pool` by approximate similarity (ties by position): a bounded
        // heap, worst on top, so most users fail a single comparison.
        candidates.clear();
        auto better = [](const std::pair<float, int32_t>& x, const std::pair<float, int32_t>& y) {
          return x.first > y.first || (x.first == y.first && x.second < y.second);
        };
        for (int j = 0; j < n_city; ++j) {
          if (static_cast<size_t>(j) == self_pos || row[j] < prefilter) continue;
          const std::pair<float, int32_t> c{row[j], j};
          if (static_cast<int>(candidates.size()) < pool) {
            candidates.push_back(c);
            std::push_heap(candidates.begin(), candidates.end(), better);
          } else if (better(c, candidates.front())) {
            std::pop_heap(candidates.begin(), candidates.end(), better);
            candidates.back() = c;
            std::push_heap(candidates.begin(), candidates.end(), better);
          }
        }
        ranked.clear();
        for (const auto& [approx, j] : candidates) {
          const int32_t other = members[static_cast<size_t>(j)];
          const int32_t lo = std::min(self, other), hi = std::max(self, other);
          const double sim =
              interest_similarity(users, static_cast<size_t>(lo), static_cast<size_t>(hi));
          if (sim < config.similarity_threshold) continue;
          const int32_t co = attendance.co_attendance(lo, hi);
          const double overlap =
              neighborhood_overlap(users, static_cast<size_t>(lo), static_cast<size_t>(hi));
          const double rank = sim + config.co_attendance_weight * std::min(co, kCoAttendanceCap) +
                              config.overlap_weight * overlap;
          ranked.emplace_back(
              rank, other,
              DirectedEdge{lo, hi, static_cast<float>(sim), co, static_cast<float>(overlap)});
        }
        std::sort(ranked.begin(), ranked.end(), [](const auto& x, const auto& y) {
          return std::get<0>(x) > std::get<0>(y) ||
                 (std::get<0>(x) == std::get<0>(y) && std::get<1>(x) < std::get<1>(y));
        });
        const size_t keep = std::min(ranked.size(), static_cast<size_t>(config.top_k));
        for (size_t k = 0; k < keep; ++k) out.push_back(std::get<2>(ranked[k]));
      }

      if (on_progress) on_progress(m);
    }
  }

  std::vector<DirectedEdge> all;
  size_t total = 0;
  for (const auto& r : results) total += r.size();
  all.reserve(total);
  for (auto& r : results) {
    all.insert(all.end(), r.begin(), r.end());
    std::vector<DirectedEdge>().swap(r);
  }
  std::sort(all.begin(), all.end(), [](const DirectedEdge& x, const DirectedEdge& y) {
    return x.a < y.a || (x.a == y.a && x.b < y.b);
  });
  SocialEdgeTable table;
  for (size_t i = 0; i < all.size(); ++i) {
    if (i > 0 && all[i].a == all[i - 1].a && all[i].b == all[i - 1].b) continue;
    table.user_a.push_back(all[i].a);
    table.user_b.push_back(all[i].b);
    table.similarity.push_back(all[i].similarity);
    table.co_attendance.push_back(all[i].co_attendance);
    table.neighborhood_overlap.push_back(all[i].overlap);
  }
  return table;
}

}  // namespace recsys::synthetic
