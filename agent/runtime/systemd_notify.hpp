// SPDX-License-Identifier: Apache-2.0
// sd_notify(3) messages for Type=notify units; harmless no-ops outside systemd.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace dockgate::runtime {

/// READY=1 once the buffer is open and drivers are started.
void notify_ready();
/// STOPPING=1 at the start of a graceful stop.
void notify_stopping();
/// STATUS=<text> shown by `systemctl status`.
void notify_status(const std::string& text);
/// WATCHDOG=1 keep-alive; send from the main loop.
void notify_watchdog();
/// The interval at which to send WATCHDOG=1 (half of WatchdogSec), or nullopt when the
/// watchdog is not enabled for this process.
std::optional<std::chrono::milliseconds> watchdog_interval();

}  // namespace dockgate::runtime
