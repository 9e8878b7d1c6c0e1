#pragma once
// A Beast request as the routes see it (http_message.h). Shared by the server and the HTTP fuzz
// target, so the fuzzer exercises exactly the server's conversion.
#include <boost/beast/http.hpp>

#include "recsys/serve/http_message.h"

namespace recsys::serve {

HttpRequest to_http_request(const boost::beast::http::request<boost::beast::http::string_body>& req);

}  // namespace recsys::serve
