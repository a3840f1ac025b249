// SPDX-License-Identifier: Apache-2.0
#include "agent/dock/dock_sessions.hpp"

#include <algorithm>
#include <cstdio>

#include "agent/core/time_format.hpp"
#include "agent/epcis/exception_event.hpp"

namespace dockgate {
namespace {

std::string minutes_text(std::int64_t ms) {
  return std::to_string(ms / 60000) + " min " + std::to_string((ms / 1000) % 60) + " s";
}

}  // namespace

DockSessions::DockSessions(DockSettings settings)
    : settings_(std::move(settings)),
      ids_(settings_.id_seed),
      epoch_rng_(settings_.id_seed != 0
                     ? settings_.id_seed ^ 0x9E3779B97F4A7C15ULL
                     : (std::uint64_t{std::random_device{}()} << 32) ^ std::random_device{}()) {
  for (const auto& d : settings_.doors) doors_[d.id] = Door{d, DoorState{}};
}

std::vector<PipelineOutput> DockSessions::bootstrap_state() {
  std::vector<PipelineOutput> out;
  for (auto& [id, door] : doors_) {
    if (!door.state.id_epoch.empty()) continue;
    assign_epoch(door);
    PipelineOutput only_state;
    only_state.location_id = id;
    only_state.state.push_back(state_change(door));
    out.push_back(std::move(only_state));
  }
  return out;
}

void DockSessions::assign_epoch(Door& door) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx",
                static_cast<unsigned long long>(epoch_rng_()));  // NOLINT(google-runtime-int)
  door.state.id_epoch = text;
}

void DockSessions::begin_transition(Door& door) {
  // Without bootstrap_state() (tests, or a door never stored) the epoch is made here; it
  // is durable from the transition's last output on.
  if (door.state.id_epoch.empty()) assign_epoch(door);
  ++door.state.transitions;
  in_transition_ = &door;
  transition_outputs_ = 0;
}

void DockSessions::end_transition(Door& door, bool happened) {
  if (!happened) --door.state.transitions;
  in_transition_ = nullptr;
}

std::string DockSessions::next_id(const Door& door, std::int64_t time_ms) {
  if (in_transition_ != &door || door.state.id_epoch.empty()) return ids_.next(time_ms);
  // One fact, one eventID: the same saved state and the same input give the same name.
  return name_based_event_id("dockgate/dock/" + settings_.gateway_id + "/" + door.info.id + "/" +
                             door.state.id_epoch + "/" + std::to_string(door.state.transitions) +
                             "/" + std::to_string(transition_outputs_++));
}

std::vector<std::string> DockSessions::restore(const std::map<std::string, std::string>& state) {
  std::vector<std::string> problems;
  const std::string prefix = kStatePrefix;
  for (const auto& [key, value] : state) {
    if (key.rfind(prefix, 0) != 0) continue;
    const std::string door_id = key.substr(prefix.size());
    auto it = doors_.find(door_id);
    if (it == doors_.end()) {
      problems.push_back("saved dock state for '" + door_id +
                         "' ignored: the door is no longer in the config");
      continue;
    }
    std::string error;
    auto st = door_state_from_json(value, error);
    if (!st) {
      std::string problem = "saved dock state for '" + door_id + "' is damaged (";
      problem += error;
      problem += "); the door starts without a session";
      problems.push_back(std::move(problem));
      continue;
    }
    it->second.state = std::move(*st);
  }
  return problems;
}

std::map<std::string, std::string> DockSessions::saved_state() const {
  std::map<std::string, std::string> all;
  for (const auto& [id, door] : doors_) all[kStatePrefix + id] = to_json(door.state);
  return all;
}

const DoorState* DockSessions::door(const std::string& id) const {
  auto it = doors_.find(id);
  return it == doors_.end() ? nullptr : &it->second.state;
}

dock::DockEventContext DockSessions::context(const Door& door, std::int64_t time_ms) {
  dock::DockEventContext ctx;
  ctx.gateway_id = settings_.gateway_id;
  ctx.site_gln = settings_.site_gln;
  ctx.location_id = door.info.id;
  ctx.gln_extension = door.info.gln_extension;
  ctx.direction = door.info.direction;
  ctx.driver_id = door.state.driver_id;
  ctx.device_id = door.state.device_id;
  ctx.time_ms = time_ms;
  ctx.tz_offset_minutes = settings_.tz_offset_minutes(time_ms);
  ctx.event_id = next_id(door, time_ms);
  ctx.trailer_present = door.state.trailer_present;
  ctx.door_open = door.state.door_open;
  return ctx;
}

PipelineOutput DockSessions::event(const dock::DockEventContext& ctx, std::string open_json) {
  PipelineOutput out;
  out.kind = PipelineOutput::Kind::event;
  out.open_json = std::move(open_json);
  out.seq_key = "dg:gatewaySeq";
  out.time_ms = ctx.time_ms;
  out.location_id = ctx.location_id;
  out.event_id = ctx.event_id;
  return out;
}

PipelineOutput DockSessions::exception(const Door& door, std::int64_t time_ms,
                                       const std::string& type, std::string reason,
                                       const std::string& related_event_id,
                                       const VisitDeviation* details) {
  epcis::ExceptionInfo info;
  info.type = type;
  info.reason = std::move(reason);
  info.gateway_id = settings_.gateway_id;
  info.site_id = settings_.site_id;
  info.location_id = door.info.id;
  info.read_point = epcis::read_point_uri(settings_.site_gln, door.info.gln_extension);
  info.driver_id = door.state.driver_id;
  info.time_ms = time_ms;
  info.tz_offset_minutes = settings_.tz_offset_minutes(time_ms);
  info.event_id = next_id(door, time_ms);
  if (door.state.session) info.extra.emplace_back("dockSessionId", door.state.session->id);
  if (!related_event_id.empty()) info.extra.emplace_back("relatedEventId", related_event_id);
  if (details != nullptr) {
    info.extra.insert(info.extra.end(), details->fields.begin(), details->fields.end());
    info.extra_numbers = details->numbers;
    info.extra_lists = details->lists;
  }
  PipelineOutput out;
  out.kind = PipelineOutput::Kind::exception;
  // A scan outside a session still counted (it got green): no red for it. An open door
  // without a trailer is a fall hazard: red and the buzzer.
  if (type == "door_open_without_trailer" || type == "door_open_too_long") {
    out.feedback = {FeedbackSignal::red, FeedbackSignal::buzzer};
  } else if (type != "scan_without_session") {
    out.feedback = {FeedbackSignal::red};
  }
  out.event_id = info.event_id;
  out.open_json = epcis::exception_event_open(info);
  out.seq_key = "gatewaySeq";
  out.time_ms = time_ms;
  out.location_id = door.info.id;
  return out;
}

StateChange DockSessions::state_change(const Door& door) {
  ++changes_;
  return StateChange{kStatePrefix + door.info.id, to_json(door.state)};
}

std::vector<PipelineOutput> DockSessions::on_signal(const DockSignal& signal) {
  std::vector<PipelineOutput> out;
  auto it = doors_.find(signal.location_id);
  if (it == doors_.end()) return out;  // config validation keeps this from happening
  Door& door = it->second;
  const std::string old_device = door.state.device_id;
  const std::string old_driver = door.state.driver_id;
  door.state.device_id = signal.device_id;
  door.state.driver_id = signal.driver_id;
  begin_transition(door);
  if (signal.point == kTrailerPresent) {
    on_trailer(door, signal, out);
  } else if (signal.point == kDoorOpen) {
    on_door(door, signal, out);
  } else {
    const auto ctx = context(door, signal.time_ms);
    out.push_back(
        event(ctx, dock::sensor_event_open(ctx, signal.point, signal.value,
                                           door.state.session ? &*door.state.session : nullptr)));
  }
  end_transition(door, !out.empty());
  if (out.empty()) {
    // Nothing happened; a new device id alone is kept with the next real change.
    door.state.device_id = old_device;
    door.state.driver_id = old_driver;
    return out;
  }
  out.back().state.push_back(state_change(door));
  return out;
}

void DockSessions::on_trailer(Door& door, const DockSignal& signal,
                              std::vector<PipelineOutput>& out) {
  DoorState& st = door.state;
  if (st.trailer_present == signal.value) return;
  const bool known = st.trailer_present.has_value();
  st.trailer_present = signal.value;
  if (signal.value) {
    if (!st.session) {
      DockSession s;
      s.id = next_id(door, signal.time_ms);
      s.opened_ms = signal.time_ms;
      if (st.door_open == true) s.door_opened_ms = signal.time_ms;
      st.session = std::move(s);
      const auto ctx = context(door, signal.time_ms);
      out.push_back(event(ctx, dock::arriving_event_open(ctx, *st.session)));
      if (visits_ != nullptr) {
        for (auto& c : visits_->on_session_opened(door.info.id, signal.time_ms)) {
          out.back().state.push_back(std::move(c));
        }
      }
    } else {
      // Back before the door closed: the same session goes on. Only the state changes.
      PipelineOutput only_state;
      only_state.time_ms = signal.time_ms;
      only_state.location_id = door.info.id;
      out.push_back(std::move(only_state));
    }
    return;
  }
  if (!st.session) {
    if (known) {
      PipelineOutput only_state;
      only_state.time_ms = signal.time_ms;
      only_state.location_id = door.info.id;
      out.push_back(std::move(only_state));
    }
    return;
  }
  if (st.door_open == true) {
    // The session closes when the door does; the open door is a hazard now.
    out.push_back(exception(door, signal.time_ms, "door_open_without_trailer",
                            "the trailer left " + door.info.id + " while the door is open"));
    return;
  }
  close_session(door, signal.time_ms, out);
}

void DockSessions::on_door(Door& door, const DockSignal& signal, std::vector<PipelineOutput>& out) {
  DoorState& st = door.state;
  if (st.door_open == signal.value) return;
  const bool known = st.door_open.has_value();
  st.door_open = signal.value;
  if (!known && !signal.value) {
    // The first report of a closed door (a new gateway): nothing happened, only remember it.
    PipelineOutput only_state;
    only_state.time_ms = signal.time_ms;
    only_state.location_id = door.info.id;
    out.push_back(std::move(only_state));
    return;
  }
  const DockSession* session = st.session ? &*st.session : nullptr;
  if (signal.value) {
    st.door_open_since_ms = signal.time_ms;
    st.door_open_alarm_raised = false;
    if (st.session && st.session->door_opened_ms == 0) st.session->door_opened_ms = signal.time_ms;
    const auto ctx = context(door, signal.time_ms);
    out.push_back(event(ctx, dock::door_event_open(ctx, true, session)));
    if (st.trailer_present != true) {
      out.push_back(exception(door, signal.time_ms, "door_open_without_trailer",
                              door.info.id + " opened with no trailer at the door"));
    }
    return;
  }
  st.door_open_alarm_raised = false;
  const auto ctx = context(door, signal.time_ms);
  out.push_back(event(ctx, dock::door_event_open(ctx, false, session)));
  if (st.session && st.trailer_present == false) close_session(door, signal.time_ms, out);
}

void DockSessions::close_session(Door& door, std::int64_t time_ms,
                                 std::vector<PipelineOutput>& out) {
  const DockSession& session = *door.state.session;
  const auto ctx = context(door, time_ms);
  VisitOutcome visit;
  if (visits_ != nullptr) visit = visits_->on_session_closed(door.info.id, session, time_ms);
  out.push_back(event(ctx, dock::session_closed_event_open(ctx, session, visit.event_fields)));
  const std::string closing_id = out.back().event_id;
  for (auto& c : visit.state) out.back().state.push_back(std::move(c));
  for (const auto& d : visit.deviations) {
    out.push_back(exception(door, time_ms, d.type, d.reason, closing_id, &d));
  }
  if (door.info.direction == epcis::Direction::outbound && session.handling_units == 0) {
    // Built while the session is still open, so it names it like every other exception.
    out.push_back(exception(door, time_ms, "empty_departure",
                            "the trailer left outbound " + door.info.id +
                                " with no handling unit scanned in the session",
                            closing_id));
  }
  door.state.session.reset();
}

bool DockSessions::is_transport(const Identification& id) const {
  const auto& opts = settings_.options;
  for (const auto& name : opts.transport_patterns) {
    if (id.source == "pattern:" + name) return true;
  }
  for (const auto& epc : id.epcs) {
    for (const auto& ai : opts.transport_ais) {
      if (epc.rfind("https://id.gs1.org/" + ai + "/", 0) == 0) return true;
    }
  }
  return false;
}

ScanDecoration DockSessions::decorate(const ScanRead& read, const Identification& id) {
  ScanDecoration deco;
  auto it = doors_.find(read.location_id);
  if (it == doors_.end()) return deco;
  Door& door = it->second;
  DoorState& st = door.state;
  if (!st.session) {
    const bool sensored =
        settings_.sensor_doors.count(door.info.id) != 0 || st.trailer_present.has_value();
    if (sensored && settings_.options.flag_scan_without_session) {
      const std::int64_t t = read.time_ms;
      deco.followups = [this, &door, t](const std::string& event_id) {
        return std::vector<PipelineOutput>{
            exception(door, t, "scan_without_session",
                      "scan at " + door.info.id +
                          " with no dock session open (no trailer reported at the door); "
                          "the scan was recorded",
                      event_id)};
      };
    }
    return deco;
  }
  DockSession& s = *st.session;
  deco.extensions.emplace_back("dg:dockSessionId", s.id);
  if (is_transport(id)) {
    s.transport_id = id.epcs.empty() ? id.source : id.epcs.front();
    deco.biz_step = "arriving";
    deco.milestone = "transport_identified";
    deco.extensions.emplace_back("dg:transportId", s.transport_id);
  } else {
    if (!s.transport_id.empty()) deco.extensions.emplace_back("dg:transportId", s.transport_id);
    ++s.handling_units;
    for (const auto& epc : id.epcs) {
      if (std::find(s.epcs.begin(), s.epcs.end(), epc) != s.epcs.end()) continue;
      if (s.epcs.size() >= settings_.options.max_session_epcs) {
        s.epcs_truncated = true;
        continue;
      }
      s.epcs.push_back(epc);
    }
  }
  deco.state.push_back(state_change(door));
  return deco;
}

std::vector<PipelineOutput> DockSessions::on_tick(std::int64_t now_ms) {
  std::vector<PipelineOutput> out;
  const auto limit = settings_.options.door_open_alarm.count();
  if (limit <= 0) return out;
  for (auto& [id, door] : doors_) {
    DoorState& st = door.state;
    if (st.door_open != true || st.door_open_alarm_raised) continue;
    const std::int64_t open_for = now_ms - st.door_open_since_ms;
    if (open_for < limit) continue;
    st.door_open_alarm_raised = true;
    begin_transition(door);
    PipelineOutput ex = exception(door, now_ms, "door_open_too_long",
                                  id + " has been open for " + minutes_text(open_for) + " (limit " +
                                      minutes_text(limit) + ")");
    end_transition(door, true);
    ex.state.push_back(state_change(door));
    out.push_back(std::move(ex));
  }
  return out;
}

nlohmann::json DockSessions::status_json() const {
  nlohmann::json all = nlohmann::json::object();
  for (const auto& [id, door] : doors_) {
    const DoorState& st = door.state;
    if (!st.trailer_present && !st.door_open && !st.session) continue;
    nlohmann::json j;
    j["trailerPresent"] = st.trailer_present ? nlohmann::json(*st.trailer_present) : nullptr;
    j["doorOpen"] = st.door_open ? nlohmann::json(*st.door_open) : nullptr;
    if (st.session) {
      j["dockSessionId"] = st.session->id;
      j["sessionOpenedAt"] = format_utc_ms(st.session->opened_ms);
      j["handlingUnits"] = st.session->handling_units;
      if (!st.session->transport_id.empty()) j["transportId"] = st.session->transport_id;
    }
    all[id] = std::move(j);
  }
  return all;
}

}  // namespace dockgate
