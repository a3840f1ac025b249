// SPDX-License-Identifier: Apache-2.0
// The `dockgate` sub-commands, each returning the process exit code.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace dockgate::runtime {

/// `dockgate run --config FILE`: 0 after a graceful stop, 1 on a bad config or buffer.
int cmd_run(const std::string& config_path, const std::string& log_level_override);

/// `dockgate check-config FILE`: 0 valid, 1 invalid (every error listed on `err`).
int cmd_check_config(const std::string& config_path, std::ostream& out, std::ostream& err);

/// `dockgate status --config FILE [--json]`: backlog count and bytes, oldest unsent age,
/// last successful publish, read from the buffer database (works while the daemon runs).
/// 0 on success, 1 when the config or buffer cannot be read.
int cmd_status(const std::string& config_path, bool json, std::ostream& out, std::ostream& err);

/// `dockgate config-reference`: every config key with type, default and help text.
int cmd_config_reference(std::ostream& out);

}  // namespace dockgate::runtime
