#include "recsys/data/id_range.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>

#include "recsys/core/error.h"
#include "recsys/data/line_reader.h"

namespace recsys::data {

void IdRange::declare(int64_t limit, std::string declared_by) {
  limit_ = limit;
  declared_by_ = std::move(declared_by);
}

void IdRange::add(int32_t id, const LineReader& reader) {
  if (limit_ && id >= *limit_)
    reader.fail(fmt::format("{} {} is out of the declared range 0..{} ({})", what_, id, *limit_ - 1,
                            declared_by_));
  if (id > max_) {
    max_ = id;
    max_where_ = reader.where();
  }
  if (id < kBitmapLimit) {
    const size_t word = static_cast<size_t>(id) >> 6;
    if (word >= bitmap_.size()) bitmap_.resize(std::max(word + 1, bitmap_.size() * 2), 0);
    bitmap_[word] |= uint64_t{1} << (id & 63);
  } else {
    large_.push_back(id);
    sorted_ = false;
  }
}

int64_t IdRange::distinct() {
  if (!sorted_) {
    std::sort(large_.begin(), large_.end());
    large_.erase(std::unique(large_.begin(), large_.end()), large_.end());
    sorted_ = true;
  }
  int64_t n = static_cast<int64_t>(large_.size());
  for (uint64_t w : bitmap_) n += std::popcount(w);
  return n;
}

int64_t IdRange::count_checked() {
  if (limit_) return *limit_;
  const int64_t count = static_cast<int64_t>(max_) + 1;
  const int64_t d = distinct();
  if (count > 1000000 && count > 16 * d)
    throw FormatError(fmt::format(
        "{}: {} {} is implausibly large: only {} distinct {}s were read, and ids are expected to "
        "be dense from 0",
        max_where_, what_, max_, d, what_));
  return count;
}

}  // namespace recsys::data
