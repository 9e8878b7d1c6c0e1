#include "recsys/serve/http_error.h"

#include <nlohmann/json.hpp>

namespace recsys::serve {

std::string error_body(int status, const std::string& message) {
  // Messages quote client input, which need not be UTF-8: replace invalid bytes, never throw.
  return nlohmann::json{{"error", {{"status", status}, {"message", message}}}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace recsys::serve
