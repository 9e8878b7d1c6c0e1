#include "recsys/model/gnn/hetero_config.h"

#include <fmt/format.h>

#include <string>

#include "recsys/core/config_section.h"
#include "recsys/core/error.h"
#include "recsys/core/toml_table.h"

namespace recsys::model::gnn {

nlohmann::json hetero_config_to_json(const HeteroConfig& c) {
  return {{"dim", c.dim},
          {"social_dim", c.social_dim},
          {"hidden", c.hidden},
          {"place_ids", c.place_ids},
          {"feature_cross", c.feature_cross},
          {"location_table", c.location_table},
          {"place_bias", c.place_bias},
          {"learning_rate", c.learning_rate},
          {"weight_decay", c.weight_decay},
          {"batch_size", c.batch_size},
          {"negatives", c.negatives},
          {"city_negatives", c.city_negatives},
          {"uniform_share", c.uniform_share},
          {"cold_start_dropout", c.cold_start_dropout},
          {"friend_batch", c.friend_batch},
          {"friend_negatives", c.friend_negatives},
          {"friend_city_negatives", c.friend_city_negatives},
          {"friend_weight", c.friend_weight},
          {"attendance_batch", c.attendance_batch},
          {"attendance_weight", c.attendance_weight},
          {"max_epochs", c.max_epochs},
          {"patience", c.patience},
          {"holdout_fraction", c.holdout_fraction},
          {"max_train_seconds", c.max_train_seconds},
          {"max_neighbours", c.max_neighbours},
          {"steps_per_epoch", c.steps_per_epoch},
          {"validation_users", c.validation_users}};
}

HeteroConfig hetero_config_from_json(const nlohmann::json& j) {
  HeteroConfig c;
  if (j.is_null()) return c;
  c.dim = j.value("dim", c.dim);
  c.social_dim = j.value("social_dim", c.social_dim);
  c.hidden = j.value("hidden", c.hidden);
  c.place_ids = j.value("place_ids", c.place_ids);
  c.feature_cross = j.value("feature_cross", c.feature_cross);
  c.location_table = j.value("location_table", c.location_table);
  c.place_bias = j.value("place_bias", c.place_bias);
  c.learning_rate = j.value("learning_rate", c.learning_rate);
  c.weight_decay = j.value("weight_decay", c.weight_decay);
  c.batch_size = j.value("batch_size", c.batch_size);
  c.negatives = j.value("negatives", c.negatives);
  c.city_negatives = j.value("city_negatives", c.city_negatives);
  c.uniform_share = j.value("uniform_share", c.uniform_share);
  c.cold_start_dropout = j.value("cold_start_dropout", c.cold_start_dropout);
  c.friend_batch = j.value("friend_batch", c.friend_batch);
  c.friend_negatives = j.value("friend_negatives", c.friend_negatives);
  c.friend_city_negatives = j.value("friend_city_negatives", c.friend_city_negatives);
  c.friend_weight = j.value("friend_weight", c.friend_weight);
  c.attendance_batch = j.value("attendance_batch", c.attendance_batch);
  c.attendance_weight = j.value("attendance_weight", c.attendance_weight);
  c.max_epochs = j.value("max_epochs", c.max_epochs);
  c.patience = j.value("patience", c.patience);
  c.holdout_fraction = j.value("holdout_fraction", c.holdout_fraction);
  c.max_train_seconds = j.value("max_train_seconds", c.max_train_seconds);
  c.max_neighbours = j.value("max_neighbours", c.max_neighbours);
  c.steps_per_epoch = j.value("steps_per_epoch", c.steps_per_epoch);
  c.validation_users = j.value("validation_users", c.validation_users);
  return c;
}

nlohmann::json read_hetero_config(TomlTable& t, const nlohmann::json& base) {
  HeteroConfig c = hetero_config_from_json(base);
  ConfigSection section(t, "hetero");
  section.read("dim", c.dim, 1, 4096);
  section.read("social_dim", c.social_dim, 0, 4096);
  section.read("hidden", c.hidden, 1, 65536);
  if (auto v = t.get_bool("hetero.place_ids")) c.place_ids = *v;
  if (auto v = t.get_bool("hetero.feature_cross")) c.feature_cross = *v;
  if (auto v = t.get_bool("hetero.place_bias")) c.place_bias = *v;
  section.read("location_table", c.location_table, 0, 1 << 16);
  section.read("learning_rate", c.learning_rate, 1e-7, 10.0);
  section.read("weight_decay", c.weight_decay, 0.0, 1.0);
  section.read("batch_size", c.batch_size, 1, 1 << 22);
  section.read("negatives", c.negatives, 0, 1 << 22);
  section.read("city_negatives", c.city_negatives, 0, 1 << 22);
  section.read("uniform_share", c.uniform_share, 0.0, 1.0);
  section.read("cold_start_dropout", c.cold_start_dropout, 0.0, 1.0);
  section.read("friend_batch", c.friend_batch, 0, 1 << 22);
  section.read("friend_negatives", c.friend_negatives, 0, 1 << 22);
  section.read("friend_city_negatives", c.friend_city_negatives, 0, 1 << 22);
  section.read("friend_weight", c.friend_weight, 0.0, 1000.0);
  section.read("attendance_batch", c.attendance_batch, 0, 1 << 22);
  section.read("attendance_weight", c.attendance_weight, 0.0, 1000.0);
  section.read("max_epochs", c.max_epochs, 1, 100000);
  section.read("patience", c.patience, 1, 100000);
  section.read("holdout_fraction", c.holdout_fraction, 0.0, 0.9);
  section.read("max_train_seconds", c.max_train_seconds, 0.0, 1e9);
  section.read("max_neighbours", c.max_neighbours, 0, 1 << 20);
  section.read("steps_per_epoch", c.steps_per_epoch, 0, 1 << 30);
  section.read("validation_users", c.validation_users, 0, 1 << 30);
  return hetero_config_to_json(c);
}

}  // namespace recsys::model::gnn
