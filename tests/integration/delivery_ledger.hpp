// SPDX-License-Identifier: Apache-2.0
// What an independent consumer can prove from what it received: every gatewaySeq from 1 to
// the gateway's last one arrived (no committed record lost), and every copy of a seq is the
// same record (a duplicate after a reconnect carries the same eventID). Events and
// exceptions share one sequence (README, "What goes over MQTT").
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "tests/support/mqtt_capture.hpp"

namespace dockgate::test {

/// Every record (EPCIS event or exception) a capture received, by gatewaySeq.
class DeliveryLedger {
 public:
  /// Reads all messages on `events_topic` (EPCIS documents, "dg:gatewaySeq" per event) and
  /// `exceptions_topic` (one exception per message, "gatewaySeq"). Unparseable payloads are
  /// counted in malformed().
  DeliveryLedger(const std::vector<CapturedMessage>& all, const std::string& events_topic,
                 const std::string& exceptions_topic) {
    for (const auto& m : all) {
      if (m.topic != events_topic && m.topic != exceptions_topic) continue;
      auto doc = nlohmann::json::parse(m.payload, nullptr, false);
      if (doc.is_discarded() || !doc.is_object()) {
        ++malformed_;
        continue;
      }
      if (m.topic == exceptions_topic) {
        add(doc.value("gatewaySeq", std::uint64_t{0}), doc);
        continue;
      }
      for (const auto& e : doc["epcisBody"]["eventList"]) {
        add(e.value("dg:gatewaySeq", std::uint64_t{0}), e);
      }
    }
  }

  /// Seqs in 1..last that never arrived.
  [[nodiscard]] std::vector<std::uint64_t> missing(std::uint64_t last) const {
    std::vector<std::uint64_t> out;
    for (std::uint64_t s = 1; s <= last; ++s) {
      if (!by_seq_.contains(s)) out.push_back(s);
    }
    return out;
  }
  /// Seqs whose copies differ (another eventID or other content): a reused gatewaySeq.
  [[nodiscard]] const std::vector<std::uint64_t>& conflicts() const { return conflicts_; }
  /// Copies beyond the first of a seq (re-deliveries after a reconnect: allowed).
  [[nodiscard]] std::size_t duplicates() const { return duplicates_; }
  [[nodiscard]] std::size_t distinct() const { return by_seq_.size(); }
  [[nodiscard]] std::size_t malformed() const { return malformed_; }
  /// Distinct eventIDs; equals distinct() when no two seqs share an eventID.
  [[nodiscard]] std::size_t distinct_event_ids() const {
    std::map<std::string, int> ids;
    for (const auto& [seq, e] : by_seq_) ids[e.value("eventID", "")]++;
    return ids.size();
  }
  [[nodiscard]] const std::map<std::uint64_t, nlohmann::json>& records() const { return by_seq_; }

 private:
  void add(std::uint64_t seq, const nlohmann::json& record) {
    auto [it, inserted] = by_seq_.emplace(seq, record);
    if (inserted) return;
    ++duplicates_;
    if (it->second != record) conflicts_.push_back(seq);
  }

  std::map<std::uint64_t, nlohmann::json> by_seq_;
  std::vector<std::uint64_t> conflicts_;
  std::size_t duplicates_ = 0;
  std::size_t malformed_ = 0;
};

}  // namespace dockgate::test
