// SPDX-License-Identifier: Apache-2.0
// Fuzz target: the config loader, YAML text -> validated AgentConfig, through its string
// entry point parse_agent_config (the same code load_agent_config runs after reading the
// file). Input: the YAML text.
// Invariants: never throws or crashes (yaml-cpp parser errors, deep nesting, bad values are
// all reported as ConfigErrors); a config comes back exactly when there is no error; every
// error names the file and a line/column >= 0 and has a message.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "config/agent_config.hpp"
#include "tests/fuzz/fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  dockgate::config::ConfigErrors errors;
  // Relative paths resolve against the directory of the file name: an empty one under
  // /nonexistent, so a fuzzed config cannot name files of the working directory by accident.
  const std::optional<dockgate::config::AgentConfig> config =
      dockgate::config::parse_agent_config(text, "/nonexistent/fuzz.yaml", errors);
  FUZZ_CHECK(config.has_value() == errors.empty(), "a config exactly when no error");
  for (const auto& e : errors.list()) {
    FUZZ_CHECK(e.file == "/nonexistent/fuzz.yaml", "error names the file");
    FUZZ_CHECK(e.line >= 0 && e.column >= 0, "line and column are not negative");
    FUZZ_CHECK(!e.message.empty(), "error has a message");
  }
  if (config) (void)config->find_location("door-03");
  return 0;
}
