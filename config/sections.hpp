// SPDX-License-Identifier: Apache-2.0
// Internal to dockgate_config: one reader per section of the agent config, and the small
// helpers they share. Each reader declares its keys (with help text) on the given parent
// reader, validates values, records every problem, and never throws for bad input.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "config/agent_config.hpp"

namespace dockgate::config::detail {

void read_site(MapReader& root, SiteConfig& out);
void read_gateway(MapReader& root, GatewayConfig& out);
void read_locations(MapReader& root, std::vector<LocationConfig>& out);
/// Needs the locations read before, to check drivers[].location.
void read_drivers(MapReader& root, const std::vector<LocationConfig>& locations,
                  std::vector<DriverConfig>& out);
void read_patterns(MapReader& root, std::vector<SitePatternConfig>& out);
/// Needs the patterns read before, to check transport_patterns.
void read_dock_sessions(MapReader& root, const std::vector<SitePatternConfig>& patterns,
                        DockSessionOptions& out);
/// plans.dir is resolved against `base_dir` (the config file's directory).
void read_plans(MapReader& root, const std::filesystem::path& base_dir, plans::PlanOptions& out);
/// Relative paths are resolved against `base_dir` (the config file's directory).
void read_buffer(MapReader& root, const std::filesystem::path& base_dir,
                 buffer::OutboxOptions& out);
void read_uplink(MapReader& root, const std::filesystem::path& base_dir, uplink::MqttOptions& out);
void read_log(MapReader& root, LogConfig& out);
void read_metrics(MapReader& root, runtime::MetricsOptions& out);
void read_exception_limit(MapReader& root, ExceptionLimitSettings& out);

/// Records `message` at `key` unless it is empty (the convention of config/validate.hpp).
void report(MapReader& reader, const char* key, const std::string& message);

/// When `was_read` (the key was present and parsed), records an error unless lo <= v <= hi.
void check_range(MapReader& reader, const char* key, bool was_read, std::uint64_t value,
                 std::uint64_t lo, std::uint64_t hi);
void check_range(MapReader& reader, const char* key, bool was_read, std::chrono::milliseconds value,
                 std::chrono::milliseconds lo, std::chrono::milliseconds hi);

/// "250ms", "5s", "2m", "1h": the largest unit that divides `d` exactly.
std::string format_duration(std::chrono::milliseconds d);

/// `path` made absolute against `base_dir` and lexically normalised; "" stays "".
std::string resolve_path(const std::filesystem::path& base_dir, const std::string& path);

}  // namespace dockgate::config::detail
