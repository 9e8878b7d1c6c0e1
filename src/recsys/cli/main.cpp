// The `recsys` program: parses the subcommand and turns library errors into one
// line on stderr and a non-zero exit.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <exception>
#include <new>

#include "recsys/cli/command.h"
#include "recsys/core/error.h"

namespace recsys::cli {
std::vector<Command>& command_registry() {
  static std::vector<Command> registry;
  return registry;
}
}  // namespace recsys::cli

int main(int argc, char** argv) {
  CLI::App app{"recsys: a graph-learning recommendation engine for places and friends"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "recsys 0.1.0");
  auto& commands = recsys::cli::command_registry();
  std::sort(commands.begin(), commands.end(),
            [](const auto& a, const auto& b) { return a.order < b.order; });
  for (const auto& command : commands) command.add(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const recsys::Error& e) {
    std::fprintf(stderr, "recsys: error: %s\n", e.what());
    return 1;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "recsys: error: out of memory\n");
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "recsys: internal error: %s\n", e.what());
    return 3;
  }
  return 0;
}
