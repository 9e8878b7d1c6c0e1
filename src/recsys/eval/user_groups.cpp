#include "recsys/eval/user_groups.h"

#include <algorithm>

#include "recsys/core/error.h"

namespace recsys::eval {
namespace {

bool valid_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '=' || c == '+';
}

}  // namespace

void UserGroups::add(const std::string& name, std::vector<int32_t> users) {
  if (name.empty() || !std::all_of(name.begin(), name.end(), valid_name_char)) {
    throw InvalidArgument(
        "user group name '" + name +
        "': use letters, digits and _ - = + only (it becomes part of metric keys)");
  }
  if (std::find(names_.begin(), names_.end(), name) != names_.end()) {
    throw InvalidArgument("user group '" + name + "' is defined twice");
  }
  for (int32_t u : users) {
    if (u < 0) {
      throw InvalidArgument("user group '" + name + "': negative user id " + std::to_string(u));
    }
  }
  std::sort(users.begin(), users.end());
  users.erase(std::unique(users.begin(), users.end()), users.end());
  names_.push_back(name);
  members_.push_back(std::move(users));
}

UserGroups UserGroups::from_labels(std::span<const int32_t> label_of_user,
                                   const std::vector<std::string>& names,
                                   const std::string& prefix) {
  std::vector<std::vector<int32_t>> members(names.size());
  for (size_t u = 0; u < label_of_user.size(); ++u) {
    int32_t label = label_of_user[u];
    if (label == -1) continue;
    if (label < -1 || static_cast<size_t>(label) >= names.size()) {
      throw InvalidArgument("user groups: user " + std::to_string(u) + " has label " +
                            std::to_string(label) + ", expected -1 or 0.." +
                            std::to_string(static_cast<int64_t>(names.size()) - 1));
    }
    members[label].push_back(static_cast<int32_t>(u));
  }
  UserGroups groups;
  for (size_t g = 0; g < names.size(); ++g) groups.add(prefix + names[g], std::move(members[g]));
  return groups;
}

}  // namespace recsys::eval
