// SPDX-License-Identifier: Apache-2.0
// Helpers for the config tests: a minimal valid config, text edits on it, and lookups that
// tell where in the text an error must point.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>

#include "config/agent_config.hpp"

namespace dockgate::config::test {

/// A fresh directory under $TMPDIR (or /tmp), removed with its contents on destruction.
class TempDir {
 public:
  TempDir() {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern =
        std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/dockgate-config-test-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = std::filesystem::path(pattern).lexically_normal().string();
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

/// Writes `content` to `path`; fails the test when it cannot.
inline void write_file(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  out.close();
  ASSERT_TRUE(out.good()) << "cannot write " << path;
}

/// A minimal valid config. Tests change one line with with() and check the error.
inline const std::string kBaseConfig = R"(site:
  id: hub-test
  gln: "4012345000016"
gateway:
  id: gw-1
locations:
  - id: door-03
    direction: inbound
    gln_extension: DOOR03
  - id: door-07
    direction: outbound
    gln_extension: DOOR07
drivers:
  - id: scanner-1
    type: serial_scanner
    location: door-03
    device: /dev/ttyUSB0
patterns:
  - name: plate
    regex: '^LP([0-9]{8})$'
    uri: 'urn:test:lp:{1}'
buffer:
  path: /tmp/dockgate-config-test/outbox.db
)";

/// `text` with the first `from` replaced by `to`; fails the test when `from` is absent.
inline std::string with(std::string text, const std::string& from, const std::string& to) {
  const auto pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << "'" << from << "' not in the config";
  if (pos != std::string::npos) text.replace(pos, from.size(), to);
  return text;
}

/// 1-based line and column of the `nth` (1-based) occurrence of `needle` in `text`.
inline std::pair<int, int> at(const std::string& text, const std::string& needle, int nth = 1) {
  std::size_t pos = 0;
  for (int i = 0; i < nth && pos != std::string::npos; ++i) {
    pos = text.find(needle, i == 0 ? 0 : pos + 1);
  }
  EXPECT_NE(pos, std::string::npos) << "'" << needle << "' #" << nth << " not in the config";
  if (pos == std::string::npos) return {0, 0};
  int line = 1;
  for (std::size_t i = 0; i < pos; ++i) line += text[i] == '\n' ? 1 : 0;
  const auto line_start = pos == 0 ? std::string::npos : text.rfind('\n', pos - 1);
  const std::size_t column = line_start == std::string::npos ? pos + 1 : pos - line_start;
  return {line, static_cast<int>(column)};
}

inline std::pair<int, int> position(const ConfigError& e) {
  return {e.line, e.column};
}

/// The error at `key_path`, or nullptr.
inline const ConfigError* find_error(const ConfigErrors& errors, const std::string& key_path) {
  for (const auto& e : errors.list()) {
    if (e.key_path == key_path) return &e;
  }
  return nullptr;
}

/// Parses `text` as if read from `file` (relative paths resolve against its directory).
struct Parsed {
  std::optional<AgentConfig> config;
  ConfigErrors errors;
};
inline Parsed parse(const std::string& text,
                    const std::string& file = "/tmp/dockgate-config-test/dockgate.yaml") {
  Parsed p;
  p.config = parse_agent_config(text, file, p.errors);
  return p;
}

/// Parses `text`, expects exactly one error, and returns it (empty when there was not one).
inline ConfigError single_error(const std::string& text) {
  Parsed p = parse(text);
  EXPECT_FALSE(p.config.has_value());
  EXPECT_EQ(p.errors.size(), 1u) << p.errors.to_string();
  return p.errors.empty() ? ConfigError{} : p.errors.list().front();
}

}  // namespace dockgate::config::test
