#include "recsys/model/hetero_serving.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <unordered_map>

#include "recsys/core/error.h"
#include "recsys/graph/node_features.h"
#include "recsys/model/hetero_inputs.h"
#include "recsys/model/hetero_params.h"

namespace recsys::model {

namespace fs = std::filesystem;

namespace {

constexpr const char* kInputsFile = "hetero_inputs.json";

// Dot product with independent partial sums (vectorises without -ffast-math).
float dot(const float* a, const float* b, int64_t n) {
  float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int64_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (int k = 0; k < 8; ++k) acc[k] += a[i + k] * b[i + k];
  float s = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
  for (; i < n; ++i) s += a[i] * b[i];
  return s;
}

struct Linear {
  int64_t in = 0, out = 0;
  std::vector<float> w, b;  // [out, in], [out]
  // y[o] += W x + b
  void add(const float* x, float* y) const {
    for (int64_t o = 0; o < out; ++o)
      y[o] += dot(w.data() + o * in, x, in) + b[static_cast<size_t>(o)];
  }
};

struct Mlp {  // Linear -> ReLU -> Linear (torch::nn::Sequential indices 0 and 2)
  Linear first, second;
  void add(const float* x, float* y) const {
    std::vector<float> h(static_cast<size_t>(first.out), 0.0f);
    first.add(x, h.data());
    for (float& v : h) v = std::max(v, 0.0f);
    second.add(h.data(), y);
  }
};

struct Table {
  int64_t rows = 0, dim = 0;
  std::vector<float> w;
  const float* row(int64_t r) const { return w.data() + r * dim; }
};

// Parameters looked up by name with their expected shape.
class ParamReader {
 public:
  ParamReader(HeteroParams p, fs::path file) : p_(std::move(p)), file_(std::move(file)) {}
  std::vector<float> take(const std::string& name, const std::vector<int64_t>& shape) {
    const auto it = p_.find(name);
    if (it == p_.end())
      throw FormatError(fmt::format("{}: parameter \"{}\" is missing", file_.string(), name));
    if (it->second.shape != shape)
      throw FormatError(fmt::format("{}: parameter \"{}\" has shape [{}], the network needs [{}]",
                                    file_.string(), name, fmt::join(it->second.shape, ", "),
                                    fmt::join(shape, ", ")));
    return std::move(it->second.values);
  }
  std::vector<int64_t> shape(const std::string& name) const {
    const auto it = p_.find(name);
    if (it == p_.end())
      throw FormatError(fmt::format("{}: parameter \"{}\" is missing", file_.string(), name));
    return it->second.shape;
  }
  Linear linear(const std::string& name, int64_t in, int64_t out) {
    Linear l;
    l.in = in;
    l.out = out;
    l.w = take(name + ".weight", {out, in});
    l.b = take(name + ".bias", {out});
    return l;
  }
  Mlp mlp(const std::string& name, int64_t in, int64_t hidden, int64_t out) {
    return {linear(name + ".0", in, hidden), linear(name + ".2", hidden, out)};
  }
  Table table(const std::string& name, int64_t rows, int64_t dim) {
    return {rows, dim, take(name + ".weight", {rows, dim})};
  }

 private:
  HeteroParams p_;
  fs::path file_;
};

nlohmann::json read_json(const fs::path& path) {
  std::ifstream in(path);
  if (!in)
    throw FormatError(
        fmt::format("{}: missing or unreadable (hetero serving file)", path.string()));
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw FormatError(fmt::format("{}: not valid JSON ({})", path.string(), e.what()));
  }
}

// Drops repeated ids, keeping the first occurrence; InvalidArgument when one is out of [0, n).
std::vector<int32_t> checked_unique(const std::vector<int32_t>& ids, int64_t n, const char* field) {
  std::vector<int32_t> out;
  for (int32_t v : ids) {
    if (v < 0 || v >= n)
      throw InvalidArgument(
          fmt::format("new user profile: {} id {} is out of range [0, {})", field, v, n));
    if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
  }
  return out;
}

struct LatLon {
  double lat = 0, lon = 0, n = 0;
};

}  // namespace

struct HeteroServing::Impl {
  int64_t dim = 0, social_dim = 0, hidden = 0, n_users = 0, n_places = 0;
  int32_t n_cities = 0, n_neighborhoods = 0;
  bool place_ids = true;
  // Exact blocks after h (hetero_network.h): feature cross, location, place bias.
  int64_t cross_cols = 0;
  bool location = false;
  CrossEntries cross;          // matched_cross_entries of the feature transforms
  std::vector<float> u_cross;  // one weight per entry
  Table loc_nbhd, loc_home;
  int64_t location_cols() const { return location ? n_neighborhoods + 1 : 0; }
  bool place_bias = false;  // user side: a constant 1 column
  int64_t place_part() const { return dim + cross_cols + location_cols() + (place_bias ? 1 : 0); }
  int64_t input_cols = 0, enc_cols = 0;  // network input (>= 1), dense input (may be 0)
  Linear u_lin, s_lin;
  Mlp u_mlp, s_mlp, attend;
  Table u_nbhd, u_home, u_city, place_ctx, friend_ctx, s_nbhd, s_city;
  HeteroInputs in;

  // Profile -> raw feature row.
  std::unordered_map<std::string, graph::FeatureBlock> user_blocks;
  int64_t n_categories = 0;
  std::vector<int64_t> place_category_offsets;
  std::vector<int32_t> place_categories;
  std::vector<std::vector<float>> category_tags;  // per category: tag distribution (sums to 1)
  std::vector<std::vector<float>> place_tags;     // per place: tag distribution (may be empty)
  std::vector<LatLon> city_centre, neighborhood_centre;
  std::vector<int32_t> neighborhood_city;
  double events_per_pair = 1.0;

  const graph::FeatureBlock* block(const char* name) const {
    const auto it = user_blocks.find(name);
    return it == user_blocks.end() ? nullptr : &it->second;
  }

  // The standardised user feature row of a new user (user_transform.cols floats).
  std::vector<float> standardised_row(const NewUserProfile& p) const {
    const FeatureTransform& tr = in.user_transform;
    std::vector<double> raw(static_cast<size_t>(tr.cols));
    for (int64_t c = 0; c < tr.cols; ++c)
      raw[static_cast<size_t>(c)] = tr.mean[static_cast<size_t>(c)];
    const auto set_distribution = [&](const char* name, const std::vector<double>& dist) {
      const auto* b = block(name);
      if (!b || dist.empty() || static_cast<int64_t>(dist.size()) != b->width) return;
      for (int32_t k = 0; k < b->width; ++k)
        raw[static_cast<size_t>(b->offset + k)] = dist[static_cast<size_t>(k)];
    };
    const auto normalised = [](std::vector<double> v) {
      double s = 0;
      for (double x : v) s += x;
      if (s <= 0) return std::vector<double>{};
      for (double& x : v) x /= s;
      return v;
    };
    // category_pref / tag_pref: from the picked categories, else from the liked places.
    const int64_t n_tags =
        category_tags.empty() ? 0 : static_cast<int64_t>(category_tags[0].size());
    std::vector<double> cat(static_cast<size_t>(n_categories), 0.0),
        tag(static_cast<size_t>(n_tags), 0.0);
    if (!p.interest_categories.empty()) {
      for (int32_t c : p.interest_categories) {
        cat[static_cast<size_t>(c)] += 1.0;
        if (n_tags > 0)
          for (int64_t t = 0; t < n_tags; ++t)
            tag[static_cast<size_t>(t)] +=
                category_tags[static_cast<size_t>(c)][static_cast<size_t>(t)];
      }
    } else {
      for (int32_t pl : p.places) {
        const int64_t b =
            place_category_offsets.empty() ? 0 : place_category_offsets[static_cast<size_t>(pl)];
        const int64_t e = place_category_offsets.empty()
                              ? 0
                              : place_category_offsets[static_cast<size_t>(pl) + 1];
        for (int64_t k = b; k < e; ++k)
          cat[static_cast<size_t>(place_categories[static_cast<size_t>(k)])] +=
              1.0 / static_cast<double>(e - b);
        if (place_tags.empty()) continue;
        const auto& pt = place_tags[static_cast<size_t>(pl)];
        if (static_cast<int64_t>(pt.size()) == n_tags)
          for (int64_t t = 0; t < n_tags; ++t)
            tag[static_cast<size_t>(t)] += pt[static_cast<size_t>(t)];
      }
    }
    set_distribution("category_pref", normalised(cat));
    set_distribution("tag_pref", normalised(tag));
    // Home location: the home neighborhood's places' centre, else the home city's.
    const LatLon* home = nullptr;
    if (p.home_neighborhood >= 0 &&
        neighborhood_centre[static_cast<size_t>(p.home_neighborhood)].n > 0)
      home = &neighborhood_centre[static_cast<size_t>(p.home_neighborhood)];
    else if (p.home_city >= 0 && city_centre[static_cast<size_t>(p.home_city)].n > 0)
      home = &city_centre[static_cast<size_t>(p.home_city)];
    if (home) {
      if (const auto* b = block("home_lat")) raw[static_cast<size_t>(b->offset)] = home->lat;
      if (const auto* b = block("home_lon")) raw[static_cast<size_t>(b->offset)] = home->lon;
    }
    // Training-derived columns as for a user with these pairs / friendships (shares: unknown).
    const auto n_pl = static_cast<double>(p.places.size());
    if (const auto* b = block("train_log_degree"))
      raw[static_cast<size_t>(b->offset)] = std::log1p(n_pl);
    if (const auto* b = block("train_log_events"))
      raw[static_cast<size_t>(b->offset)] = std::log1p(n_pl * events_per_pair);
    if (const auto* b = block("train_log_friends"))
      raw[static_cast<size_t>(b->offset)] = std::log1p(static_cast<double>(p.friends.size()));
    std::vector<float> row(static_cast<size_t>(tr.cols));
    for (int64_t c = 0; c < tr.cols; ++c)
      row[static_cast<size_t>(c)] =
          static_cast<float>((raw[static_cast<size_t>(c)] - tr.mean[static_cast<size_t>(c)]) /
                             tr.std[static_cast<size_t>(c)]);
    return row;
  }

  // Network input of a completed new-user profile.
  std::vector<float> new_user_input(const NewUserProfile& p) const {
    const auto standardised = standardised_row(p);
    std::vector<float> row(static_cast<size_t>(in.user_cols));
    if (!row.empty()) in.user_transform.apply(standardised.data(), row.data());
    return input(row.data(), p.places);
  }

  // Network input: a transformed user row (user_cols floats), then the mean of the places' rows.
  std::vector<float> input(const float* user_row, const std::vector<int32_t>& places) const {
    std::vector<float> x(static_cast<size_t>(input_cols), 0.0f);
    if (enc_cols == 0) return x;
    std::copy_n(user_row, in.user_cols, x.data());
    float* agg = x.data() + in.user_cols;
    const int64_t pc = in.place_cols;
    if (pc == 0 || places.empty()) return x;
    for (int32_t p : places) {
      const float* r = in.place_x.data() + static_cast<int64_t>(p) * pc;
      for (int64_t c = 0; c < pc; ++c) agg[c] += r[c];
    }
    const float inv = 1.0f / static_cast<float>(places.size());
    for (int64_t c = 0; c < pc; ++c) agg[c] *= inv;
    return x;
  }

  std::vector<float> forward(const std::vector<float>& x, const NewUserProfile& p) const {
    const int64_t full = place_part() + social_dim;
    std::vector<float> out(static_cast<size_t>(full), 0.0f);
    float* h = out.data();
    const int64_t city = p.home_city >= 0 ? p.home_city : n_cities;
    const int64_t home = p.home_neighborhood >= 0 ? p.home_neighborhood : n_neighborhoods;
    u_lin.add(x.data(), h);
    u_mlp.add(x.data(), h);
    const auto add_row = [](float* y, const float* r, int64_t n, float scale) {
      for (int64_t k = 0; k < n; ++k) y[k] += scale * r[k];
    };
    for (int32_t n : p.neighborhoods) add_row(h, u_nbhd.row(n), dim, 1.0f);
    add_row(h, u_home.row(home), dim, 1.0f);
    add_row(h, u_city.row(city), dim, 1.0f);
    const auto add_mean = [&](float* y, const Table& t, const std::vector<int32_t>& ids,
                              int64_t n) {
      if (ids.empty()) return;
      std::vector<float> sum(static_cast<size_t>(n), 0.0f);
      for (int32_t i : ids) add_row(sum.data(), t.row(i), n, 1.0f);
      const float inv = 1.0f / static_cast<float>(ids.size());
      for (int64_t k = 0; k < n; ++k) y[k] += sum[static_cast<size_t>(k)] * inv;
    };
    if (place_ids) add_mean(h, place_ctx, p.places, dim);
    for (size_t e = 0; e < u_cross.size(); ++e)
      h[dim + cross.place_col[e]] += u_cross[e] * x[static_cast<size_t>(cross.user_col[e])];
    if (location) {
      float* l = h + dim + cross_cols;
      const int64_t lc = location_cols();
      for (int32_t n : p.neighborhoods) add_row(l, loc_nbhd.row(n), lc, 1.0f);
      add_row(l, loc_home.row(home), lc, 1.0f);
    }
    if (place_bias) h[place_part() - 1] = 1.0f;
    if (social_dim == 0) return out;
    float* s = out.data() + place_part();
    s_lin.add(x.data(), s);
    s_mlp.add(x.data(), s);
    add_mean(s, friend_ctx, p.friends, social_dim);
    add_mean(s, s_nbhd, p.neighborhoods, social_dim);
    add_row(s, s_city.row(city), social_dim, 1.0f);
    return out;
  }

  // What embed_user(profile) needs to fill a feature row: the graph's user feature blocks, the
  // places' categories and tag distributions, city / neighborhood centres, events per pair.
  void read_profile_mapping(const graph::GraphArtifact& g) {
    if (g.has("user.features"))
      for (const auto& b : g.manifest()["features"]["user"]["blocks"]) {
        graph::FeatureBlock fb{b.at("name").get<std::string>(), b.at("offset").get<int32_t>(),
                               b.at("width").get<int32_t>()};
        user_blocks[fb.name] = fb;
      }
    n_categories = g.n_nodes("category");
    if (const auto* b = block("category_pref"))
      n_categories = std::max<int64_t>(n_categories, b->width);
    if (g.has_relation("place_category")) {
      const auto pcat = g.relation("place_category");
      place_category_offsets.assign(pcat.offsets.begin(), pcat.offsets.end());
      place_categories.assign(pcat.indices.begin(), pcat.indices.end());
      for (int32_t c : place_categories)
        if (c < 0 || c >= n_categories)
          throw FormatError(fmt::format("{}: place_category holds category {} outside [0, {})",
                                        g.dir().string(), c, n_categories));
    }
    const auto* tag_pref = block("tag_pref");
    if (tag_pref && g.has("place.features")) {
      const auto pf = g.features("place");
      for (const auto& b : g.manifest()["features"]["place"]["blocks"]) {
        const std::string name = b.at("name").get<std::string>();
        const int64_t off = b.at("offset").get<int64_t>(), w = b.at("width").get<int64_t>();
        if ((name != "tag_vector" && name != "tag") || w != tag_pref->width || off + w > pf.cols)
          continue;
        place_tags.assign(static_cast<size_t>(n_places), {});
        category_tags.assign(static_cast<size_t>(n_categories),
                             std::vector<float>(static_cast<size_t>(w), 0.0f));
        std::vector<double> cat_sum(static_cast<size_t>(n_categories * w), 0.0);
        for (int64_t p = 0; p < n_places; ++p) {
          const auto row = pf.row(p);
          std::vector<float> t(static_cast<size_t>(w));
          double sum = 0;
          for (int64_t k = 0; k < w; ++k) {
            const auto col = static_cast<size_t>(off + k);
            t[static_cast<size_t>(k)] = std::max(0.0f, row[col] * pf.std[col] + pf.mean[col]);
            sum += t[static_cast<size_t>(k)];
          }
          if (sum <= 0) continue;
          for (float& v : t) v = static_cast<float>(v / sum);
          if (!place_category_offsets.empty())
            for (int64_t k = place_category_offsets[static_cast<size_t>(p)];
                 k < place_category_offsets[static_cast<size_t>(p) + 1]; ++k)
              for (int64_t j = 0; j < w; ++j)
                cat_sum[static_cast<size_t>(place_categories[static_cast<size_t>(k)] * w + j)] +=
                    t[static_cast<size_t>(j)];
          place_tags[static_cast<size_t>(p)] = std::move(t);
        }
        for (int64_t c = 0; c < n_categories; ++c) {
          double sum = 0;
          for (int64_t j = 0; j < w; ++j) sum += cat_sum[static_cast<size_t>(c * w + j)];
          if (sum > 0)
            for (int64_t j = 0; j < w; ++j)
              category_tags[static_cast<size_t>(c)][static_cast<size_t>(j)] =
                  static_cast<float>(cat_sum[static_cast<size_t>(c * w + j)] / sum);
        }
        break;
      }
    }
    city_centre.assign(static_cast<size_t>(n_cities), {});
    neighborhood_centre.assign(static_cast<size_t>(n_neighborhoods), {});
    neighborhood_city.assign(static_cast<size_t>(n_neighborhoods), -1);
    const bool located = g.has("place.lat") && g.has("place.lon");
    const auto lat = located ? g.array<double>("place.lat") : std::span<const double>{};
    const auto lon = located ? g.array<double>("place.lon") : std::span<const double>{};
    for (int64_t p = 0; p < n_places; ++p) {
      const int32_t c = in.place_city[static_cast<size_t>(p)];
      const int32_t n = in.place_neighborhood[static_cast<size_t>(p)];
      if (n < n_neighborhoods && c < n_cities) neighborhood_city[static_cast<size_t>(n)] = c;
      if (!located || std::isnan(lat[static_cast<size_t>(p)]) ||
          std::isnan(lon[static_cast<size_t>(p)]))
        continue;
      for (LatLon* ll :
           {c < n_cities ? &city_centre[static_cast<size_t>(c)] : nullptr,
            n < n_neighborhoods ? &neighborhood_centre[static_cast<size_t>(n)] : nullptr})
        if (ll) {
          ll->lat += lat[static_cast<size_t>(p)];
          ll->lon += lon[static_cast<size_t>(p)];
          ll->n += 1;
        }
    }
    for (auto* v : {&city_centre, &neighborhood_centre})
      for (LatLon& ll : *v)
        if (ll.n > 0) ll.lat /= ll.n, ll.lon /= ll.n;
    if (g.has_relation("user_place.train")) {
      const auto tr = g.interactions("train");
      double events = 0;
      for (int32_t c : tr.count) events += c;
      if (!tr.count.empty()) events_per_pair = events / static_cast<double>(tr.count.size());
    }
  }

  void check_neighbours(const NewUserProfile& p) const {
    checked_unique(p.places, n_places, "place");
    checked_unique(p.friends, n_users, "friend");
    checked_unique(p.neighborhoods, n_neighborhoods, "neighborhood");
    if (p.home_city < -1 || p.home_city >= n_cities)
      throw InvalidArgument(fmt::format("new user profile: home city {} is out of range [0, {})",
                                        p.home_city, n_cities));
    if (p.home_neighborhood < -1 || p.home_neighborhood >= n_neighborhoods)
      throw InvalidArgument(
          fmt::format("new user profile: home neighborhood {} is out of range [0, {})",
                      p.home_neighborhood, n_neighborhoods));
  }
};

HeteroServing::HeteroServing() : impl_(std::make_unique<Impl>()) {}
HeteroServing::~HeteroServing() = default;

bool HeteroServing::available(const fs::path& dir) {
  return fs::is_regular_file(dir / kInputsFile) && fs::is_regular_file(dir / kHeteroParamsIndex) &&
         fs::is_regular_file(dir / kHeteroParamsData);
}

std::unique_ptr<HeteroServing> HeteroServing::open(const fs::path& dir,
                                                   const graph::GraphArtifact& g) {
  std::unique_ptr<HeteroServing> s(new HeteroServing());
  Impl& m = *s->impl_;
  const fs::path inputs_path = dir / kInputsFile;
  const nlohmann::json inputs = read_json(inputs_path);
  const auto mismatch = [&](const std::string& what) {
    return FormatError(fmt::format("{}: {}", inputs_path.string(), what));
  };
  int64_t user_input_cols = 0, place_cols = 0;
  try {
    const auto& sh = inputs.at("shape");
    user_input_cols = sh.at("user_input_cols").get<int64_t>();
    place_cols = sh.at("place_cols").get<int64_t>();
    m.n_users = sh.at("n_users").get<int64_t>();
    m.n_places = sh.at("n_places").get<int64_t>();
    m.n_cities = sh.at("n_cities").get<int32_t>();
    m.n_neighborhoods = sh.at("n_neighborhoods").get<int32_t>();
    m.dim = sh.at("dim").get<int64_t>();
    m.social_dim = sh.at("social_dim").get<int64_t>();
    m.hidden = sh.at("hidden").get<int64_t>();
    m.place_ids = sh.at("place_ids").get<bool>();
    m.cross_cols = sh.value("cross_cols", int64_t{0});  // absent in models before the blocks
    m.location = sh.value("location", false);
    m.place_bias = sh.value("place_bias", false);
    if (m.cross_cols > 0 && sh.at("cross_offset").get<int64_t>() + m.cross_cols !=
                                sh.at("place_cols").get<int64_t>())
      throw mismatch("\"shape\": the feature cross columns are not the place inputs' last ones");
  } catch (const nlohmann::json::exception& e) {
    throw mismatch(fmt::format("malformed \"shape\" ({})", e.what()));
  }
  if (m.dim <= 0 || m.social_dim < 0 || m.hidden <= 0 || user_input_cols < 0 || place_cols < 0)
    throw mismatch("\"shape\" has a non-positive dim / hidden or a negative column count");
  if (m.n_users != g.n_users() || m.n_places != g.n_places() || m.n_cities != g.n_nodes("city") ||
      m.n_neighborhoods != g.n_nodes("neighborhood"))
    throw mismatch(fmt::format(
        "the model has {} users, {} places, {} cities, {} neighborhoods; the graph {} has {}, {}, "
        "{}, {} (graph mismatch)",
        m.n_users, m.n_places, m.n_cities, m.n_neighborhoods, g.dir().string(), g.n_users(),
        g.n_places(), g.n_nodes("city"), g.n_nodes("neighborhood")));

  // The graph's inputs, with all of its training pairs as place bags.
  NeighbourLists train;
  if (g.has_relation("user_place.train"))
    train = NeighbourLists::from_csr(g.relation("user_place.train"));
  train.offsets.resize(static_cast<size_t>(g.n_users()) + 1, train.offsets.back());
  m.in = build_hetero_inputs(g, std::move(train));
  if (m.in.user_input_cols() != user_input_cols || m.in.place_cols != place_cols)
    throw mismatch(fmt::format(
        "the model reads {} user / {} place input columns, the graph {} "
        "gives {} / {} (graph mismatch)",
        user_input_cols, place_cols, g.dir().string(), m.in.user_input_cols(), m.in.place_cols));
  if (inputs.contains("features") && inputs["features"] != m.in.description)
    throw mismatch(
        fmt::format("the feature transform {} differs from the one the graph {} gives "
                    "({})",
                    inputs["features"].dump(), g.dir().string(), m.in.description.dump()));
  m.enc_cols = user_input_cols;
  m.input_cols = std::max<int64_t>(user_input_cols, 1);

  // Parameters.
  ParamReader r(read_hetero_params(dir), dir / kHeteroParamsIndex);
  const int64_t uc = m.input_cols, pc = std::max<int64_t>(place_cols, 1), d = m.dim,
                sd = m.social_dim, hid = m.hidden;
  const int64_t nn = m.n_neighborhoods + 1, nc = m.n_cities + 1;
  m.u_lin = r.linear("u_lin", uc, d);
  m.u_mlp = r.mlp("u_mlp", uc, hid, d);
  r.linear("p_lin", pc, d);  // the place side is not needed to embed users; checked all the same
  r.mlp("p_mlp", pc, hid, d);
  m.u_nbhd = r.table("u_nbhd", nn, d);
  m.u_home = r.table("u_home", nn, d);
  r.table("p_nbhd", nn, d);
  m.u_city = r.table("u_city", nc, d);
  r.table("p_city", nc, d);
  if (m.place_ids) {
    m.place_ctx = r.table("place_ctx", m.n_places, d);
    r.table("place_id", m.n_places, d);
  }
  if (sd > 0) {
    m.s_lin = r.linear("s_lin", uc, sd);
    m.s_mlp = r.mlp("s_mlp", uc, hid, sd);
    m.friend_ctx = r.table("friend_ctx", m.n_users, sd);
    m.s_nbhd = r.table("s_nbhd", nn, sd);
    m.s_city = r.table("s_city", nc, sd);
  }
  const auto attend_shape = r.shape("attend.0.weight");
  if (attend_shape.size() != 2)
    throw FormatError(fmt::format("{}: parameter \"attend.0.weight\" is not a matrix",
                                  (dir / kHeteroParamsIndex).string()));
  if (m.cross_cols > 0) {
    m.cross = matched_cross_entries(m.in.user_transform, m.in.place_transform);
    if (inputs.at("shape").value("cross_user_col", std::vector<int64_t>{}) != m.cross.user_col ||
        inputs.at("shape").value("cross_place_col", std::vector<int64_t>{}) != m.cross.place_col)
      throw mismatch(fmt::format("the feature cross entries differ from the ones the graph {} "
                                 "gives (graph mismatch)",
                                 g.dir().string()));
    m.u_cross = r.take("u_cross", {m.cross.size()});
  }
  if (m.location) {
    m.loc_nbhd = r.table("loc_nbhd", nn, nn);
    m.loc_home = r.table("loc_home", nn, nn);
  }
  if (m.place_bias) r.table("place_bias", m.n_places, 1);
  m.attend = r.mlp("attend", 2 * (m.place_part() + sd), attend_shape[0], 1);

  m.read_profile_mapping(g);
  return s;
}

int HeteroServing::dim() const {
  return static_cast<int>(impl_->place_part() + impl_->social_dim);
}

int HeteroServing::input_cols() const {
  return static_cast<int>(impl_->input_cols);
}

NewUserProfile HeteroServing::complete(const NewUserProfile& profile) const {
  const Impl& m = *impl_;
  m.check_neighbours(profile);
  NewUserProfile p;
  p.places = checked_unique(profile.places, m.n_places, "place");
  p.friends = checked_unique(profile.friends, m.n_users, "friend");
  p.neighborhoods = checked_unique(profile.neighborhoods, m.n_neighborhoods, "neighborhood");
  p.interest_categories = checked_unique(profile.interest_categories, m.n_categories, "category");
  p.home_neighborhood = profile.home_neighborhood >= 0 ? profile.home_neighborhood
                        : p.neighborhoods.empty()      ? -1
                                                       : p.neighborhoods.front();
  if (p.neighborhoods.empty() && p.home_neighborhood >= 0) p.neighborhoods = {p.home_neighborhood};
  p.home_city = profile.home_city >= 0 ? profile.home_city
                : p.home_neighborhood >= 0
                    ? m.neighborhood_city[static_cast<size_t>(p.home_neighborhood)]
                    : -1;
  return p;
}

std::vector<float> HeteroServing::input_row(const NewUserProfile& profile) const {
  return impl_->new_user_input(complete(profile));
}

std::vector<float> HeteroServing::embed_user(const NewUserProfile& profile) const {
  const NewUserProfile p = complete(profile);
  return impl_->forward(impl_->new_user_input(p), p);
}

std::vector<float> HeteroServing::embed_user(int32_t user, const NewUserProfile& neighbours) const {
  const Impl& m = *impl_;
  if (user < 0 || user >= m.n_users)
    throw InvalidArgument(
        fmt::format("hetero serving: user {} is out of range [0, {})", user, m.n_users));
  m.check_neighbours(neighbours);
  const float* row = m.in.user_x.data() + static_cast<int64_t>(user) * m.in.user_cols;
  return m.forward(m.input(row, neighbours.places), neighbours);
}

NewUserProfile HeteroServing::graph_profile(int32_t user) const {
  const Impl& m = *impl_;
  if (user < 0 || user >= m.n_users)
    throw InvalidArgument(
        fmt::format("hetero serving: user {} is out of range [0, {})", user, m.n_users));
  const auto list = [&](const NeighbourLists& l) {
    return std::vector<int32_t>(l.begin(user), l.begin(user) + l.degree(user));
  };
  NewUserProfile p;
  p.places = list(m.in.user_places);
  p.friends = list(m.in.user_friends);
  p.neighborhoods = list(m.in.user_neighborhoods);
  const int32_t c = m.in.user_city[static_cast<size_t>(user)];
  const int32_t h = m.in.user_home_neighborhood[static_cast<size_t>(user)];
  p.home_city = c < m.n_cities ? c : -1;
  p.home_neighborhood = h < m.n_neighborhoods ? h : -1;
  return p;
}

float HeteroServing::attendance_probability(const float* a, const float* b) const {
  const Impl& m = *impl_;
  const int64_t full = m.place_part() + m.social_dim;
  std::vector<float> x(static_cast<size_t>(2 * full));
  for (int64_t k = 0; k < full; ++k) {
    x[static_cast<size_t>(k)] = a[k] * b[k];
    x[static_cast<size_t>(full + k)] = std::abs(a[k] - b[k]);
  }
  float logit = 0.0f;
  m.attend.add(x.data(), &logit);
  return 1.0f / (1.0f + std::exp(-logit));
}

}  // namespace recsys::model
