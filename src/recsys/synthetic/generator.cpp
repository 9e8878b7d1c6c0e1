#include "recsys/synthetic/generator.h"

#include <algorithm>
#include <chrono>
#include <memory>

#include "recsys/core/progress.h"
#include "recsys/core/resource_usage.h"
#include "recsys/io/atomic_dir.h"
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

parquet::WriterOptions writer_options(const SyntheticConfig& config, const std::string& table,
                                      const std::string& config_toml) {
  parquet::WriterOptions options;
  options.codec = parquet::parse_codec(config.codec);
  options.row_group_bytes = 32LL << 20;
  options.key_value_metadata = {
      {kMetaSchemaVersion, std::to_string(SyntheticConfig::kSchemaVersion)},
      {kMetaTable, table},
      {kMetaConfig, config_toml}};
  return options;
}

struct Output {
  const SyntheticConfig& config;
  fs::path dir;
  std::string config_toml;
  GenerationReport& report;
  double last_cpu = process_cpu_seconds();

  // Writes one whole table and records the stage.
  void write_table(const std::string& stage, const std::string& file, const std::string& table,
                   const parquet::Schema& schema, const parquet::RecordBatch& batch,
                   double seconds) {
    Stopwatch watch;
    parquet::Writer writer(dir / file, schema, writer_options(config, table, config_toml));
    writer.write(batch);
    writer.close();
    record(stage, file, static_cast<int64_t>(batch.num_rows()), seconds + watch.seconds());
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

}  // namespace

GenerationReport generate_dataset(const SyntheticConfig& config, const fs::path& output_dir,
                                  bool force) {
  config.validate();
  Stopwatch total;
  AtomicDir out_dir(output_dir, force);
  GenerationReport report;
  report.output_dir = out_dir.target();
  Output out{config, out_dir.path(), config.to_toml(), report};

  // Geography, taxonomy and places.
  Stopwatch watch;
  const Geography geography = generate_geography(config);
  out.write_table("cities", "cities.parquet", "cities", cities_schema(), cities_batch(geography),
                  watch.seconds());
  watch = Stopwatch();
  out.write_table("neighborhoods", "neighborhoods.parquet", "neighborhoods", neighborhoods_schema(),
                  neighborhoods_batch(geography), 0.0);
  out.write_table("tags", "tags.parquet", "tags", tags_schema(), tags_batch(config), 0.0);
  watch = Stopwatch();
  PlaceTable places;
  {
    ProgressTask progress("places", config.n_places, "places");
    places = generate_places(config, geography);
    progress.advance(config.n_places);
  }
  out.write_table("places", "places.parquet", "places", places_schema(), places_batch(places),
                  watch.seconds());

  watch = Stopwatch();
  UserTable users;
  {
    ProgressTask progress("users", config.n_users, "users");
    users = generate_users(config, geography);
    progress.advance(config.n_users);
  }
  out.write_table("users", "users.parquet", "users", users_schema(), users_batch(users),
                  watch.seconds());

  // Interactions, streamed in blocks of users.
  watch = Stopwatch();
  const PreferenceModel model(config, geography, users, places);
  AttendanceIndex attendance(users.size());
  {
    const InteractionSampler sampler(config, model);
    parquet::Writer writer(out.dir / "interactions.parquet", interactions_schema(),
                           writer_options(config, "interactions", out.config_toml));
    ProgressTask progress("interactions", static_cast<int64_t>(users.size()), "users");
    for (size_t begin = 0; begin < users.size(); begin += kUserBlock) {
      const size_t end = std::min(users.size(), begin + kUserBlock);
      const InteractionRows rows = sampler.sample_users(begin, end);
      attendance.add(rows);
      writer.write(interactions_batch(rows));
      progress.advance(static_cast<int64_t>(end - begin));
    }
    writer.close();
    attendance.finalize();
    progress.finish();
    out.record("interactions", "interactions.parquet", writer.rows_written(), watch.seconds());
  }

  watch = Stopwatch();
  SocialEdgeTable edges;
  {
    ProgressTask progress("social edges", static_cast<int64_t>(users.size()), "users");
    edges = build_social_edges(config, users, attendance, [&](int64_t n) { progress.advance(n); });
  }
  out.write_table("social edges", "user_user_edges.parquet", "user_user_edges",
                  social_edges_schema(), social_edges_batch(edges), watch.seconds());

  watch = Stopwatch();
  FriendLabelTable labels;
  {
    ProgressTask progress("friend labels", static_cast<int64_t>(edges.size()), "edges");
    labels = build_friend_labels(config, users, edges, attendance);
    progress.advance(static_cast<int64_t>(edges.size()));
  }
  out.write_table("friend labels", "friend_labels.parquet", "friend_labels", friend_labels_schema(),
                  friend_labels_batch(labels), watch.seconds());

  // Ground truth: each user's top places over ALL places by the true score.
  watch = Stopwatch();
  {
    fs::create_directory(out.dir / "ground_truth");
    parquet::Writer writer(out.dir / "ground_truth" / "oracle_top_places.parquet",
                           oracle_top_places_schema(),
                           writer_options(config, "oracle_top_places", out.config_toml));
    ProgressTask progress("ground truth", static_cast<int64_t>(users.size()), "users");
    const size_t top_n = std::min<size_t>(kOracleTopN, places.size());
    const OracleRanker ranker(model);
    for (size_t begin = 0; begin < users.size(); begin += kUserBlock) {
      const size_t end = std::min(users.size(), begin + kUserBlock);
      const auto ranked = ranker.top_places(begin, end, top_n);
      parquet::RecordBatch batch;
      for (const auto& f : oracle_top_places_schema().fields) batch.names.push_back(f.name);
      batch.columns.resize(4);
      for (int c = 0; c < 4; ++c)
        batch.columns[static_cast<size_t>(c)].type =
            oracle_top_places_schema().fields[static_cast<size_t>(c)].type;
      for (size_t i = begin; i < end; ++i) {
        const auto& list = ranked[i - begin];
        for (size_t r = 0; r < list.size(); ++r) {
          batch.columns[0].i32.push_back(users.user_id[i]);
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
    out.record("ground truth", "ground_truth/oracle_top_places.parquet", writer.rows_written(),
               watch.seconds());
  }

  out_dir.commit();
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
