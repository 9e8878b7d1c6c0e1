#pragma once
// Tracks the ids of one kind (user, item, place, category) seen while parsing,
// so an importer can size its tables as 0..max id and refuse ids that are out
// of a declared range (data_size.txt) or so sparse that the tables would be
// mostly empty rows (a typo such as 2000000000 would otherwise allocate GBs).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace recsys::data {

class LineReader;

class IdRange {
 public:
  explicit IdRange(std::string what) : what_(std::move(what)) {}

  // Ids must be < limit; `declared_by` names where the limit comes from
  // (e.g. "data_size.txt: 1000 users").
  void declare(int64_t limit, std::string declared_by);
  // Records an id read at the reader's current line; throws FormatError there
  // when it is outside the declared range.
  void add(int32_t id, const LineReader& reader);

  // Number of ids in the table: the declared count, or max id + 1. Throws
  // FormatError naming the line of the largest id when ids are too sparse
  // (max id + 1 > 16 x distinct ids and > 1,000,000).
  int64_t count_checked();
  int64_t distinct();                      // distinct ids seen
  int32_t max_id() const { return max_; }  // -1 when none

 private:
  std::string what_;
  std::optional<int64_t> limit_;
  std::string declared_by_;
  int32_t max_ = -1;
  std::string max_where_;
  static constexpr int32_t kBitmapLimit = 1 << 26;  // ids below: a bitmap (at most 8 MB)
  std::vector<uint64_t> bitmap_;                    // ids < kBitmapLimit
  std::vector<int32_t> large_;                      // ids >= kBitmapLimit, sorted lazily
  bool sorted_ = true;
};

}  // namespace recsys::data
