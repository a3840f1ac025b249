// SPDX-License-Identifier: Apache-2.0
// Pulls the few fields a benchmark needs out of dockgate's MQTT payloads without a JSON
// parse: the subscriber must stay far cheaper than the agent it measures. Relies on the
// agent's own layout (dg:gatewaySeq is the last field of each event, see
// agent/epcis/object_event.hpp); check_document() validates that layout with a real parser.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dockgate::bench {

/// Serial reference `n` of an SSCC made by tests/integration/sscc.hpp `sscc(n)`.
inline constexpr std::uint64_t kNoSerial = UINT64_MAX;

/// One event of an EPCIS document on the events topic.
struct ScannedEvent {
  std::uint64_t gateway_seq = 0;     ///< "dg:gatewaySeq"
  std::uint64_t serial = kNoSerial;  ///< from the first epcList entry .../00/<SSCC>, else kNoSerial
};

/// Appends every event of `document` to `out`, in document order. Events without
/// "dg:gatewaySeq" are not reported. Never throws on malformed text (it finds fewer events).
void scan_events(std::string_view document, std::vector<ScannedEvent>& out);

/// "gatewaySeq" of an exception message (exceptions topic), nullopt when absent.
std::optional<std::uint64_t> exception_seq(std::string_view message);

/// Parses `document` with nlohmann::json and checks it is an EPCIS 2.0 document whose
/// eventList matches what scan_events() finds. Returns "" when it does, else what differs.
std::string check_document(std::string_view document);

}  // namespace dockgate::bench
