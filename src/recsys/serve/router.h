#pragma once
// Routes a request to the handler registered for its method and path pattern. Patterns are
// slash-separated segments where "{name}" captures one (percent-decoded) segment:
// "/v1/users/{id}/recommendations/places". An unknown path is a 404, a known path with another
// method a 405 with an Allow header; errors thrown by a handler become JSON error responses
// (HttpError: its status; NotFound: 404; ConfigError / InvalidArgument: 400; anything else: 500).
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "recsys/serve/http_message.h"

namespace recsys::serve {

class PathParams {
 public:
  void add(std::string name, std::string value) { values_.emplace_back(std::move(name), std::move(value)); }
  // The captured segment; the name must be one of the pattern's.
  const std::string& operator[](std::string_view name) const;

 private:
  std::vector<std::pair<std::string, std::string>> values_;
};

using Handler = std::function<HttpResponse(const HttpRequest&, const PathParams&)>;

class Router {
 public:
  struct Route {
    std::string method, pattern;
    std::vector<std::string> segments;
    Handler handler;
  };

  // Returns the route's index (stable: metrics count by it).
  int add(std::string method, std::string pattern, Handler handler);

  // The response for a request; `*route` receives the matched route's index, or -1.
  HttpResponse handle(const HttpRequest& request, int* route = nullptr) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

// A JSON error response.
HttpResponse error_response(int status, const std::string& message);

}  // namespace recsys::serve
