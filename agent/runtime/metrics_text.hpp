// SPDX-License-Identifier: Apache-2.0
// The daemon's metrics as Prometheus text exposition format 0.0.4: a pure renderer from a
// snapshot, so the format is tested without a running daemon. The HTTP side is
// metrics_http.hpp; gathering the snapshot is AgentRuntime::metrics_snapshot().
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "buffer/record.hpp"
#include "uplink/publisher.hpp"

namespace dockgate::runtime {

/// One configured, enabled driver.
struct DriverMetrics {
  std::string id;                 ///< drivers[].id
  std::string type;               ///< drivers[].type, e.g. "tcp_scanner"
  std::string location;           ///< drivers[].location (the door)
  std::uint64_t reads = 0;        ///< reads and dock signals it delivered since start
  std::uint64_t read_errors = 0;  ///< unreadable frames / decode failures since start
  /// Last reported device state; nullopt until the driver reported one.
  std::optional<bool> up;
};

/// Figures of the process itself (Linux /proc/self), for the standard `process_` metrics.
struct ProcessMetrics {
  double start_time_seconds = 0;  ///< UTC Unix time of the process start, seconds
  double cpu_seconds = 0;         ///< user + system CPU time, seconds
  std::uint64_t resident_bytes = 0;
  std::uint64_t virtual_bytes = 0;
  std::uint64_t open_fds = 0;
  std::uint64_t max_fds = 0;
};

/// Everything the endpoint shows, taken at one moment. Counters are since the process
/// started unless the field says otherwise.
struct MetricsSnapshot {
  std::string version;      ///< dockgate version, for dockgate_build_info
  std::string site;         ///< site.id
  std::string gateway;      ///< gateway.id
  std::int64_t now_ms = 0;  ///< UTC ms at the snapshot (for the oldest-unsent age)
  ProcessMetrics process;

  // Pipeline (scan -> milestone), since start.
  std::uint64_t reads = 0;
  std::uint64_t events = 0;   ///< milestones made from reads
  std::uint64_t invalid = 0;  ///< reads that became invalid_* exceptions
  std::uint64_t suppressed_repeats = 0;
  std::uint64_t dock_sessions_open = 0;

  // Buffer.
  std::uint64_t committed_events = 0;      ///< event rows committed since start
  std::uint64_t committed_exceptions = 0;  ///< exception rows committed since start
  buffer::OutboxStats outbox;              ///< backlog, file size, persistent totals

  // Uplink: counters already summed over every publisher of this process (a config reload
  // replaces the publisher).
  uplink::PublisherState publisher;

  std::vector<DriverMetrics> drivers;
};

/// Renders `s` as Prometheus text exposition format 0.0.4
/// (https://prometheus.io/docs/instrumenting/exposition_formats/), the body served with
/// Content-Type "text/plain; version=0.0.4; charset=utf-8". Every family has # HELP and
/// # TYPE; names follow https://prometheus.io/docs/practices/naming/ (prefix dockgate_,
/// counters end in _total, base units seconds and bytes); the process figures use the
/// standard `process_` names every Prometheus client library exports. Label values are
/// escaped (backslash, double quote, newline). Never throws except std::bad_alloc.
std::string render_metrics(const MetricsSnapshot& s);

}  // namespace dockgate::runtime
