#pragma once
// An HttpServer on an ephemeral port, running on its own thread for a test's lifetime.
#include <thread>

#include "recsys/serve/http_server.h"

namespace recsys::serve::testing {

class RunningServer {
 public:
  RunningServer(ServerOptions options, RequestHandler handler)
      : server_(options, std::move(handler)), thread_([this] { server_.run(); }) {}
  ~RunningServer() {
    server_.stop();
    thread_.join();
  }
  unsigned short port() const { return server_.port(); }

 private:
  HttpServer server_;
  std::thread thread_;
};

inline ServerOptions ephemeral_options() {
  ServerOptions o;
  o.port = 0;
  o.threads = 2;
  return o;
}

}  // namespace recsys::serve::testing
