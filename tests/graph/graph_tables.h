#pragma once
// Small hand-made input tables for the graph tests, written with the project's
// Parquet writer into a fresh temporary folder.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "../common/cli_run.h"
#include "recsys/io/parquet/table.h"
#include "recsys/io/parquet/writer.h"

namespace recsys::graph::testing {

namespace fs = std::filesystem;

struct Event {
  int32_t user;
  int32_t place;
  int64_t ts;  // microseconds
  float rating = 1.0f;
  bool liked = false;
  bool attended = false;
  std::string split = "train";
};

struct Tables {
  std::vector<int32_t> users;                    // empty: no users.parquet
  std::vector<int32_t> places;                   // empty: no places.parquet
  std::vector<int32_t> place_neighborhood;       // per place, when not empty
  std::vector<std::vector<int32_t>> place_tags;  // per place, when not empty
  std::vector<Event> events;
  bool with_timestamp = true;
  bool with_rating = true;
  bool with_flags = true;
  bool with_split = false;
  std::vector<std::pair<int32_t, int32_t>> friends;  // empty: no user_user_edges.parquet
};

inline parquet::Column int32_column(std::vector<int32_t> v) {
  parquet::Column c;
  c.type = parquet::ColumnType::Int32;
  c.i32 = std::move(v);
  return c;
}

inline void write_table(const fs::path& path, const std::vector<parquet::Field>& fields,
                        std::vector<parquet::Column> columns) {
  parquet::Schema schema{fields};
  parquet::RecordBatch batch;
  for (const auto& f : fields) batch.names.push_back(f.name);
  batch.columns = std::move(columns);
  parquet::Writer w(path, schema);
  w.write(batch);
  w.close();
}

// Everything the graph tests write lives in fresh_dir()s of the process's scratch folder,
// removed when the test program exits.
using recsys::testing::fresh_dir;

inline void write_tables(const fs::path& dir, const Tables& t) {
  using parquet::ColumnType;
  fs::create_directories(dir);
  std::vector<parquet::Field> fields = {{"user_id", ColumnType::Int32, false},
                                        {"place_id", ColumnType::Int32, false}};
  std::vector<parquet::Column> cols(2);
  cols[0].type = cols[1].type = ColumnType::Int32;
  parquet::Column ts, rating, liked, attended, split;
  ts.type = ColumnType::TimestampMicros;
  rating.type = ColumnType::Float;
  liked.type = attended.type = ColumnType::Bool;
  split.type = ColumnType::String;
  for (const auto& e : t.events) {
    cols[0].i32.push_back(e.user);
    cols[1].i32.push_back(e.place);
    ts.i64.push_back(e.ts);
    rating.f32.push_back(e.rating);
    liked.b8.push_back(e.liked);
    attended.b8.push_back(e.attended);
    split.str.push_back(e.split);
  }
  if (t.with_timestamp)
    fields.push_back({"timestamp", ColumnType::TimestampMicros, false}), cols.push_back(ts);
  if (t.with_rating)
    fields.push_back({"implicit_rating", ColumnType::Float, false}), cols.push_back(rating);
  if (t.with_flags) {
    fields.push_back({"liked", ColumnType::Bool, false}), cols.push_back(liked);
    fields.push_back({"attended", ColumnType::Bool, false}), cols.push_back(attended);
  }
  if (t.with_split) fields.push_back({"split", ColumnType::String, false}), cols.push_back(split);
  write_table(dir / "interactions.parquet", fields, std::move(cols));

  if (!t.users.empty())
    write_table(dir / "users.parquet", {{"user_id", ColumnType::Int32, false}},
                {int32_column(t.users)});
  if (!t.places.empty()) {
    std::vector<parquet::Field> pf = {{"place_id", ColumnType::Int32, false}};
    std::vector<parquet::Column> pc = {int32_column(t.places)};
    if (!t.place_neighborhood.empty())
      pf.push_back({"neighborhood_id", ColumnType::Int32, false}),
          pc.push_back(int32_column(t.place_neighborhood));
    if (!t.place_tags.empty()) {
      parquet::Column tags;
      tags.type = ColumnType::ListInt32;
      tags.offsets.push_back(0);
      for (const auto& l : t.place_tags) {
        tags.i32.insert(tags.i32.end(), l.begin(), l.end());
        tags.offsets.push_back(static_cast<int64_t>(tags.i32.size()));
      }
      pf.push_back({"tag_ids", ColumnType::ListInt32, false}), pc.push_back(tags);
    }
    write_table(dir / "places.parquet", pf, std::move(pc));
  }
  if (!t.friends.empty()) {
    std::vector<int32_t> a, b;
    for (auto [x, y] : t.friends) a.push_back(x), b.push_back(y);
    write_table(dir / "user_user_edges.parquet",
                {{"user_a", ColumnType::Int32, false}, {"user_b", ColumnType::Int32, false}},
                {int32_column(a), int32_column(b)});
  }
}

}  // namespace recsys::graph::testing
