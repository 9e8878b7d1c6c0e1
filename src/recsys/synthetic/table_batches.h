#pragma once
// The Parquet schemas of the synthetic data set and the conversion of the
// in-memory tables to record batches. docs/data-contract.md documents every column.
#include <cstddef>

#include "recsys/io/parquet/table.h"
#include "recsys/synthetic/config.h"
#include "recsys/synthetic/friend_labels.h"
#include "recsys/synthetic/geography.h"
#include "recsys/synthetic/interactions.h"
#include "recsys/synthetic/places.h"
#include "recsys/synthetic/social_edges.h"
#include "recsys/synthetic/users.h"

namespace recsys::synthetic {

parquet::Schema cities_schema();
parquet::Schema neighborhoods_schema();
parquet::Schema tags_schema();
parquet::Schema places_schema();
parquet::Schema users_schema();
parquet::Schema interactions_schema();
parquet::Schema social_edges_schema();
parquet::Schema friend_labels_schema();
parquet::Schema oracle_top_places_schema();

parquet::RecordBatch cities_batch(const Geography& geography);
parquet::RecordBatch neighborhoods_batch(const Geography& geography);
parquet::RecordBatch tags_batch(const SyntheticConfig& config);
parquet::RecordBatch places_batch(const PlaceTable& places);
parquet::RecordBatch users_batch(const UserTable& users);
parquet::RecordBatch interactions_batch(const InteractionRows& rows);
parquet::RecordBatch social_edges_batch(const SocialEdgeTable& edges);
parquet::RecordBatch friend_labels_batch(const FriendLabelTable& labels);

}  // namespace recsys::synthetic
