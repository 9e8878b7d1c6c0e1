#include "recsys/serve/beast_request.h"

namespace recsys::serve {

HttpRequest to_http_request(const boost::beast::http::request<boost::beast::http::string_body>& req) {
  HttpRequest request;
  request.method = std::string(req.method_string());
  const auto [path, query] = split_target(std::string_view(req.target().data(), req.target().size()));
  request.path = std::string(path);
  request.query = std::string(query);
  request.body = req.body();
  if (auto it = req.find(boost::beast::http::field::content_type); it != req.end())
    request.content_type = std::string(it->value());
  if (auto it = req.find("Idempotency-Key"); it != req.end()) request.idempotency_key = std::string(it->value());
  return request;
}

}  // namespace recsys::serve
