#include "recsys/model/hetero_inputs.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "recsys/core/error.h"

namespace recsys::model {

NeighbourLists NeighbourLists::from_csr(const graph::CsrView& csr) {
  NeighbourLists l;
  l.offsets.assign(csr.offsets.begin(), csr.offsets.end());
  l.indices.assign(csr.indices.begin(), csr.indices.end());
  if (l.offsets.empty()) l.offsets.push_back(0);
  return l;
}

int64_t FeatureTransform::out_cols() const {
  int64_t c = cols;
  for (const auto& b : unit) c += b.width;
  return c;
}

void FeatureTransform::apply(const float* row, float* o) const {
  std::copy_n(row, cols, o);
  int64_t at = cols;
  for (const auto& b : unit) {
    double norm = 0;
    for (int64_t k = b.offset; k < b.offset + b.width; ++k) {
      const double raw = std::max(0.0f, row[k] * std[static_cast<size_t>(k)] +
                                            mean[static_cast<size_t>(k)]);
      o[at + k - b.offset] = static_cast<float>(raw);
      switch (b.norm) {
        case Norm::kL2: norm += raw * raw; break;
        case Norm::kSum: norm += raw; break;
        case Norm::kMax: norm = std::max(norm, raw); break;
      }
    }
    if (b.norm == Norm::kL2) norm = std::sqrt(norm);
    const float scale = norm > 0 ? static_cast<float>(1.0 / norm) : 0.0f;
    for (int64_t k = 0; k < b.width; ++k) o[at + k] *= scale;
    at += b.width;
  }
}

namespace {

const char* norm_key(FeatureTransform::Norm n) {
  switch (n) {
    case FeatureTransform::Norm::kL2: return "unit_normalised_blocks";
    case FeatureTransform::Norm::kSum: return "sum_normalised_blocks";
    case FeatureTransform::Norm::kMax: return "max_scaled_blocks";
  }
  return "unit_normalised_blocks";
}

// Standardised columns plus normalised raw copies of the non-negative blocks: every block in each
// of `norms` in turn.
std::vector<float> transform_features(const graph::GraphArtifact& g, const std::string& node,
                                      int64_t rows,
                                      const std::vector<FeatureTransform::Norm>& norms,
                                      FeatureTransform& tr, nlohmann::json& desc) {
  desc = {{"standardised_columns", 0}};
  for (const auto n : norms) desc[norm_key(n)] = nlohmann::json::array();
  tr = FeatureTransform{};
  if (!g.has(node + ".features")) return {};
  const auto f = g.features(node);
  if (f.rows != rows)
    throw FormatError(fmt::format("{}: {}.features has {} rows for {} nodes", g.dir().string(),
                                  node, f.rows, rows));
  tr.cols = f.cols;
  tr.mean.assign(f.mean.begin(), f.mean.end());
  tr.std.assign(f.std.begin(), f.std.end());
  const auto& blocks = g.manifest()["features"][node]["blocks"];
  for (const auto& b : blocks) {
    const int64_t off = b.at("offset").get<int64_t>(), w = b.at("width").get<int64_t>();
    if (w < 2 || off + w > f.cols) continue;
    bool nonneg = true;
    for (int64_t r = 0; r < rows && nonneg; ++r) {
      const auto row = f.row(r);
      for (int64_t k = off; k < off + w; ++k) {
        const float raw = row[static_cast<size_t>(k)] * f.std[static_cast<size_t>(k)] +
                          f.mean[static_cast<size_t>(k)];
        if (!(raw >= -1e-6f)) {
          nonneg = false;
          break;
        }
      }
    }
    if (!nonneg) continue;
    for (const auto n : norms) {
      tr.unit.push_back({off, w, n});
      desc[norm_key(n)].push_back(b.at("name"));
    }
  }
  // Output order: all blocks in the first norm, then all in the next, ...
  std::stable_sort(tr.unit.begin(), tr.unit.end(), [&](const auto& a, const auto& b) {
    return std::find(norms.begin(), norms.end(), a.norm) <
           std::find(norms.begin(), norms.end(), b.norm);
  });
  desc["standardised_columns"] = f.cols;
  const int64_t cols = tr.out_cols();
  std::vector<float> out(static_cast<size_t>(rows * cols));
#pragma omp parallel for schedule(static)
  for (int64_t r = 0; r < rows; ++r) tr.apply(f.row(r).data(), out.data() + r * cols);
  return out;
}

// Node ids of `array` mapped to [0, n) with n for unknown / out of range; n = 0 when absent.
std::vector<int32_t> categorical(const graph::GraphArtifact& g, const std::string& array,
                                 int64_t rows, int32_t n) {
  std::vector<int32_t> out(static_cast<size_t>(rows), n);
  if (n == 0 || !g.has(array)) return out;
  const auto a = g.array<int32_t>(array);
  if (static_cast<int64_t>(a.size()) != rows)
    throw FormatError(fmt::format("{}: {} has {} entries for {} nodes", g.dir().string(), array,
                                  a.size(), rows));
  for (int64_t i = 0; i < rows; ++i) {
    const int32_t v = a[static_cast<size_t>(i)];
    out[static_cast<size_t>(i)] = v >= 0 && v < n ? v : n;
  }
  return out;
}

}  // namespace

CrossEntries matched_cross_entries(const FeatureTransform& user, const FeatureTransform& place) {
  CrossEntries e;
  int64_t pat = 0;
  for (const auto& pb : place.unit) {
    int64_t uat = user.cols;
    for (const auto& ub : user.unit) {
      if (ub.width == pb.width)
        for (int64_t k = 0; k < pb.width; ++k) {
          e.user_col.push_back(uat + k);
          e.place_col.push_back(pat + k);
        }
      uat += ub.width;
    }
    pat += pb.width;
  }
  return e;
}

HeteroInputs build_hetero_inputs(const graph::GraphArtifact& g, NeighbourLists train_places) {
  HeteroInputs in;
  in.n_users = g.n_users();
  in.n_places = g.n_places();
  if (train_places.rows() != in.n_users)
    throw InvalidArgument(fmt::format("hetero: {} training place lists for {} users",
                                      train_places.rows(), in.n_users));
  nlohmann::json ud, pd;
  using Norm = FeatureTransform::Norm;
  in.user_x = transform_features(g, "user", in.n_users, {Norm::kL2, Norm::kMax},
                                 in.user_transform, ud);
  in.place_x = transform_features(g, "place", in.n_places, {Norm::kL2, Norm::kSum},
                                  in.place_transform, pd);
  in.user_cols = static_cast<int32_t>(in.user_transform.out_cols());
  in.place_cols = static_cast<int32_t>(in.place_transform.out_cols());
  in.description = {{"user", ud}, {"place", pd}};

  in.n_cities = static_cast<int32_t>(g.n_nodes("city"));
  in.n_neighborhoods = static_cast<int32_t>(g.n_nodes("neighborhood"));
  in.user_city = categorical(g, "user.home_city", in.n_users, in.n_cities);
  in.user_home_neighborhood =
      categorical(g, "user.home_neighborhood", in.n_users, in.n_neighborhoods);
  in.place_city = categorical(g, "place.city", in.n_places, in.n_cities);
  in.place_neighborhood =
      categorical(g, "place.neighborhood", in.n_places, in.n_neighborhoods);
  if (in.n_neighborhoods > 0 && g.has_relation("user_neighborhood")) {
    in.user_neighborhoods = NeighbourLists::from_csr(g.relation("user_neighborhood"));
  } else {
    in.user_neighborhoods.offsets.assign(static_cast<size_t>(in.n_users) + 1, 0);
  }
  in.user_places = std::move(train_places);
  if (g.has_relation("user_user.train")) {
    in.user_friends = NeighbourLists::from_csr(g.relation("user_user.train"));
  } else {
    in.user_friends.offsets.assign(static_cast<size_t>(in.n_users) + 1, 0);
  }
  in.place_degree.assign(static_cast<size_t>(in.n_places), 0);
  for (int32_t p : in.user_places.indices) {
    if (p < 0 || p >= in.n_places)
      throw FormatError(fmt::format("{}: a training place id {} is out of range [0, {})",
                                    g.dir().string(), p, in.n_places));
    ++in.place_degree[static_cast<size_t>(p)];
  }
  in.city_places.assign(static_cast<size_t>(in.n_cities), {});
  in.city_users.assign(static_cast<size_t>(in.n_cities), {});
  for (int64_t p = 0; p < in.n_places; ++p) {
    const int32_t c = in.place_city[static_cast<size_t>(p)];
    if (c < in.n_cities) in.city_places[static_cast<size_t>(c)].push_back(static_cast<int32_t>(p));
  }
  for (int64_t u = 0; u < in.n_users; ++u) {
    const int32_t c = in.user_city[static_cast<size_t>(u)];
    if (c < in.n_cities) in.city_users[static_cast<size_t>(c)].push_back(static_cast<int32_t>(u));
  }
  return in;
}

void user_dense_rows_from_bags(const HeteroInputs& in, const int32_t* users,
                               const Bags& place_bags, int64_t n, float* out) {
  if (static_cast<int64_t>(place_bags.offsets.size()) != n)
    throw InvalidArgument(fmt::format("hetero: {} place bags for {} users",
                                      place_bags.offsets.size(), n));
  const int64_t uc = in.user_cols, pc = in.place_cols, width = uc + pc;
  const auto total = static_cast<int64_t>(place_bags.indices.size());
#pragma omp parallel for schedule(static)
  for (int64_t i = 0; i < n; ++i) {
    const int64_t u = users[i];
    float* o = out + i * width;
    if (uc > 0) std::copy_n(in.user_x.data() + u * uc, uc, o);
    float* agg = o + uc;
    std::fill(agg, agg + pc, 0.0f);
    if (pc == 0) continue;
    const int64_t lo = place_bags.offsets[static_cast<size_t>(i)];
    const int64_t hi = i + 1 < n ? place_bags.offsets[static_cast<size_t>(i) + 1] : total;
    for (int64_t k = lo; k < hi; ++k) {
      const float* x = in.place_x.data() + place_bags.indices[static_cast<size_t>(k)] * pc;
      for (int64_t c = 0; c < pc; ++c) agg[c] += x[c];
    }
    if (hi > lo) {
      const float inv = 1.0f / static_cast<float>(hi - lo);
      for (int64_t c = 0; c < pc; ++c) agg[c] *= inv;
    }
  }
}

void user_dense_rows(const HeteroInputs& in, const int32_t* users, const int32_t* exclude_place,
                     const uint8_t* drop, int64_t n, float* out) {
  user_dense_rows_from_bags(in, users, make_bags(in.user_places, users, n, exclude_place, drop), n, out);
}

Bags make_bags(const NeighbourLists& lists, const int32_t* rows, int64_t n,
               const int32_t* exclude, const uint8_t* drop) {
  Bags b;
  b.offsets.resize(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    b.offsets[static_cast<size_t>(i)] = static_cast<int64_t>(b.indices.size());
    if (drop && drop[i]) continue;
    const int64_t r = rows[i];
    const int32_t* e = lists.begin(r);
    const int64_t deg = lists.degree(r);
    const int32_t excl = exclude ? exclude[i] : -1;
    for (int64_t k = 0; k < deg; ++k)
      if (e[k] != excl) b.indices.push_back(e[k]);
  }
  return b;
}

}  // namespace recsys::model
