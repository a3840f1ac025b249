// SPDX-License-Identifier: Apache-2.0
// Config errors that name file, line, column and key path, collected rather than thrown so
// `dockgate check-config` can list every problem at once.
#pragma once

#include <string>
#include <vector>

namespace dockgate::config {

/// One problem in a config file. `line`/`column` are 1-based (0 when unknown).
struct ConfigError {
  std::string file;
  int line = 0;
  int column = 0;
  std::string key_path;  ///< dotted path, e.g. "drivers[1].baud"
  std::string message;

  /// "file:line:column: key_path: message"
  [[nodiscard]] std::string to_string() const;
};

/// `text` with every byte that is not part of valid UTF-8, and every control character,
/// written as \xNN: a key or value copied into a message must not garble a terminal or a
/// log (a file saved in Latin-1, a stray escape sequence).
std::string escape_text(const std::string& text);

/// Ordered list of errors found while reading one config file.
class ConfigErrors {
 public:
  /// Stores `error` with file, key_path and message made printable (escape_text).
  void add(ConfigError error);
  [[nodiscard]] bool empty() const { return errors_.empty(); }
  [[nodiscard]] std::size_t size() const { return errors_.size(); }
  [[nodiscard]] const std::vector<ConfigError>& list() const { return errors_; }
  /// All errors, one per line.
  [[nodiscard]] std::string to_string() const;

 private:
  std::vector<ConfigError> errors_;
};

}  // namespace dockgate::config
