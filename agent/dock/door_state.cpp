// SPDX-License-Identifier: Apache-2.0
#include "agent/dock/door_state.hpp"

#include <nlohmann/json.hpp>

namespace dockgate {
namespace {

using Json = nlohmann::json;

Json optional_bool(const std::optional<bool>& v) {
  return v ? Json(*v) : Json(nullptr);
}

std::optional<bool> read_optional_bool(const Json& j, const char* key) {
  if (!j.contains(key) || j.at(key).is_null()) return std::nullopt;
  return j.at(key).get<bool>();
}

}  // namespace

std::string to_json(const DoorState& state) {
  Json j;
  j["trailerPresent"] = optional_bool(state.trailer_present);
  j["doorOpen"] = optional_bool(state.door_open);
  j["doorOpenSinceMs"] = state.door_open_since_ms;
  j["doorOpenAlarmRaised"] = state.door_open_alarm_raised;
  j["deviceId"] = state.device_id;
  j["driverId"] = state.driver_id;
  j["idEpoch"] = state.id_epoch;
  j["transitions"] = state.transitions;
  if (state.session) {
    const DockSession& s = *state.session;
    j["session"] = {{"id", s.id},
                    {"openedMs", s.opened_ms},
                    {"transportId", s.transport_id},
                    {"epcList", s.epcs},
                    {"handlingUnits", s.handling_units},
                    {"epcListTruncated", s.epcs_truncated},
                    {"doorOpenedMs", s.door_opened_ms}};
  } else {
    j["session"] = nullptr;
  }
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::optional<DoorState> door_state_from_json(const std::string& text, std::string& error) {
  try {
    const Json j = Json::parse(text);
    DoorState st;
    st.trailer_present = read_optional_bool(j, "trailerPresent");
    st.door_open = read_optional_bool(j, "doorOpen");
    st.door_open_since_ms = j.value("doorOpenSinceMs", std::int64_t{0});
    st.door_open_alarm_raised = j.value("doorOpenAlarmRaised", false);
    st.device_id = j.value("deviceId", std::string());
    st.driver_id = j.value("driverId", std::string());
    st.id_epoch = j.value("idEpoch", std::string());
    st.transitions = j.value("transitions", std::uint64_t{0});
    if (j.contains("session") && !j.at("session").is_null()) {
      const Json& js = j.at("session");
      DockSession s;
      s.id = js.at("id").get<std::string>();
      s.opened_ms = js.at("openedMs").get<std::int64_t>();
      s.transport_id = js.value("transportId", std::string());
      s.epcs = js.value("epcList", std::vector<std::string>{});
      s.handling_units = js.value("handlingUnits", std::uint64_t{0});
      s.epcs_truncated = js.value("epcListTruncated", false);
      s.door_opened_ms = js.value("doorOpenedMs", std::int64_t{0});
      if (s.id.empty()) throw std::runtime_error("session without an id");
      st.session = std::move(s);
    }
    return st;
  } catch (const std::exception& e) {
    error = e.what();
    return std::nullopt;
  }
}

}  // namespace dockgate
