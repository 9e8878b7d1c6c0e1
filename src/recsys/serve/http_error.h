#pragma once
// An error a route answers with an HTTP status and a JSON body {"error": {"status", "message"}}.
// 400: a malformed parameter or body (the message names it), 404: an unknown id or route,
// 405, 413, 422: well-formed but impossible (k over the limit, unknown city), 503: not ready.
#include <string>

#include "recsys/core/error.h"

namespace recsys::serve {

class HttpError : public Error {
 public:
  HttpError(int status, const std::string& message) : Error(message), status_(status) {}
  int status() const { return status_; }

 private:
  int status_;
};

// The JSON error body for a status and message.
std::string error_body(int status, const std::string& message);

}  // namespace recsys::serve
