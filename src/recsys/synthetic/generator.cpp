#include "recsys/synthetic/generator.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <span>

#include "recsys/core/error.h"
#include "recsys/core/progress.h"
#include "recsys/core/resource_usage.h"
#include "recsys/io/atomic_dir.h"
#include "recsys/io/parquet/table_files.h"
#include "recsys/io/parquet/writer.h"
#include "recsys/synthetic/oracle.h"
#include "recsys/synthetic/preference_model.h"
#include "recsys/synthetic/table_batches.h"

namespace recsys::synthetic {

namespace fs = std::filesystem;

namespace {

constexpr size_t kUserBlock = 2048;  // users per interaction batch written

class Stopwatch {
 public:
  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

// Where a run writes: one data set (single files), or one shard (part files).
struct Layout {
  bool sharded = false;
  ShardSpec shard;

  // Relative path of a per-user table's file.
  std::string file(const std::string& table) const {
    return sharded ? table + "/" + parquet::part_file_name(shard.index) : table + ".parquet";
  }
  bool writes_shared_tables() const { return !sharded || shard.index == 0; }
};

parquet::WriterOptions writer_options(const SyntheticConfig& config, const Layout& layout,
                                      const std::string& table, const std::string& config_toml,
                                      bool per_user) {
  parquet::WriterOptions options;
  options.codec = parquet::parse_codec(config.codec);
  options.row_group_bytes = 32LL << 20;
  options.key_value_metadata = {
      {kMetaSchemaVersion, std::to_string(SyntheticConfig::kSchemaVersion)},
      {kMetaTable, table},
      {kMetaConfig, config_toml}};
  if (layout.sharded && per_user)
    options.key_value_metadata.emplace_back(
        kMetaShard, std::to_string(layout.shard.index) + "/" + std::to_string(layout.shard.count));
  return options;
}

struct Output {
  const SyntheticConfig& config;
  Layout layout;
  fs::path dir;
  std::string config_toml;
  GenerationReport& report;
  double last_cpu = process_cpu_seconds();

  // Writes one whole table and records the stage.
  void write_table(const std::string& stage, const std::string& file, const std::string& table,
                   const parquet::Schema& schema, const parquet::RecordBatch& batch, double seconds,
                   bool per_user = false) {
    Stopwatch watch;
    if (!fs::path(file).parent_path().empty())
      fs::create_directories(dir / fs::path(file).parent_path());
    parquet::Writer writer(dir / file, schema, options(table, per_user));
    writer.write(batch);
    writer.close();
    record(stage, file, static_cast<int64_t>(batch.num_rows()), seconds + watch.seconds());
  }

  parquet::WriterOptions options(const std::string& table, bool per_user) const {
    return writer_options(config, layout, table, config_toml, per_user);
  }

  void record(const std::string& stage, const std::string& file, int64_t rows, double seconds) {
    StageReport s;
    s.stage = stage;
    s.file = file;
    s.rows = rows;
    s.bytes = static_cast<int64_t>(fs::file_size(dir / file));
    s.seconds = seconds;
    const double cpu = process_cpu_seconds();
    s.cpu_seconds = cpu - last_cpu;
    last_cpu = cpu;
    s.peak_rss_bytes = peak_rss_bytes();
    report.stages.push_back(s);
  }
};

// Everything of one run into out.dir: the shared tables when the layout writes
// them, and the per-user tables of the layout's users.
void generate_into(Output& out) {
  const SyntheticConfig& config = out.config;
  const Layout& layout = out.layout;
  // Geography, taxonomy and places (every shard needs them; shard 0 writes them).
  Stopwatch watch;
  const Geography geography = generate_geography(config);
  if (layout.writes_shared_tables()) {
    out.write_table("cities", "cities.parquet", "cities", cities_schema(), cities_batch(geography),
                    watch.seconds());
    out.write_table("neighborhoods", "neighborhoods.parquet", "neighborhoods",
                    neighborhoods_schema(), neighborhoods_batch(geography), 0.0);
    out.write_table("tags", "tags.parquet", "tags", tags_schema(), tags_batch(config), 0.0);
  }
  watch = Stopwatch();
  PlaceTable places;
  {
    ProgressTask progress("places", config.n_places, "places");
    places = generate_places(config, geography);
    progress.advance(config.n_places);
  }
  if (layout.writes_shared_tables())
    out.write_table("places", "places.parquet", "places", places_schema(), places_batch(places),
                    watch.seconds());

  // Every user's profile: a shard needs them all to know which users are its own
  // and to score its users' negative friend pairs.
  watch = Stopwatch();
  UserTable users;
  {
    ProgressTask progress("users", config.n_users, "users");
    users = generate_users(config, geography);
    progress.advance(config.n_users);
  }
  if (layout.writes_shared_tables())
    out.write_table("users", "users.parquet", "users", users_schema(), users_batch(users),
                    watch.seconds());

  // This run's users: all, or those of the shard's cities.
  std::vector<size_t> rows;
  std::vector<uint8_t> own_city;  // empty: every city
  if (layout.sharded) {
    const auto city_shard = assign_cities_to_shards(users, config.n_cities, layout.shard.count);
    rows = shard_user_rows(users, city_shard, layout.shard.index);
    own_city.resize(city_shard.size());
    for (size_t c = 0; c < city_shard.size(); ++c)
      own_city[c] = city_shard[c] == layout.shard.index ? 1 : 0;
  } else {
    rows.resize(users.size());
    for (size_t u = 0; u < rows.size(); ++u) rows[u] = u;
  }
  const auto n_rows = static_cast<int64_t>(rows.size());

  // Interactions, streamed in blocks of users.
  watch = Stopwatch();
  const PreferenceModel model(config, geography, users, places);
  const InteractionSampler sampler(config, model);
  AttendanceIndex attendance(users.size());
  {
    const std::string file = layout.file("interactions");
    fs::create_directories((out.dir / file).parent_path());
    parquet::Writer writer(out.dir / file, interactions_schema(),
                           out.options("interactions", true));
    ProgressTask progress("interactions", n_rows, "users");
    for (size_t begin = 0; begin < rows.size(); begin += kUserBlock) {
      const size_t end = std::min(rows.size(), begin + kUserBlock);
      const InteractionRows block =
          sampler.sample_rows(std::span<const size_t>(rows).subspan(begin, end - begin));
      attendance.add(block);
      writer.write(interactions_batch(block));
      progress.advance(static_cast<int64_t>(end - begin));
    }
    writer.close();
    attendance.finalize();
    progress.finish();
    out.record("interactions", file, writer.rows_written(), watch.seconds());
  }

  watch = Stopwatch();
  SocialEdgeTable edges;
  {
    ProgressTask progress("social edges", n_rows, "users");
    edges = build_social_edges(
        config, users, attendance, [&](int64_t n) { progress.advance(n); }, own_city);
  }
  out.write_table("social edges", layout.file("user_user_edges"), "user_user_edges",
                  social_edges_schema(), social_edges_batch(edges), watch.seconds(), true);

  watch = Stopwatch();
  FriendLabelTable labels;
  {
    ProgressTask progress("friend labels", static_cast<int64_t>(edges.size()), "edges");
    const std::vector<FriendPair> pairs = draw_friend_pairs(config, users, edges);
    if (layout.sharded) {
      // Negative partners from other shards' cities: their attended places come
      // from their own interaction streams, replayed here (only the attended
      // places are kept).
      std::vector<uint8_t> own_user(users.size(), 0);
      for (const size_t u : rows) own_user[u] = 1;
      std::vector<size_t> others;
      for (const auto& p : pairs)
        for (const int32_t u : {p.a, p.b})
          if (!own_user[static_cast<size_t>(u)]) others.push_back(static_cast<size_t>(u));
      std::sort(others.begin(), others.end());
      others.erase(std::unique(others.begin(), others.end()), others.end());
      for (size_t begin = 0; begin < others.size(); begin += kUserBlock) {
        const size_t end = std::min(others.size(), begin + kUserBlock);
        attendance.add(
            sampler.sample_rows(std::span<const size_t>(others).subspan(begin, end - begin)));
      }
      if (!others.empty()) attendance.finalize();
      log_info("friend labels: replayed the interaction streams of " +
               std::to_string(others.size()) + " negative partners from other shards");
    }
    labels = label_friend_pairs(config, users, pairs, attendance);
    progress.advance(static_cast<int64_t>(edges.size()));
  }
  out.write_table("friend labels", layout.file("friend_labels"), "friend_labels",
                  friend_labels_schema(), friend_labels_batch(labels), watch.seconds(), true);

  // Ground truth: each user's top places over ALL places by the true score.
  watch = Stopwatch();
  {
    const std::string file = layout.file("ground_truth/oracle_top_places");
    fs::create_directories((out.dir / file).parent_path());
    parquet::Writer writer(out.dir / file, oracle_top_places_schema(),
                           out.options("oracle_top_places", true));
    ProgressTask progress("ground truth", n_rows, "users");
    const size_t top_n = std::min<size_t>(kOracleTopN, places.size());
    const OracleRanker ranker(model);
    std::vector<std::vector<RankedPlace>> ranked;
    for (size_t begin = 0; begin < rows.size(); begin += kUserBlock) {
      const size_t end = std::min(rows.size(), begin + kUserBlock);
      ranked.assign(end - begin, {});
#pragma omp parallel for schedule(dynamic, 16)
      for (size_t i = begin; i < end; ++i) ranked[i - begin] = ranker.top_places(rows[i], top_n);
      parquet::RecordBatch batch;
      for (const auto& f : oracle_top_places_schema().fields) batch.names.push_back(f.name);
      batch.columns.resize(4);
      for (int c = 0; c < 4; ++c)
        batch.columns[static_cast<size_t>(c)].type =
            oracle_top_places_schema().fields[static_cast<size_t>(c)].type;
      for (size_t i = begin; i < end; ++i) {
        const auto& list = ranked[i - begin];
        for (size_t r = 0; r < list.size(); ++r) {
          batch.columns[0].i32.push_back(users.user_id[rows[i]]);
          batch.columns[1].i32.push_back(static_cast<int32_t>(r));
          batch.columns[2].i32.push_back(list[r].place_id);
          batch.columns[3].f32.push_back(list[r].true_score);
        }
      }
      writer.write(batch);
      progress.advance(static_cast<int64_t>(end - begin));
    }
    writer.close();
    progress.finish();
    out.record("ground truth", file, writer.rows_written(), watch.seconds());
  }
}

// The files a shard writes (relative), for the existence check.
std::vector<std::string> shard_files(const Layout& layout) {
  std::vector<std::string> files;
  for (const char* t :
       {"interactions", "user_user_edges", "friend_labels", "ground_truth/oracle_top_places"})
    files.push_back(layout.file(t));
  if (layout.writes_shared_tables())
    for (const char* f : {"cities.parquet", "neighborhoods.parquet", "tags.parquet",
                          "places.parquet", "users.parquet"})
      files.emplace_back(f);
  return files;
}

}  // namespace

GenerationReport generate_dataset(const SyntheticConfig& config, const fs::path& output_dir,
                                  bool force) {
  config.validate();
  Stopwatch total;
  AtomicDir out_dir(output_dir, force);
  GenerationReport report;
  report.output_dir = out_dir.target();
  Output out{config, Layout{}, out_dir.path(), config.to_toml(), report};
  generate_into(out);
  out_dir.commit();
  report.total_seconds = total.seconds();
  return report;
}

GenerationReport generate_shard(const SyntheticConfig& config, const fs::path& output_dir,
                                const ShardSpec& shard, bool force) {
  config.validate();
  if (shard.count < 1 || shard.index < 0 || shard.index >= shard.count)
    throw ConfigError("--shard " + std::to_string(shard.index) + "/" + std::to_string(shard.count) +
                      ": expected 0 <= i < n");
  Stopwatch total;
  if (fs::exists(output_dir) && !fs::is_directory(output_dir))
    throw IoError(output_dir.string() + ": exists and is not a folder");
  const Layout layout{true, shard};
  for (const char* t : {"interactions", "user_user_edges", "friend_labels"}) {
    if (fs::exists(output_dir / (std::string(t) + ".parquet")))
      throw IoError((output_dir / (std::string(t) + ".parquet")).string() +
                    ": the folder holds a data set written without --shard; shards go into a "
                    "folder of their own");
  }
  if (!force) {
    for (const auto& f : shard_files(layout))
      if (fs::exists(output_dir / f))
        throw IoError((output_dir / f).string() +
                      ": exists (from an earlier run of this shard?); --force replaces it");
  }
  fs::create_directories(output_dir);
  GenerationReport report;
  report.output_dir = output_dir;
  Output out{config, layout, output_dir, config.to_toml(), report};
  generate_into(out);
  report.total_seconds = total.seconds();
  return report;
}

SyntheticDataset generate_in_memory(const SyntheticConfig& config) {
  config.validate();
  SyntheticDataset d;
  d.geography = generate_geography(config);
  d.places = generate_places(config, d.geography);
  d.users = generate_users(config, d.geography);
  const PreferenceModel model(config, d.geography, d.users, d.places);
  const InteractionSampler sampler(config, model);
  d.interactions = sampler.sample_users(0, d.users.size());
  AttendanceIndex attendance(d.users.size());
  attendance.add(d.interactions);
  attendance.finalize();
  d.social_edges = build_social_edges(config, d.users, attendance);
  d.friend_labels = build_friend_labels(config, d.users, d.social_edges, attendance);
  return d;
}

}  // namespace recsys::synthetic
