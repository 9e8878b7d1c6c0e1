#pragma once
// Named groups of users for a per-group breakdown of the metrics (cold-start
// users, activity buckets, cities, ...). A user may belong to any number of
// groups, e.g. "cold_start" and "city=paris" and "activity=low".
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace recsys::eval {

class UserGroups {
 public:
  // A group name becomes part of metric keys ("group.<name>.recall@20"): it must be non-empty
  // and made of letters, digits and _ - = + (no '.' or spaces). Members: user ids >= 0;
  // duplicates are dropped. Throws InvalidArgument on a bad or repeated name or a negative id.
  void add(const std::string& name, std::vector<int32_t> users);

  // One group per distinct label: label_of_user[u] = index into names, or -1 for no group.
  // Group names are prefix + names[label], e.g. prefix "city=".
  static UserGroups from_labels(std::span<const int32_t> label_of_user,
                                const std::vector<std::string>& names,
                                const std::string& prefix = "");

  size_t size() const { return names_.size(); }
  const std::string& name(size_t group) const { return names_[group]; }
  // Sorted, distinct.
  const std::vector<int32_t>& members(size_t group) const { return members_[group]; }

 private:
  std::vector<std::string> names_;
  std::vector<std::vector<int32_t>> members_;
};

}  // namespace recsys::eval
