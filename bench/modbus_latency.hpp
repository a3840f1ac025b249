// SPDX-License-Identifier: Apache-2.0
// The latency half of bench/modbus_bench: trailer_present toggles at random doors of the
// ModbusDoorServer, each timed from the server's table change to the next read of that unit
// (the poll wait), to the agent's commit (outbox meta.last_seq) or to Node-RED's MQTT event,
// and to the MQTT subscriber. A random door is flipped each time (so every door alternates
// rise / fall), every change-interval +-50 ms: the changes land anywhere in the poll cycle.
#pragma once

#include <sys/types.h>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>

#include "bench/modbus_door_server.hpp"
#include "bench/modbus_message_log.hpp"

namespace dockgate::bench {

struct LatencyOptions {
  int changes = 200;             ///< toggles
  int change_interval_ms = 300;  ///< between toggles, +-50 ms jitter
  unsigned seed = 42;            ///< door choice and jitter
};

/// Against the agent (pid) writing the outbox `db_path` and publishing to the subscriber
/// that fills `log` (its messages from index `log_from` on; every agent run numbers its
/// events from 1). Checks that each change's event arrived as the expected milestone
/// (arriving / unloading_complete of an inbound door) at the right door under the gatewaySeq
/// the commit gave it. {"changes", "missed", "change_to_committed": {n, p50_ms, p90_ms,
/// p99_ms, max_ms, mean_ms}, "change_to_next_read", "next_read_to_committed",
/// "change_to_mqtt_received", "events_seen", "events_wrong_or_missing", "cpu"}. Leaves every
/// trailer input 0 again. Throws std::runtime_error when the outbox cannot be read.
nlohmann::ordered_json agent_latency_phase(ModbusDoorServer& server, const std::string& db_path,
                                           int doors, const MessageLog& log, std::size_t log_from,
                                           pid_t pid, const LatencyOptions& o);

/// Against Node-RED (pid): done = its JSON event for that door and value reached the
/// subscriber (topic kNodeRedEventsTopic). Same shape with "mqtt_received" in the names.
nlohmann::ordered_json node_red_latency_phase(ModbusDoorServer& server, int doors, MessageLog& log,
                                              pid_t pid, const LatencyOptions& o);

}  // namespace dockgate::bench
