// The retained status message on {prefix}/{site}/{gateway}/status.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace dockgate::uplink {

struct StatusFigures {
  bool online = false;
  std::string version;
  std::int64_t ts_ms = 0;                            ///< UTC ms when the status was made
  std::optional<std::uint64_t> backlog;              ///< rows not yet acknowledged by the broker
  std::optional<std::int64_t> oldest_unsent_age_ms;  ///< age of the oldest of them, ms
  std::optional<double> drain_rate;                  ///< rows acked per second since last status
  std::string reason;  ///< offline only: "stopped" | "connection lost"
};

/// JSON object text: {"online":bool,"version":str,"ts_ms":int[,"backlog":int,
/// "oldest_unsent_age_ms":int|null,"drain_rate":number][,"reason":str]} plus the members
/// of `extra_json` (a JSON object text from StatusExtraFn; "" = none). Core members win over
/// extra members of the same name. Throws nlohmann::json::exception when `extra_json` is
/// not a JSON object (the caller logs and publishes without it).
std::string status_json(const StatusFigures& figures, const std::string& extra_json);

}  // namespace dockgate::uplink
