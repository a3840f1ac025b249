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

/// Ordered list of errors found while reading one config file.
class ConfigErrors {
 public:
  void add(ConfigError error) { errors_.push_back(std::move(error)); }
  [[nodiscard]] bool empty() const { return errors_.empty(); }
  [[nodiscard]] std::size_t size() const { return errors_.size(); }
  [[nodiscard]] const std::vector<ConfigError>& list() const { return errors_; }
  /// All errors, one per line.
  [[nodiscard]] std::string to_string() const;

 private:
  std::vector<ConfigError> errors_;
};

}  // namespace dockgate::config
