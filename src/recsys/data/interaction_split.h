#pragma once
// The values of the `split` column of interactions.parquet written by the importers.
#include <string>

namespace recsys::data {

inline constexpr const char* kSplitTrain = "train";
inline constexpr const char* kSplitValid = "valid";
inline constexpr const char* kSplitTest = "test";

// True for "train", "valid" and "test".
inline bool is_split_name(const std::string& s) {
  return s == kSplitTrain || s == kSplitValid || s == kSplitTest;
}

}  // namespace recsys::data
