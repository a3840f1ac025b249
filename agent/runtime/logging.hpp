// SPDX-License-Identifier: Apache-2.0
// spdlog to stderr. Under systemd (JOURNAL_STREAM set) each line starts with the sd-daemon
// priority prefix "<N>" (sd-daemon(3)) and carries no timestamp, so journald files it
// at the right level; on a terminal lines get a UTC timestamp instead.
#pragma once

#include <string>

namespace dockgate::runtime {

/// Installs the default logger. `level`: trace|debug|info|warn|error|critical|off.
/// Returns false (and keeps "info") for an unknown level name.
bool setup_logging(const std::string& level);

/// Changes the level of the installed logger; false for an unknown level name.
bool set_log_level(const std::string& level);

}  // namespace dockgate::runtime
