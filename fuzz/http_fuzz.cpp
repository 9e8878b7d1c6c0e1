// libFuzzer target: raw bytes -> the server's HTTP request parser (Beast, with the server's size
// limits) -> the conversion the server makes -> routing and query-parameter / JSON-body parsing
// as the API routes do it. Every outcome must be a well-formed JSON response with a known status;
// nothing may crash, leak or throw out.
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "recsys/serve/beast_request.h"
#include "recsys/data/event_log.h"
#include "recsys/serve/http_error.h"
#include "recsys/serve/query_params.h"
#include "recsys/serve/router.h"

namespace {

using namespace recsys::serve;

// Routes shaped like the API's: they read every parameter kind and body kind it reads.
Router make_router() {
  Router r;
  r.add("GET", "/v1/users/{id}/recommendations/places", [](const HttpRequest& req, const PathParams& p) {
    if (!parse_int64(p["id"])) throw HttpError(400, "bad id");
    const QueryParams q = QueryParams::parse(req.query);
    q.allow_only({"k", "city", "neighborhood", "price_band", "time_slot", "category", "lat", "lon", "radius_km",
                  "exclude_seen", "diversity"});
    nlohmann::json j;
    j["k"] = q.integer("k", 20, 1, 100);
    j["city"] = q.integer("city", -1, 0, 1 << 30);
    j["exclude_seen"] = q.boolean("exclude_seen", true);
    j["diversity"] = q.number("diversity", 0, 1).value_or(0.2);
    j["lat"] = q.number("lat", -90, 90).value_or(0);
    HttpResponse out;
    out.body = j.dump();
    return out;
  });
  r.add("POST", "/v1/events", [](const HttpRequest& req, const PathParams&) {
    const nlohmann::json body = nlohmann::json::parse(req.body, nullptr, /*allow_exceptions=*/false);
    if (body.is_discarded() || !body.is_object() || !body.contains("events") || !body["events"].is_array())
      throw HttpError(400, "bad body");
    int n = 0;
    for (const auto& item : body["events"]) recsys::data::event_from_json(item, "events[" + std::to_string(n++) + "]", 0);
    HttpResponse out;
    out.body = nlohmann::json{{"accepted", n}}.dump();
    return out;
  });
  r.add("GET", "/v1/places/{id}/similar", [](const HttpRequest& req, const PathParams& p) {
    QueryParams::parse(req.query).integer("k", 20, 1, 100);
    HttpResponse out;
    out.body = nlohmann::json{{"place", p["id"]}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return out;
  });
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Router router = make_router();
  namespace http = boost::beast::http;
  http::request_parser<http::string_body> parser;
  parser.header_limit(16 * 1024);
  parser.body_limit(64 * 1024);
  parser.eager(true);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(data, size), ec);
  if (ec || !parser.is_done()) return 0;
  const HttpRequest request = to_http_request(parser.get());
  int route = -2;
  const HttpResponse response = router.handle(request, &route);
  if (response.status < 200 || response.status > 599) std::abort();
  if (!nlohmann::json::accept(response.body)) std::abort();
  return 0;
}
