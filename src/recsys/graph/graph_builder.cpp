#include "recsys/graph/graph_builder.h"

#include <fmt/format.h>

#include <chrono>
#include <fstream>
#include <iterator>

#include "recsys/core/error.h"
#include "recsys/core/progress.h"
#include "recsys/graph/artifact_writer.h"
#include "recsys/graph/checksum.h"
#include "recsys/graph/event_input.h"
#include "recsys/graph/csr.h"
#include "recsys/graph/input_tables.h"
#include "recsys/graph/interaction_split.h"
#include "recsys/graph/node_features.h"
#include "recsys/graph/social_split.h"
#include "recsys/io/atomic_dir.h"
#include "recsys/io/parquet/table_files.h"

namespace recsys::graph {

namespace {
namespace fs = std::filesystem;
using nlohmann::json;

class RelationWriter {
 public:
  explicit RelationWriter(ArtifactWriter& w) : w_(w) {}

  void forward(const std::string& name, const std::string& source, const std::string& target,
               const Csr& csr, const std::string& description) {
    w_.add(name + ".offsets", csr.offsets);
    w_.add(name + ".indices", csr.indices);
    relations_[name] = {{"source", source},
                        {"target", target},
                        {"edges", csr.n_entries()},
                        {"description", description},
                        {"attributes", json::array()}};
  }
  template <typename T>
  void attribute(const std::string& name, const std::string& attr, const std::vector<T>& values) {
    w_.add(name + "." + attr, values);
    relations_[name]["attributes"].push_back(attr);
  }
  void reverse(const std::string& name, const std::string& of, const TransposedCsr& t) {
    const auto& f = relations_.at(of);
    forward(name, f.at("target").get<std::string>(), f.at("source").get<std::string>(), t.csr,
            "reverse of " + of + "; forward_position = entry of " + of);
    w_.add(name + ".forward_position", t.forward_position);
    relations_[name]["reverse_of"] = of;
  }
  // A relation from a per-row id list, with its reverse.
  void from_lists(const std::string& name, const std::string& rev, const std::string& source,
                  const std::string& target, const std::vector<int32_t>& rows,
                  const std::vector<int32_t>& cols, int64_t n_rows, int64_t n_cols,
                  const std::string& description, const std::vector<float>* weight = nullptr) {
    std::vector<int64_t> order;
    Csr csr = csr_from_pairs(rows, cols, n_rows, n_cols, &order);
    forward(name, source, target, csr, description);
    if (weight) {
      std::vector<float> w(order.size());
      for (size_t k = 0; k < order.size(); ++k) w[k] = (*weight)[static_cast<size_t>(order[k])];
      attribute(name, "weight", w);
    }
    reverse(rev, name, transpose(csr, n_cols));
  }
  json& relations() { return relations_; }

 private:
  ArtifactWriter& w_;
  json relations_ = json::object();
};

// The pairs are sorted by (user, place): the CSR is their user counts and place column.
Csr interaction_csr(const InteractionSet& s, int64_t n_users) {
  Csr csr;
  csr.offsets.assign(static_cast<size_t>(n_users) + 1, 0);
  for (int32_t u : s.user) ++csr.offsets[static_cast<size_t>(u) + 1];
  for (size_t u = 0; u < static_cast<size_t>(n_users); ++u) csr.offsets[u + 1] += csr.offsets[u];
  csr.indices = s.place;
  return csr;
}

void write_interactions(RelationWriter& rel, const std::string& name, const InteractionSet& s,
                        int64_t n_users, const std::string& description) {
  const Csr csr = interaction_csr(s, n_users);
  rel.forward(name, "user", "place", csr, description);
  rel.attribute(name, "count", s.count);
  rel.attribute(name, "max_rating", s.max_rating);
  rel.attribute(name, "flags", s.flags);
  rel.attribute(name, "first_timestamp", s.first_timestamp);
  rel.attribute(name, "last_timestamp", s.last_timestamp);
  rel.attribute(name, "weight", s.weight);
}

void write_features(ArtifactWriter& w, json& features, const std::string& node,
                    const FeatureMatrix& m) {
  w.add(node + ".features", m.values, {m.rows, m.cols});
  w.add(node + ".features_mean", m.mean);
  w.add(node + ".features_std", m.std);
  json blocks = json::array();
  for (const auto& b : m.blocks)
    blocks.push_back({{"name", b.name}, {"offset", b.offset}, {"width", b.width}});
  features[node] = {{"rows", m.rows}, {"columns", m.cols}, {"blocks", blocks}};
}

std::string read_file_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) throw IoError(fmt::format("{}: cannot read", p.string()));
  return bytes;
}

json input_files(const fs::path& dir) {
  json files = json::object();
  for (const char* name :
       {"interactions.parquet", "users.parquet", "places.parquet", "user_user_edges.parquet",
        "friend_labels.parquet", "tags.parquet", "cities.parquet", "neighborhoods.parquet"}) {
    // One entry per file: the table's file, or each of its part files.
    for (const fs::path& p : parquet::table_files(dir, fs::path(name).stem().string())) {
      const std::string bytes = read_file_bytes(p);
      files[fs::relative(p, dir).generic_string()] = {
          {"bytes", bytes.size()},
          {"checksum", checksum_hex(checksum64(bytes.data(), bytes.size()))}};
    }
  }
  return files;
}

json config_json(const GraphBuildConfig& c, const InteractionSplit& split) {
  json j = {{"data_dir", fs::absolute(c.data_dir).string()},
            {"split", to_string(c.split)},
            {"split_resolved", to_string(split.mode)},
            {"val_fraction", c.val_fraction},
            {"test_fraction", c.test_fraction},
            {"cold_start_fraction", split.cold_start_fraction},
            {"valid_in_train", split.valid_in_train},
            {"social_val_fraction", c.social_val_fraction},
            {"social_test_fraction", c.social_test_fraction},
            {"seed", c.seed}};
  j["cutoff_us"] = c.cutoff_us ? json(*c.cutoff_us) : json(nullptr);
  return j;
}
}  // namespace

GraphBuildSummary build_graph(const GraphBuildConfig& config) {
  config.validate();
  const auto start = std::chrono::steady_clock::now();
  AtomicDir out(config.output_dir, config.force);  // fails early when the target exists

  log_info(fmt::format("build-graph: reading tables from {}", config.data_dir.string()));
  InputTables in = read_input_tables(config.data_dir);
  json event_inputs = json::object();
  for (const fs::path& file : config.event_logs) {
    const EventMerge merge = append_events(in, data::read_event_log(file));
    const std::string bytes = read_file_bytes(file);
    event_inputs[fs::absolute(file).string()] = {
        {"bytes", bytes.size()},
        {"checksum", checksum_hex(checksum64(bytes.data(), bytes.size()))},
        {"appended", merge.appended},
        {"skipped_unknown_user", merge.unknown_user},
        {"skipped_unknown_place", merge.unknown_place}};
    log_info(fmt::format("build-graph: {} events from {} ({} of unknown users, {} of unknown places skipped)",
                         merge.appended, file.string(), merge.unknown_user, merge.unknown_place));
  }
  const auto n_users = static_cast<int64_t>(in.user_ids.size());
  const auto n_places = static_cast<int64_t>(in.place_ids.size());
  if (n_users == 0 || n_places == 0 || in.events.size() == 0)
    throw FormatError(fmt::format("{}: no interactions (users {}, places {})",
                                  (config.data_dir / "interactions.parquet").string(), n_users,
                                  n_places));

  log_info(fmt::format("build-graph: splitting {} interactions", in.events.size()));
  const InteractionSplit split = split_interactions(
      in.events, n_users, config, (config.data_dir / "interactions.parquet").string());
  SocialSplit social;
  if (in.has_social_edges)
    social = split_social_edges(in.social_edges, n_users, config);
  else
    social.train.offsets.assign(static_cast<size_t>(n_users) + 1, 0), social.valid = social.train,
                                                                      social.test = social.train;

  ArtifactWriter w(out.path());
  RelationWriter rel(w);
  json& m = w.manifest();
  m["format"] = kGraphFormatName;
  m["format_version"] = kGraphFormatVersion;
  m["created_by"] = "recsys 0.1.0 build-graph";
  m["config"] = config_json(config, split);
  m["inputs"] = {
      {"files", input_files(config.data_dir)},
      {"events", event_inputs},
      {"columns_present", json(std::vector<std::string>(in.present.begin(), in.present.end()))}};

  // Nodes.
  json nodes = {{"user", n_users}, {"place", n_places}};
  if (in.n_tags > 0) nodes["tag"] = in.n_tags;
  if (in.n_categories > 0) nodes["category"] = in.n_categories;
  if (in.n_neighborhoods > 0) nodes["neighborhood"] = in.n_neighborhoods;
  if (in.n_cities > 0) nodes["city"] = in.n_cities;
  if (in.n_vibes > 0) nodes["vibe"] = in.n_vibes;
  m["nodes"] = nodes;
  w.add("user.ids", in.user_ids);
  w.add("place.ids", in.place_ids);
  w.add("user.cold_start", split.cold_start);
  w.add("user.home_city", in.users.home_city);
  w.add("user.home_neighborhood", in.users.home_neighborhood);
  w.add("place.city", in.places.city);
  w.add("place.neighborhood", in.places.neighborhood);
  w.add("place.price_band", in.places.price_band);
  w.add("place.time_slot", in.places.time_slot);
  w.add("place.lat", in.places.lat);
  w.add("place.lon", in.places.lon);

  // Interactions.
  log_info("build-graph: relations");
  write_interactions(rel, "user_place.train", split.train, n_users,
                     split.valid_in_train ? "message-passing interactions (train + valid pairs)"
                                          : "message-passing interactions (train pairs)");
  rel.reverse("place_user.train", "user_place.train",
              transpose(interaction_csr(split.train, n_users), n_places));
  write_interactions(rel, "user_place.valid", split.valid, n_users,
                     "held-out validation pairs (early stopping)");
  write_interactions(rel, "user_place.test", split.test, n_users,
                     "held-out test pairs (evaluation; cold-start users' pairs included)");

  // Social.
  if (in.has_social_edges) {
    rel.forward("user_user.train", "user", "user", social.train,
                "friendships in message passing (symmetric)");
    rel.forward("user_user.valid", "user", "user", social.valid,
                "held-out friendships (symmetric)");
    rel.forward("user_user.test", "user", "user", social.test, "held-out friendships (symmetric)");
  }
  json friend_labels = nullptr;
  if (in.has_friend_labels) {
    const auto label_split = split_friend_labels(in.friend_labels, config);
    w.add("friend_labels.user_a", in.friend_labels.a);
    w.add("friend_labels.user_b", in.friend_labels.b);
    w.add("friend_labels.label", in.friend_labels.label);
    w.add("friend_labels.attend_probability", in.friend_labels.attend_probability);
    w.add("friend_labels.split", label_split);
    int64_t counts[3] = {0, 0, 0};
    for (int8_t s : label_split) ++counts[s];
    friend_labels = {{"train", counts[0]}, {"valid", counts[1]}, {"test", counts[2]}};
  }

  // Place-side relations.
  const auto& p = in.places;
  if (p.tags.present() || p.tag_vector.present()) {
    std::vector<int32_t> rows, cols;
    std::vector<float> weight;
    for (int64_t r = 0; r < n_places; ++r) {
      const auto ru = static_cast<size_t>(r);
      if (p.tags.present()) {
        for (int64_t k = p.tags.offsets[ru]; k < p.tags.offsets[ru + 1]; ++k) {
          const int32_t t = p.tags.ids[static_cast<size_t>(k)];
          rows.push_back(static_cast<int32_t>(r)), cols.push_back(t);
          const bool dense = p.tag_vector.present() &&
                             p.tag_vector.offsets[ru + 1] - p.tag_vector.offsets[ru] == in.n_tags;
          weight.push_back(
              dense ? p.tag_vector.values[static_cast<size_t>(p.tag_vector.offsets[ru] + t)]
                    : 1.0f);
        }
      } else {
        for (int64_t k = p.tag_vector.offsets[ru]; k < p.tag_vector.offsets[ru + 1]; ++k) {
          const float v = p.tag_vector.values[static_cast<size_t>(k)];
          if (v <= 0) continue;
          rows.push_back(static_cast<int32_t>(r));
          cols.push_back(static_cast<int32_t>(k - p.tag_vector.offsets[ru]));
          weight.push_back(v);
        }
      }
    }
    rel.from_lists("place_tag", "tag_place", "place", "tag", rows, cols, n_places, in.n_tags,
                   "fine tags of a place; weight = tag_vector value (1 without it)", &weight);
  }
  if (p.categories.present()) {
    std::vector<int32_t> rows, cols;
    for (int64_t r = 0; r < n_places; ++r)
      for (int64_t k = p.categories.offsets[static_cast<size_t>(r)];
           k < p.categories.offsets[static_cast<size_t>(r) + 1]; ++k)
        rows.push_back(static_cast<int32_t>(r)),
            cols.push_back(p.categories.ids[static_cast<size_t>(k)]);
    rel.from_lists("place_category", "category_place", "place", "category", rows, cols, n_places,
                   in.n_categories, "coarse categories of a place");
  }
  if (in.has("places.parquet:neighborhood_id")) {
    std::vector<int32_t> rows, cols;
    for (int64_t r = 0; r < n_places; ++r)
      if (p.neighborhood[static_cast<size_t>(r)] >= 0)
        rows.push_back(static_cast<int32_t>(r)),
            cols.push_back(p.neighborhood[static_cast<size_t>(r)]);
    rel.from_lists("place_neighborhood", "neighborhood_place", "place", "neighborhood", rows, cols,
                   n_places, in.n_neighborhoods, "the neighborhood a place is in");
  }
  const auto& u = in.users;
  if (u.frequent_neighborhoods.present() || in.has("users.parquet:home_neighborhood_id")) {
    std::vector<int32_t> rows, cols;
    for (int64_t r = 0; r < n_users; ++r) {
      const auto ru = static_cast<size_t>(r);
      if (u.frequent_neighborhoods.present()) {
        for (int64_t k = u.frequent_neighborhoods.offsets[ru];
             k < u.frequent_neighborhoods.offsets[ru + 1]; ++k)
          rows.push_back(static_cast<int32_t>(r)),
              cols.push_back(u.frequent_neighborhoods.ids[static_cast<size_t>(k)]);
      } else if (u.home_neighborhood[ru] >= 0) {
        rows.push_back(static_cast<int32_t>(r)), cols.push_back(u.home_neighborhood[ru]);
      }
    }
    rel.from_lists("user_neighborhood", "neighborhood_user", "user", "neighborhood", rows, cols,
                   n_users, in.n_neighborhoods,
                   u.frequent_neighborhoods.present() ? "frequent neighborhoods of a user (profile)"
                                                      : "home neighborhood of a user (profile)");
  }
  m["relations"] = rel.relations();

  // Features (training interactions and training friendships only).
  log_info("build-graph: node features");
  json features = json::object();
  write_features(w, features, "user", user_features(in, split.train, social.train));
  write_features(w, features, "place", place_features(in, split.train));
  m["features"] = features;

  // Counts and splits.
  int64_t cold = 0;
  for (uint8_t c : split.cold_start) cold += c;
  int64_t users_with_test = 0;
  {
    std::vector<uint8_t> seen(static_cast<size_t>(n_users), 0);
    for (int32_t x : split.test.user) seen[static_cast<size_t>(x)] = 1;
    for (uint8_t s : seen) users_with_test += s;
  }
  m["counts"] = {{"interaction_events", in.events.size()},
                 {"dropped_events", split.dropped_events},
                 {"cold_start_users", cold},
                 {"users_with_test_pairs", users_with_test},
                 {"social_self_loops_dropped", social.self_loops_dropped},
                 {"social_duplicates_dropped", social.duplicates_dropped}};
  json splits = {
      {"mode", to_string(split.mode)},
      {"interaction_pairs",
       {{"train", split.train.size()}, {"valid", split.valid.size()}, {"test", split.test.size()}}},
      {"valid_in_train", split.valid_in_train},
      {"cold_start_fraction", split.cold_start_fraction}};
  if (in.has_social_edges)
    splits["social_pairs"] = {
        {"train", social.train_pairs}, {"valid", social.valid_pairs}, {"test", social.test_pairs}};
  if (!friend_labels.is_null()) splits["friend_labels"] = friend_labels;
  m["splits"] = splits;
  json absent = json::array();
  for (const std::string key : {"interactions.parquet:timestamp",
                                "interactions.parquet:implicit_rating",
                                "interactions.parquet:liked",
                                "interactions.parquet:saved",
                                "interactions.parquet:attended",
                                "users.parquet",
                                "users.parquet:category_pref",
                                "users.parquet:tag_pref",
                                "users.parquet:vibe_ids",
                                "users.parquet:home_city_id",
                                "places.parquet",
                                "places.parquet:category_ids",
                                "places.parquet:tag_ids",
                                "places.parquet:tag_vector",
                                "places.parquet:price_band",
                                "places.parquet:typical_time_slot",
                                "places.parquet:lat",
                                "places.parquet:city_id",
                                "places.parquet:neighborhood_id",
                                "user_user_edges.parquet",
                                "friend_labels.parquet"})
    if (!in.has(key)) absent.push_back(key);
  m["absent_inputs"] = absent;

  w.finish();
  out.commit();
  GraphBuildSummary summary;
  summary.manifest = m;
  summary.bytes = w.bytes_written();
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

}  // namespace recsys::graph
