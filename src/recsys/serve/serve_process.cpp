#include "recsys/serve/serve_process.h"

#include <fmt/format.h>
#include <pthread.h>
#include <signal.h>

#include <thread>

#include "recsys/core/progress.h"

namespace recsys::serve {

void serve_until_signalled(const ApiOptions& api_options, const ServerOptions& server_options,
                           const std::function<void(uint16_t)>& on_listening) {
  // Signals go to one watcher thread only: block them before any other thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  ApiService api(api_options);
  HttpServer server(server_options, [&api](const HttpRequest& r) { return api.handle(r); });
  log_info(fmt::format("serving {} on http://{}:{} ({} threads); explorer at /, docs at /docs", api.version(),
                       server_options.host, server.port(),
                       server_options.threads > 0 ? server_options.threads
                                                  : static_cast<int>(std::thread::hardware_concurrency())));
  if (on_listening) on_listening(server.port());

  std::thread watcher([&] {
    while (true) {
      int sig = 0;
      if (sigwait(&signals, &sig) != 0) continue;
      if (sig == SIGHUP) {
        try {
          log_info(fmt::format("SIGHUP: reloaded, now serving {}", api.reload()));
        } catch (const std::exception& e) {
          log_warning(fmt::format("SIGHUP: reload failed, still serving {}: {}", api.version(), e.what()));
        }
        continue;
      }
      log_info(fmt::format("signal {}: stopping (requests in flight are answered first)", sig));
      server.stop();
      return;
    }
  });
  server.run();
  watcher.join();
}

}  // namespace recsys::serve
