// SPDX-License-Identifier: Apache-2.0
// Internal to dockgate_config: config text -> one YAML document, reporting what yaml-cpp
// itself accepts silently (duplicate keys, extra documents) as errors.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <optional>
#include <string>

#include "config/config_error.hpp"

namespace dockgate::config::detail {

/// A config file is a few KB; anything past this is not a config file.
constexpr std::size_t kMaxConfigBytes = std::size_t{1024} * 1024;

/// The whole file as bytes. On failure (missing, unreadable, a directory, larger than
/// kMaxConfigBytes) adds one error naming `path` with the OS reason and returns nullopt.
std::optional<std::string> read_config_file(const std::string& path, ConfigErrors& errors);

/// Parses `text` (messages name `file`). A syntax error adds one error at the line and
/// column yaml-cpp reports and returns nullopt. Otherwise returns the first document (a
/// null node for an empty file) after adding an error for each duplicate mapping key and
/// for any second document.
std::optional<YAML::Node> parse_yaml_document(const std::string& text, const std::string& file,
                                              ConfigErrors& errors);

}  // namespace dockgate::config::detail
