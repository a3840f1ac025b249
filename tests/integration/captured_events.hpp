// SPDX-License-Identifier: Apache-2.0
// Flattens what a capture received on the events topic into single EPCIS events.
#pragma once

#include <nlohmann/json.hpp>

#include <vector>

#include "tests/support/mqtt_capture.hpp"

namespace dockgate::test {

/// Every event in every EPCIS document received on `topic`, in arrival order.
inline std::vector<nlohmann::json> events_of(const MqttCapture& capture, const std::string& topic) {
  std::vector<nlohmann::json> out;
  for (const auto& m : capture.on(topic)) {
    auto doc = nlohmann::json::parse(m.payload);
    for (auto& e : doc["epcisBody"]["eventList"]) out.push_back(e);
  }
  return out;
}

/// Number of events received so far (documents may hold several).
inline std::size_t event_count(const std::vector<CapturedMessage>& all, const std::string& topic) {
  std::size_t n = 0;
  for (const auto& m : all) {
    if (m.topic != topic) continue;
    auto doc = nlohmann::json::parse(m.payload, nullptr, false);
    if (!doc.is_discarded()) n += doc["epcisBody"]["eventList"].size();
  }
  return n;
}

}  // namespace dockgate::test
