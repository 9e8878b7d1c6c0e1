#pragma once
// What the `hetero` model reads from a graph artifact, as plain arrays (no LibTorch here): the
// node feature rows it feeds its encoders, the categorical ids it embeds (city, neighborhood) and
// the neighbour lists it aggregates (a user's training places, training friends and frequent
// neighborhoods). Only what the graph exposes to models: node features, training relations.
//
// Dense node inputs: the graph's standardised feature columns, plus, for every block of width
// >= 2 whose raw values are all >= 0 (multi-hots, preference / tag distributions), copies of the
// block's raw values normalised per row: to unit L2 norm (cosines between such blocks become dot
// products) on both sides; users also get the block divided by its row maximum (a preference
// relative to the strongest one), places the block divided by its row sum (a mean over the
// place's members: categories, tags), so that "mean over the place's categories of the user's
// preference relative to its favourite" is a bilinear form of the two inputs.
// A user's dense input appends the mean dense input of the places in its bag (GraphSAGE mean
// aggregation over user -> place; a linear first layer makes it the mean of the places' encoded
// rows).
#include <cstdint>
#include <nlohmann/json.hpp>
#include <random>
#include <vector>

#include "recsys/graph/graph_artifact.h"

namespace recsys::model {

struct NeighbourLists {
  std::vector<int64_t> offsets{0};
  std::vector<int32_t> indices;
  int64_t rows() const { return static_cast<int64_t>(offsets.size()) - 1; }
  int64_t degree(int64_t r) const {
    return offsets[static_cast<size_t>(r) + 1] - offsets[static_cast<size_t>(r)];
  }
  const int32_t* begin(int64_t r) const { return indices.data() + offsets[static_cast<size_t>(r)]; }
  static NeighbourLists from_csr(const graph::CsrView& csr);
};

// The dense input of one node from its standardised feature row: the row, then per normalised
// block the block's raw values (row * std + mean, clamped at 0) scaled to unit L2 norm, unit sum
// or unit maximum (Norm).
struct FeatureTransform {
  enum class Norm { kL2, kSum, kMax };
  struct Block {
    int64_t offset = 0, width = 0;
    Norm norm = Norm::kL2;
  };
  int64_t cols = 0;               // standardised columns
  std::vector<float> mean, std;   // per standardised column
  std::vector<Block> unit;        // blocks that get a normalised copy, in output order
  int64_t out_cols() const;
  // out: out_cols() floats.
  void apply(const float* standardised, float* out) const;
};

struct HeteroInputs {
  int64_t n_users = 0, n_places = 0;
  int32_t user_cols = 0, place_cols = 0;  // dense node inputs (before aggregation)
  std::vector<float> user_x, place_x;     // row-major
  FeatureTransform user_transform, place_transform;  // graph feature row -> user_x / place_x row
  // Cities / neighborhoods: ids in [0, n); n itself stands for "unknown". 0 when absent.
  int32_t n_cities = 0, n_neighborhoods = 0;
  std::vector<int32_t> user_city, user_home_neighborhood, place_city, place_neighborhood;
  NeighbourLists user_neighborhoods;  // frequent neighborhoods (else home), may be empty rows
  NeighbourLists user_places;         // training places (message passing)
  NeighbourLists user_friends;        // training friendships (symmetric)
  std::vector<int32_t> place_degree;  // training users per place
  std::vector<std::vector<int32_t>> city_places, city_users;  // by city id (not "unknown")
  nlohmann::json description;  // feature blocks used, for the model folder

  // Columns of a user's dense input: own features then the mean over its place bag.
  int32_t user_input_cols() const { return user_cols + place_cols; }
};

// The feature cross of `hetero` (hetero_network.h) pairs a user block with a place block of the
// same width (the same vocabulary: categories, tags -- chosen by width, not by name) column by
// column: entry e multiplies user input column user_col[e] with place cross column place_col[e]
// (0-based within the place's normalised copies, i.e. place_x column place_transform.cols +
// place_col) by a learned weight. Every normalised user copy x every normalised place copy of
// each width-matched pair of blocks.
struct CrossEntries {
  std::vector<int64_t> user_col, place_col;
  int64_t size() const { return static_cast<int64_t>(user_col.size()); }
};
CrossEntries matched_cross_entries(const FeatureTransform& user, const FeatureTransform& place);

// `train_places`: the user -> place lists used for message passing (the graph's training
// relation, or it minus a validation hold-out).
HeteroInputs build_hetero_inputs(const graph::GraphArtifact& g, NeighbourLists train_places);

// Writes n rows of user_input_cols() floats: the user's features, then the mean dense input of
// its training places except `exclude_place[i]` (-1: none); users with drop[i] != 0 get an empty
// bag (zeros), as a cold-start user.
void user_dense_rows(const HeteroInputs& in, const int32_t* users, const int32_t* exclude_place,
                     const uint8_t* drop, int64_t n, float* out);

// A mean bag as embedding_bag wants it: indices and offsets (one per row, no trailing one).
struct Bags {
  std::vector<int64_t> indices, offsets;
};

// user_dense_rows with the place aggregate taken over given bags (make_bags' or sampled ones):
// the user's features, then the mean dense input of the places in bag i (zeros when the bag is
// empty). place_bags.offsets has n entries.
void user_dense_rows_from_bags(const HeteroInputs& in, const int32_t* users,
                               const Bags& place_bags, int64_t n, float* out);
// Row r's entries of `lists` for rows[i], skipping exclude[i] (when given) and every entry when
// drop[i] (when given) is set.
Bags make_bags(const NeighbourLists& lists, const int32_t* rows, int64_t n,
               const int32_t* exclude, const uint8_t* drop);

}  // namespace recsys::model
