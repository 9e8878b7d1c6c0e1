#pragma once
// Dense per-node feature matrices (float32, row-major), built from the profile
// columns that exist and from the TRAINING interactions only (popularity,
// degrees, engagement shares), so held-out pairs never leak into features.
// Each matrix is a list of named column blocks; every column is standardised
// (x - mean) / std with the statistics kept for serving (a missing value
// becomes the column mean, i.e. 0 after standardising; a constant column
// gets std 1).
#include <cstdint>
#include <string>
#include <vector>

#include "recsys/graph/csr.h"
#include "recsys/graph/input_tables.h"
#include "recsys/graph/interaction_split.h"

namespace recsys::graph {

struct FeatureBlock {
  std::string name;
  int32_t offset = 0;
  int32_t width = 0;
};

struct FeatureMatrix {
  int64_t rows = 0;
  int32_t cols = 0;
  std::vector<float> values;     // rows x cols, standardised
  std::vector<float> mean, std;  // per column, of the raw values
  std::vector<FeatureBlock> blocks;
};

// User features: category_pref, tag_pref, vibe (multi-hot), behaviour columns (sessions as
// log1p), home_lat/home_lon, and from training: log1p pairs / events, shares of liked / saved /
// attended pairs, mean max rating, log1p social degree.
FeatureMatrix user_features(const InputTables& in, const InteractionSet& train,
                            const Csr& social_train);

// Place features: category multi-hot, tag_vector (or tag multi-hot), price_band, time-slot
// one-hot, lat/lon, and from training: log1p popularity (distinct users), log1p events, shares
// of liked / saved / attended pairs.
FeatureMatrix place_features(const InputTables& in, const InteractionSet& train);

}  // namespace recsys::graph
