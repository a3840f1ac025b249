// SPDX-License-Identifier: Apache-2.0
// Reads one YAML mapping into typed fields declared next to the code that uses them:
//   MapReader r(node, "buffer", ctx);
//   r.optional("path", opts.path, "SQLite file of the outbox");
//   r.finish();   // unknown keys become errors
// Every problem is recorded in ConfigErrors with file, line, column and key path; the
// reader never throws for bad input. Declarations are also recorded (key, type, default,
// help) so `dockgate config-reference` prints the same text the code uses.
#pragma once

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "config/config_error.hpp"

namespace dockgate::config {

/// One declared key: what `config-reference` prints.
struct KeyDoc {
  std::string path;  ///< e.g. "buffer.path" or "drivers[].baud"
  std::string type;  ///< "string", "int", "bool", "duration", "list<string>", "one of a|b"
  std::string default_value;
  std::string help;
  bool required = false;
  /// Condition under which the key exists, e.g. "type: serial_scanner" for one driver
  /// type's own keys; empty when the key always applies.
  std::string applies_to;
};

/// Shared state of one file read: its name, collected errors, and (optionally) the docs.
struct ReadContext {
  std::string file;
  ConfigErrors& errors;
  std::vector<KeyDoc>* docs = nullptr;  ///< non-null when collecting reference docs
  /// Devices and buses that driver entries claim within this one file: resource key (e.g.
  /// "serial:/dev/ttyUSB0", "modbus-tcp:10.0.0.5:502") -> {settings fingerprint, key path of
  /// the first entry}. Lets a driver parser report two entries opening one device, or
  /// sharing a bus with different settings.
  std::map<std::string, std::pair<std::string, std::string>> claims{};
};

class MapReader {
 public:
  /// `node` may be undefined/null (treated as an empty mapping); a non-mapping is an error.
  /// `path` is the key path of this mapping ("" for the root).
  MapReader(const YAML::Node& node, std::string path, ReadContext& ctx, std::string doc_path = "");

  // Typed fields. `required` records an error when the key is missing (key path
  // "section.key", positioned at the enclosing mapping); `optional` keeps `out` (the
  // default) when it is missing. Both record a type error on a bad value.
  // In a reader for an absent section (see child()) missing required keys are not reported:
  // the section itself is either optional or already reported missing.
  // Supported T: std::string, bool, int, std::int64_t, std::uint16_t, std::uint32_t,
  // std::uint64_t, double, std::vector<std::string>.
  template <class T>
  bool required(const char* key, T& out, const char* help);
  template <class T>
  bool optional(const char* key, T& out, const char* help);

  /// An integer that must lie in lo..hi. A bad or out-of-range value is one error naming the
  /// range: "expected an integer 1..65535, got '65536'". T: std::uint16_t, std::uint32_t,
  /// std::uint64_t, int, std::int64_t.
  template <class T>
  bool integer(const char* key, T& out, T lo, T hi, const char* help, bool is_required = false);

  /// Duration: an integer (milliseconds) or a string with unit "250ms", "5s", "2m", "1h".
  bool duration(const char* key, std::chrono::milliseconds& out, const char* help,
                bool is_required = false);
  /// Byte size: an integer or "512KB", "64MB", "2GB" (powers of 1024; "KiB" also accepted).
  bool byte_size(const char* key, std::uint64_t& out, const char* help, bool is_required = false);
  /// A string that must be one of `choices`.
  bool choice(const char* key, std::string& out, const std::vector<std::string>& choices,
              const char* help, bool is_required = false);

  /// Nested mapping (may be absent; an absent one reads as empty).
  MapReader child(const char* key, const char* help, bool is_required = false);
  /// A sequence of mappings; each element comes back as its own reader ("key[i]").
  std::vector<MapReader> list(const char* key, const char* help, bool is_required = false);

  /// Records an error at `key` (or at this mapping when `key` is empty).
  void error(const std::string& key, const std::string& message);
  /// Marks a key as consumed without reading it (for keys read by someone else).
  void consume(const char* key) { seen_.insert(key); }
  /// Records an error for every key not declared so far. Call once after all fields.
  void finish();

  [[nodiscard]] bool has(const char* key) const;
  /// True when this reader stands for a section absent from the file (read as empty).
  [[nodiscard]] bool absent() const { return absent_; }
  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] ReadContext& context() const { return *ctx_; }
  [[nodiscard]] const YAML::Node& node() const { return node_; }

 private:
  [[nodiscard]] std::string key_path(const std::string& key) const;
  /// Where to report a problem with the value of `key`: the value, or the key when the value
  /// is an alias (its own mark is the anchor's) or has no position.
  [[nodiscard]] YAML::Mark mark_of(const std::string& key) const;
  void error_at(const YAML::Mark& mark, const std::string& key, const std::string& message);
  void document(const char* key, std::string type, std::string def, const char* help, bool req);
  void missing(const char* key, const char* what);
  template <class T>
  bool read(const char* key, T& out, const char* help, bool is_required);

  YAML::Node node_;
  std::string path_;
  std::string doc_path_;
  ReadContext* ctx_;
  std::set<std::string> seen_;
  bool absent_ = false;
};

/// Parses "250ms", "5s", "2m", "1h" or a bare integer (ms). nullopt on bad input.
std::optional<std::chrono::milliseconds> parse_duration(const std::string& text);
/// Parses "512", "64KB", "64MiB", "2GB" (1024-based). nullopt on bad input.
std::optional<std::uint64_t> parse_byte_size(const std::string& text);

}  // namespace dockgate::config
