#pragma once
// Read side of the graph artifact written by `recsys build-graph`: maps every
// array file listed in manifest.json (mmap, read-only), checks its size against
// the manifest and its checksum64, and exposes typed spans. A missing, changed
// or truncated file throws FormatError naming it.
//
// Naming (docs/data-contract.md, "graph artifact"): relation R is the arrays
// "R.offsets" (int64, rows + 1) and "R.indices" (int32), plus edge attributes
// "R.<attr>"; a reverse relation has "R.forward_position" (int64) into its
// forward relation's entries. Relations: user_place.{train,valid,test}
// (attributes count, max_rating, flags, first_timestamp, last_timestamp,
// weight), place_user.train, user_user.{train,valid,test}, and where present
// place_tag (weight) / tag_place, place_category / category_place,
// place_neighborhood / neighborhood_place, user_neighborhood / neighborhood_user.
// Node arrays: user.ids / place.ids (raw ids by node index), user.cold_start,
// user.home_city, user.home_neighborhood, place.city, place.neighborhood,
// place.price_band, place.time_slot (int32, -1 unknown), place.lat / place.lon
// (float64, NaN unknown), {user,place}.features (float32 rows x cols, standardised)
// with .features_mean / .features_std; friend_labels.{user_a,user_b,label,
// attend_probability,split}.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "recsys/graph/array_dtype.h"

namespace recsys::graph {

struct CsrView {
  std::span<const int64_t> offsets;
  std::span<const int32_t> indices;
  int64_t n_rows() const { return static_cast<int64_t>(offsets.size()) - 1; }
  std::span<const int32_t> row(int64_t r) const {
    return indices.subspan(
        static_cast<size_t>(offsets[static_cast<size_t>(r)]),
        static_cast<size_t>(offsets[static_cast<size_t>(r) + 1] - offsets[static_cast<size_t>(r)]));
  }
};

// user_place.<split>: one entry per (user, place) pair, attributes aligned with csr.indices.
struct InteractionsView {
  CsrView csr;  // user -> place
  std::span<const int32_t> count;
  std::span<const float> max_rating, weight;
  std::span<const uint8_t> flags;  // InteractionFlag bits (input_tables.h)
  std::span<const int64_t> first_timestamp, last_timestamp;  // INT64_MIN when unknown
};

// <node>.features: standardised rows; raw value = values * std + mean, per column.
struct FeaturesView {
  int64_t rows = 0, cols = 0;
  std::span<const float> values, mean, std;
  std::span<const float> row(int64_t r) const {
    return values.subspan(static_cast<size_t>(r * cols), static_cast<size_t>(cols));
  }
};

class GraphArtifact {
 public:
  // Throws IoError when the folder or manifest cannot be read, FormatError for a malformed
  // manifest, a wrong format version, or an array file that is missing, of the wrong size or
  // whose checksum differs.
  static GraphArtifact open(const std::filesystem::path& dir, bool verify_checksums = true);
  ~GraphArtifact();
  GraphArtifact(GraphArtifact&&) noexcept;
  GraphArtifact& operator=(GraphArtifact&&) noexcept;

  const std::filesystem::path& dir() const;
  const nlohmann::json& manifest() const;
  int64_t n_users() const;
  int64_t n_places() const;
  // Node count of a type ("user", "place", "tag", "category", "neighborhood", "city", "vibe").
  int64_t n_nodes(const std::string& type) const;

  bool has(const std::string& name) const;
  DType dtype(const std::string& name) const;
  std::vector<int64_t> shape(const std::string& name) const;
  // InvalidArgument when absent or when T is not the array's dtype.
  template <typename T>
  std::span<const T> array(const std::string& name) const {
    const auto bytes = raw(name, dtype_of<T>());
    return {reinterpret_cast<const T*>(bytes.data()), bytes.size() / sizeof(T)};
  }
  bool has_relation(const std::string& relation) const { return has(relation + ".offsets"); }
  CsrView relation(const std::string& relation) const;
  // split: "train" (message passing), "valid" or "test".
  InteractionsView interactions(const std::string& split) const;
  // node: "user" or "place".
  FeaturesView features(const std::string& node) const;

 private:
  GraphArtifact();
  std::span<const std::byte> raw(const std::string& name, DType expected) const;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace recsys::graph
