#pragma once
// Typed errors. The library throws these with a message that names the input
// (file:line, config key, parameter) and what was expected; cli/ turns them
// into one line on stderr and a non-zero exit.
#include <stdexcept>
#include <string>

namespace recsys {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A file that could not be opened, read, written or renamed.
class IoError : public Error {
 public:
  using Error::Error;
};

// A file whose contents are not what its format requires (corrupt, truncated, malformed line).
class FormatError : public Error {
 public:
  using Error::Error;
};

// A configuration key or command-line parameter with a wrong type or out-of-range value.
class ConfigError : public Error {
 public:
  using Error::Error;
};

// A call whose arguments do not fit together (schema/row mismatch, unknown column, ...).
class InvalidArgument : public Error {
 public:
  using Error::Error;
};

// A request the loaded artifacts cannot answer (e.g. attendance from a model without the
// attendance head); a server answers it with 501 / 422 rather than 500.
class Unsupported : public Error {
 public:
  using Error::Error;
};

// A lookup of an id (user, place, city, ...) that does not exist in the loaded data; the
// message names the kind of id and the value. Serving answers it with 404.
class NotFound : public Error {
 public:
  using Error::Error;
};

}  // namespace recsys
