// SPDX-License-Identifier: Apache-2.0
#include "uplink/status_payload.hpp"

#include <cmath>
#include <nlohmann/json.hpp>

namespace dockgate::uplink {

std::string status_json(const StatusFigures& figures, const std::string& extra_json) {
  nlohmann::json doc = nlohmann::json::object();
  if (!extra_json.empty()) {
    doc = nlohmann::json::parse(extra_json);
    if (!doc.is_object()) {
      throw nlohmann::json::type_error::create(302, "status extra is not a JSON object", nullptr);
    }
  }
  doc["online"] = figures.online;
  doc["version"] = figures.version;
  doc["timeMs"] = figures.ts_ms;
  if (figures.backlog) {
    doc["backlogCount"] = *figures.backlog;
    doc["oldestUnsentAgeMs"] = figures.oldest_unsent_age_ms
                                   ? nlohmann::json(*figures.oldest_unsent_age_ms)
                                   : nlohmann::json(nullptr);
    doc["lastGatewaySeq"] = figures.last_seq;
    doc["retainedCount"] = figures.retained;
  }
  if (figures.drain_rate) doc["drainRate"] = std::round(*figures.drain_rate * 10.0) / 10.0;
  if (!figures.reason.empty()) doc["reason"] = figures.reason;
  if (figures.alarms) {
    nlohmann::json alarms = nlohmann::json::array();
    for (const auto& a : *figures.alarms) {
      nlohmann::json j = {{"kind", a.kind}};
      if (a.reason_code != 0) j["reasonCode"] = a.reason_code;
      j["reason"] = a.reason;
      j["topic"] = a.topic;
      j["since"] = a.since_ms;
      alarms.push_back(std::move(j));
    }
    doc["alarms"] = std::move(alarms);
    doc["publishRejectedTotal"] = figures.publish_rejected_total;
  }
  return doc.dump();
}

}  // namespace dockgate::uplink
