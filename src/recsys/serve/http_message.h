#pragma once
// A request and a response as the routes see them, independent of the HTTP library (so that
// routing and parameter parsing can be tested and fuzzed without a socket).
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace recsys::serve {

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string path;    // percent-encoded path, without the query
  std::string query;   // after '?', without it ("" when absent)
  std::string body;
  std::string content_type;
  std::string idempotency_key;  // the Idempotency-Key header ("" when absent)
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers (Allow, ...)
};

// Splits a request target "/a/b?x=1" into path and query.
std::pair<std::string_view, std::string_view> split_target(std::string_view target);

}  // namespace recsys::serve
