#pragma once
// Raw id <-> row (graph node index) for one node type. The graph's raw ids are ascending by
// node index (docs/data-contract.md, "Graph artifact"), so a lookup is a binary search.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace recsys::recommend {

class IdMap {
 public:
  IdMap() = default;
  // `kind` names the ids in error messages ("user", "place"). InvalidArgument unless ascending.
  IdMap(std::string kind, std::span<const int32_t> raw_ids);

  int64_t size() const { return static_cast<int64_t>(ids_.size()); }
  int64_t raw(int32_t row) const { return ids_[static_cast<size_t>(row)]; }
  // The row of a raw id, -1 when absent.
  int32_t find(int64_t raw_id) const;
  // The row of a raw id; NotFound naming the kind and the id when absent.
  int32_t row(int64_t raw_id) const;
  const std::string& kind() const { return kind_; }

 private:
  std::string kind_;
  std::vector<int64_t> ids_;
};

}  // namespace recsys::recommend
