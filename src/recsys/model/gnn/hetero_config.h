#pragma once
// Parameters of the `hetero` model (config section [hetero], documented with their defaults in
// configs/hetero.toml). Plain C++: no LibTorch here.
#include <cstdint>
#include <nlohmann/json.hpp>

namespace recsys {
class TomlTable;
}

namespace recsys::model::gnn {

struct HeteroConfig {
  int dim = 16;             // learned (h) columns of the place-preference part
  int social_dim = 32;      // friend part of the user embeddings (places get zeros there)
  int hidden = 32;          // hidden width of the feature MLPs
  bool place_ids = false;   // learned place ID embeddings (place side and the user's bag)
  bool feature_cross = true;  // exact bilinear block: user linear map x place normalised copies
  bool place_bias = true;     // a learned scalar per place (user side: constant 1)
  int location_table = 1024;  // learned neighborhood x neighborhood block up to this many
                              // neighborhoods (0: off)
  double learning_rate = 0.003;
  double weight_decay = 0.0;  // Adam L2 on every parameter
  int batch_size = 1024;      // training (user, place) pairs per step
  int negatives = 512;        // shared sampled negatives per step (besides the in-batch ones)
  int city_negatives = 512;   // shared negatives drawn from the home cities of the batch's users
  double uniform_share = 0.5;  // share of those drawn uniformly (the rest by training degree)
  double cold_start_dropout = 0.1;  // share of samples whose user sees no training places
  int friend_batch = 256;            // training friendships per step (0: no friend head)
  int friend_negatives = 256;        // shared uniform negative users per friend step
  int friend_city_negatives = 256;   // shared negative users from the batch's home cities
  double friend_weight = 1.0;        // friend loss weight
  int attendance_batch = 256;        // friend labels per step (0: no attendance head)
  double attendance_weight = 0.5;    // attendance loss weight
  int max_epochs = 30;  // one epoch = one pass over the training pairs
  int patience = 3;     // epochs without a better validation Recall@20 before stopping
  double holdout_fraction = 0.1;  // validation share of each user's places without a valid split
  double max_train_seconds = 270;  // training stops (mid-epoch too) after this much (0: no limit)
  // Neighbour sampling (neighbour_sampler.h): at most this many of a user's training places and
  // of its friends per bag in a training step, drawn uniformly each step (0: all of them).
  int max_neighbours = 0;
  int steps_per_epoch = 0;      // steps between validations (0: one pass over the pairs)
  int validation_users = 10000; // validate on a sample of this many users above it (0: all)
};

HeteroConfig hetero_config_from_json(const nlohmann::json& j);
nlohmann::json hetero_config_to_json(const HeteroConfig& c);
// read_config of the registry: `base` (or the defaults) overridden by [hetero] keys; throws
// ConfigError naming the key on a wrong type or an out-of-range value.
nlohmann::json read_hetero_config(TomlTable& table, const nlohmann::json& base);

}  // namespace recsys::model::gnn
