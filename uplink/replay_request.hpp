// SPDX-License-Identifier: Apache-2.0
// The replay command's wire format: the request the central side publishes on
// {prefix}/{site}/{gateway}/cmd/replay and the answer on .../cmd/replay/response. Pure JSON
// in and out, so the format is tested without a broker (uplink/README.md, "Commands").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "buffer/outbox.hpp"

namespace dockgate::uplink {

/// A request to republish the records with fromSeq <= dg:gatewaySeq <= toSeq.
struct ReplayRequest {
  std::string request_id;  ///< echoed in the answer; 1-128 bytes
  std::uint64_t from_seq = 0;
  std::uint64_t to_seq = 0;
};

/// Largest range one request may name (seqs). A consumer replays more in several requests.
inline constexpr std::uint64_t kMaxReplaySeqs = 10'000'000;
/// Missing ranges listed in one answer; `unavailableCount` always has the full count.
inline constexpr std::size_t kMaxListedRanges = 100;

/// Parses `{"fromSeq": A, "toSeq": B, "requestId": "..."}` (other members are ignored).
/// Returns nullopt and sets `error` when it is not a JSON object, requestId is missing, not a
/// string or not 1-128 bytes, fromSeq/toSeq are missing or not integers 1 .. 2^63-1 (SQLite
/// rowids), fromSeq >
/// toSeq, or the range holds more than kMaxReplaySeqs seqs. `request_id` receives the
/// requestId whenever it could be read, also on error, so the rejection can name it.
std::optional<ReplayRequest> parse_replay_request(std::string_view payload, std::string& request_id,
                                                  std::string& error);

/// How a replay ended, for the answer.
struct ReplayOutcome {
  std::string request_id;
  std::string status;  ///< "done", "rejected" (bad request) or "busy" (too many queued)
  std::uint64_t from_seq = 0;
  std::uint64_t to_seq = 0;
  std::uint64_t republished = 0;  ///< kept records sent again and acknowledged (PUBACK)
  /// Records still waiting for their first delivery: they go out anyway, not replayed.
  std::uint64_t pending = 0;
  /// Records the broker refused to take again (MQTT 5 PUBACK >= 0x80).
  std::uint64_t failed = 0;
  buffer::RangeCoverage coverage;  ///< missing / missing_ranges: no longer available
  std::string error;               ///< why it was rejected or busy ("" when done)
};

/// The answer as JSON text: {"requestId","status","fromSeq","toSeq","republished","pending",
/// "failed","unavailableCount","unavailable":[{"fromSeq","toSeq"}...],"error"?}.
std::string replay_response_json(const ReplayOutcome& outcome);

}  // namespace dockgate::uplink
