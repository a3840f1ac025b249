// SPDX-License-Identifier: Apache-2.0
#include "uplink/replay_request.hpp"

#include <nlohmann/json.hpp>

namespace dockgate::uplink {
namespace {

/// gatewaySeqs are SQLite rowids: at most 2^63 - 1.
constexpr std::uint64_t kMaxSeq = 9'223'372'036'854'775'807ULL;

/// A JSON number that is an integer from 1 to kMaxSeq (also 12.0), or nullopt.
std::optional<std::uint64_t> seq_of(const nlohmann::json& v) {
  if (v.is_number_unsigned()) {
    const auto n = v.get<std::uint64_t>();
    return n >= 1 && n <= kMaxSeq ? std::optional(n) : std::nullopt;
  }
  if (v.is_number_float()) {
    const double d = v.get<double>();
    if (d >= 1 && d <= 9.0e15 && d == static_cast<double>(static_cast<std::uint64_t>(d))) {
      return static_cast<std::uint64_t>(d);
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<ReplayRequest> parse_replay_request(std::string_view payload, std::string& request_id,
                                                  std::string& error) {
  request_id.clear();
  const nlohmann::json j = nlohmann::json::parse(payload, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    error = "not a JSON object";
    return std::nullopt;
  }
  const auto id = j.find("requestId");
  if (id == j.end() || !id->is_string()) {
    error = "requestId (a string) is missing";
    return std::nullopt;
  }
  request_id = id->get<std::string>();
  if (request_id.empty() || request_id.size() > 128) {
    error = "requestId must be 1-128 bytes";
    return std::nullopt;
  }
  ReplayRequest r;
  r.request_id = request_id;
  const std::pair<const char*, std::uint64_t*> fields[] = {{"fromSeq", &r.from_seq},
                                                           {"toSeq", &r.to_seq}};
  for (const auto& [key, out] : fields) {
    const auto it = j.find(key);
    const std::optional<std::uint64_t> seq = it == j.end() ? std::nullopt : seq_of(*it);
    if (!seq) {
      error = std::string(key) + " must be an integer from 1 to 2^63-1";
      return std::nullopt;
    }
    *out = *seq;
  }
  if (r.from_seq > r.to_seq) {
    error = "fromSeq is above toSeq";
    return std::nullopt;
  }
  if (r.to_seq - r.from_seq >= kMaxReplaySeqs) {
    error = "the range holds more than " + std::to_string(kMaxReplaySeqs) +
            " seqs; split it into several requests";
    return std::nullopt;
  }
  return r;
}

std::string replay_response_json(const ReplayOutcome& o) {
  nlohmann::json j = {{"requestId", o.request_id},    {"status", o.status},
                      {"fromSeq", o.from_seq},        {"toSeq", o.to_seq},
                      {"republished", o.republished}, {"pending", o.pending},
                      {"failed", o.failed},           {"unavailableCount", o.coverage.missing}};
  nlohmann::json ranges = nlohmann::json::array();
  for (const auto& r : o.coverage.missing_ranges) {
    ranges.push_back({{"fromSeq", r.from_seq}, {"toSeq", r.to_seq}});
  }
  j["unavailable"] = std::move(ranges);
  if (!o.error.empty()) j["error"] = o.error;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace dockgate::uplink
