#include "recsys/serve/router.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "recsys/serve/http_error.h"
#include "recsys/serve/query_params.h"

namespace recsys::serve {

namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  if (path.empty() || path[0] != '/') return out;
  path.remove_prefix(1);
  while (true) {
    const size_t slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

bool is_capture(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// Whether `segments` of a request path fit the route's pattern; fills `params` when they do.
bool match(const Router::Route& route, const std::vector<std::string_view>& segments, PathParams* params) {
  if (segments.size() != route.segments.size()) return false;
  for (size_t i = 0; i < segments.size(); ++i) {
    const std::string& p = route.segments[i];
    if (is_capture(p)) {
      if (segments[i].empty()) return false;
    } else if (p != segments[i]) {
      return false;
    }
  }
  if (params)
    for (size_t i = 0; i < segments.size(); ++i)
      if (is_capture(route.segments[i]))
        params->add(route.segments[i].substr(1, route.segments[i].size() - 2),
                    percent_decode(segments[i], "path"));
  return true;
}

}  // namespace

HttpResponse error_response(int status, const std::string& message) {
  HttpResponse r;
  r.status = status;
  r.body = error_body(status, message);
  return r;
}

const std::string& PathParams::operator[](std::string_view name) const {
  for (const auto& [n, v] : values_)
    if (n == name) return v;
  throw InvalidArgument(fmt::format("route has no path parameter '{}'", name));
}

int Router::add(std::string method, std::string pattern, Handler handler) {
  Route r;
  for (std::string_view s : split_path(pattern)) r.segments.emplace_back(s);
  if (r.segments.empty()) throw InvalidArgument(fmt::format("route pattern '{}' must start with '/'", pattern));
  r.method = std::move(method);
  r.pattern = std::move(pattern);
  r.handler = std::move(handler);
  routes_.push_back(std::move(r));
  return static_cast<int>(routes_.size()) - 1;
}

HttpResponse Router::handle(const HttpRequest& request, int* route) const {
  if (route) *route = -1;
  const std::vector<std::string_view> segments = split_path(request.path);
  std::string allow;
  try {
    for (size_t i = 0; i < routes_.size(); ++i) {
      const Route& r = routes_[i];
      if (!match(r, segments, nullptr)) continue;
      if (r.method != request.method) {
        if (allow.find(r.method) == std::string::npos) allow += (allow.empty() ? "" : ", ") + r.method;
        continue;
      }
      if (route) *route = static_cast<int>(i);
      PathParams params;
      match(r, segments, &params);
      return r.handler(request, params);
    }
  } catch (const HttpError& e) {
    return error_response(e.status(), e.what());
  } catch (const NotFound& e) {
    return error_response(404, e.what());
  } catch (const ConfigError& e) {
    return error_response(400, e.what());
  } catch (const InvalidArgument& e) {
    return error_response(400, e.what());
  } catch (const std::exception& e) {
    return error_response(500, fmt::format("internal error: {}", e.what()));
  }
  if (!allow.empty()) {
    HttpResponse r = error_response(405, fmt::format("method {} not allowed on {} (allowed: {})",
                                                     request.method, request.path, allow));
    r.headers.emplace_back("Allow", allow);
    return r;
  }
  return error_response(404, fmt::format("no route for {}", request.path));
}

}  // namespace recsys::serve
