#include "recsys/model/distributed_options.h"

#include <fmt/format.h>

#include <charconv>

#include "recsys/core/error.h"

namespace recsys::model {

DistributedOptions distributed_options_from_flags(std::optional<int> world_size,
                                                  std::optional<int> rank,
                                                  const std::string& master) {
  DistributedOptions o;
  if (world_size && *world_size < 1)
    throw ConfigError(fmt::format("--world-size {}: expected at least 1", *world_size));
  o.world_size = world_size.value_or(1);
  if (o.world_size == 1) {
    if (rank && *rank != 0)
      throw ConfigError(fmt::format(
          "--rank {}: a rank other than 0 needs --world-size greater than 1", *rank));
    if (!master.empty())
      throw ConfigError(fmt::format("--master {}: needs --world-size greater than 1", master));
    return o;
  }
  if (!rank)
    throw ConfigError(fmt::format(
        "--rank: required with --world-size {} (0 .. {}; scripts/train-distributed starts the "
        "ranks)",
        o.world_size, o.world_size - 1));
  if (*rank < 0 || *rank >= o.world_size)
    throw ConfigError(fmt::format("--rank {}: expected 0 .. {} for --world-size {}", *rank,
                                  o.world_size - 1, o.world_size));
  o.rank = *rank;
  if (master.empty())
    throw ConfigError(fmt::format(
        "--master: required with --world-size {} (HOST:PORT of rank 0, e.g. 127.0.0.1:29500)",
        o.world_size));
  const size_t colon = master.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == master.size())
    throw ConfigError(fmt::format("--master {}: expected HOST:PORT, e.g. 127.0.0.1:29500", master));
  const std::string port_text = master.substr(colon + 1);
  unsigned port = 0;
  const auto [end, ec] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port < 1 ||
      port > 65535)
    throw ConfigError(
        fmt::format("--master {}: the port \"{}\" is not a number in 1..65535", master, port_text));
  o.master_host = master.substr(0, colon);
  o.master_port = static_cast<uint16_t>(port);
  return o;
}

}  // namespace recsys::model
