// SPDX-License-Identifier: Apache-2.0
// The retained status message on {prefix}/{site}/{gateway}/status.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dockgate::uplink {

/// A condition that stops rows from being delivered although the connection is up, shown
/// in the status message's "alarms" array until it clears.
struct StatusAlarm {
  /// "publish_rejected" (an MQTT 5 PUBACK reason code >= 0x80), "message_too_large" (one
  /// row's message exceeds the broker's Maximum Packet Size) or "subscribe_rejected" (a SUBACK
  /// refused a topic filter: MQTT 5 reason code >= 0x80, or 3.1.1 return code 0x80).
  std::string kind;
  int reason_code = 0;        ///< MQTT 5 reason code (section 2.4) / 3.1.1 SUBACK 0x80; 0 = omitted
  std::string reason;         ///< "not authorized", or what is too large
  std::string topic;          ///< topic of the refused message, or the refused topic filter
  std::int64_t since_ms = 0;  ///< UTC ms when the alarm was raised
};

struct StatusFigures {
  bool online = false;
  std::string version;
  std::int64_t ts_ms = 0;                            ///< UTC ms when the status was made
  std::optional<std::uint64_t> backlog;              ///< rows not yet acknowledged by the broker
  std::optional<std::int64_t> oldest_unsent_age_ms;  ///< age of the oldest of them, ms
  /// Highest dg:gatewaySeq assigned (with backlog): a consumer sees loss at the end of a
  /// quiet gateway's stream by comparing it with the last number it received.
  std::uint64_t last_seq = 0;
  /// Acknowledged rows kept for replay (buffer.retain_delivered), with backlog.
  std::uint64_t retained = 0;
  std::optional<double> drain_rate;  ///< rows acked per second since last status
  std::string reason;                ///< offline only: "stopped" | "connection lost"
  /// Active alarms; written (also when empty) together with publishRejectedTotal when set.
  std::optional<std::vector<StatusAlarm>> alarms;
  std::uint64_t publish_rejected_total = 0;  ///< PUBACKs with a reason code >= 0x80 so far
};

/// JSON object text: {"online":bool,"version":str,"timeMs":int[,"backlogCount":int,
/// "oldestUnsentAgeMs":int|null,"lastGatewaySeq":int,"retainedCount":int,"drainRate":number][,"reason":str][,"alarms":[{"kind":str,
/// ["reasonCode":int,]"reason":str,"topic":str,"since":int}...],"publishRejectedTotal":int]}
/// plus the members
/// of `extra_json` (a JSON object text from StatusExtraFn; "" = none). Core members win over
/// extra members of the same name. Throws nlohmann::json::exception when `extra_json` is
/// not a JSON object (the caller logs and publishes without it).
std::string status_json(const StatusFigures& figures, const std::string& extra_json);

}  // namespace dockgate::uplink
