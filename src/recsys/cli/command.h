#pragma once
// Subcommand registry. Each file in cli/ defines one subcommand and registers
// it with a static `CommandRegistration`; main() adds them all to the app.
// A subcommand only parses flags and calls the library.
#include <functional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace recsys::cli {

struct Command {
  std::string name;
  int order;  // position in --help
  std::function<void(CLI::App&)> add;  // adds the subcommand and its callback to the app
};

std::vector<Command>& command_registry();

struct CommandRegistration {
  CommandRegistration(std::string name, int order, std::function<void(CLI::App&)> add) {
    command_registry().push_back({std::move(name), order, std::move(add)});
  }
};

}  // namespace recsys::cli
