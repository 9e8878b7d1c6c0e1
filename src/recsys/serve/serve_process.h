#pragma once
// `recsys serve` as a process: the API over the artifacts on an HttpServer, until SIGINT or
// SIGTERM (graceful: requests in flight are answered); SIGHUP reloads the artifacts like
// POST /admin/reload.
#include <functional>

#include "recsys/serve/api_service.h"
#include "recsys/serve/http_server.h"

namespace recsys::serve {

// Blocks until a stop signal. `on_listening` (optional) is called with the bound port once the
// server accepts connections.
void serve_until_signalled(const ApiOptions& api, const ServerOptions& server,
                           const std::function<void(uint16_t port)>& on_listening = {});

}  // namespace recsys::serve
