#pragma once
// The (user, place) pairs of an LBSN folder's split files (train / tune / test),
// grouped by user (CSR) and sorted by place: a check-in's lookup touches one
// user's short list instead of a hash node per pair.
#include <cstdint>
#include <filesystem>
#include <utility>
#include <vector>

namespace recsys::data {

class SplitPairIndex {
 public:
  struct Entry {
    int32_t place;
    uint8_t split;     // index of the split file
    int64_t line;      // line in that file
    int64_t checkins;  // check-ins counted against the pair (find() callers increment it)
  };

  void add(int32_t user, int32_t place, uint8_t split, int64_t line);
  // Groups the pairs by user. Throws FormatError "file:line: ..." for a pair listed
  // twice (the repeat that comes first in split-file order is reported);
  // `split_files` names the files by their index.
  void build(const std::vector<std::filesystem::path>& split_files);

  // After build(): the pair's entry, or nullptr.
  Entry* find(int32_t user, int32_t place);
  int64_t size() const { return static_cast<int64_t>(entries_.size()); }
  // The pair without check-ins that comes first in split-file order: (user, entry),
  // entry == nullptr when every pair has one.
  std::pair<int32_t, const Entry*> first_without_checkins() const;

 private:
  std::vector<int32_t> users_;  // while adding
  std::vector<Entry> entries_;
  std::vector<int64_t> offsets_;  // per user, after build()
};

}  // namespace recsys::data
