#pragma once
// Reads a generated data set back: the config from the files' key-value
// metadata, and users / places into the in-memory tables, so that later stages
// (evaluation's oracle, validate) can rebuild the PreferenceModel from files.
#include <filesystem>

#include "recsys/synthetic/config.h"
#include "recsys/synthetic/places.h"
#include "recsys/synthetic/users.h"

namespace recsys::synthetic {

// The config a file was generated with; throws FormatError naming the file when
// the metadata is missing, of another schema version, or unreadable.
SyntheticConfig read_generation_config(const std::filesystem::path& parquet_file);

UserTable read_users(const std::filesystem::path& users_parquet, const SyntheticConfig& config);
PlaceTable read_places(const std::filesystem::path& places_parquet, const SyntheticConfig& config);

}  // namespace recsys::synthetic
