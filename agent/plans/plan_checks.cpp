// SPDX-License-Identifier: Apache-2.0
#include "agent/plans/plan_checks.hpp"

#include <algorithm>
#include <utility>

#include "agent/epcis/exception_event.hpp"
#include "agent/epcis/object_event.hpp"

namespace dockgate::plans {
namespace {

using Json = nlohmann::json;

std::map<std::string, epcis::Direction> directions(const std::vector<DoorInfo>& doors) {
  std::map<std::string, epcis::Direction> out;
  for (const auto& d : doors) out[d.id] = d.direction;
  return out;
}

// Worst first: the milestone's dg:planCheck names the worst verdict of its units.
int severity(UnitCheck::Kind k) {
  switch (k) {
    case UnitCheck::Kind::misrouted:
      return 4;
    case UnitCheck::Kind::over_shipment:
      return 3;
    case UnitCheck::Kind::unexpected_unit:
      return 2;
    case UnitCheck::Kind::expected:
      return 1;
    case UnitCheck::Kind::repeat:
      return 0;
  }
  return 0;
}

const char* kind_text(UnitCheck::Kind k) {
  switch (k) {
    case UnitCheck::Kind::misrouted:
      return "misrouted";
    case UnitCheck::Kind::over_shipment:
      return "over_shipment";
    case UnitCheck::Kind::unexpected_unit:
      return "unexpected_unit";
    case UnitCheck::Kind::expected:
      return "expected";
    case UnitCheck::Kind::repeat:
      return "repeat";
  }
  return "expected";
}

std::string unit_value(const std::string& unit) {
  const auto colon = unit.find(':');
  return colon == std::string::npos ? unit : unit.substr(colon + 1);
}

std::string lines_text(const std::vector<LineDelta>& lines) {
  std::string out;
  for (const auto& l : lines) {
    if (!out.empty()) out += ", ";
    out += "GTIN " + l.gtin + " " + std::to_string(l.actual) + " of " + std::to_string(l.planned);
  }
  return out;
}

std::vector<std::string> lines_list(const std::vector<LineDelta>& lines) {
  std::vector<std::string> out;
  out.reserve(lines.size());
  for (const auto& l : lines) {
    out.push_back(l.gtin + ":" + std::to_string(l.actual) + "/" + std::to_string(l.planned));
  }
  return out;
}

}  // namespace

PlanChecks::PlanChecks(PlanCheckSettings settings, ScanDecorator* inner)
    : settings_(std::move(settings)),
      inner_(inner),
      matcher_(settings_.options, directions(settings_.doors)),
      ids_(settings_.id_seed) {
  for (const auto& d : settings_.doors) doors_[d.id] = d;
}

void PlanChecks::reconfigure(PlanCheckSettings settings) {
  settings_ = std::move(settings);
  doors_.clear();
  for (const auto& d : settings_.doors) doors_[d.id] = d;
  matcher_.reconfigure(settings_.options, directions(settings_.doors));
  ++changes_;
}

PlanIntake PlanChecks::receive(const std::string& text, const std::string& expected_id,
                               const std::string& source, std::int64_t now_ms) {
  PlanIntake in;
  in.plan_id = expected_id;
  auto reject = [&](const std::string& why) {
    in.outcome = PlanIntake::Outcome::rejected;
    in.error = why;
    in.rejection = plan_rejected(in.plan_id, source, why, now_ms);
    return in;
  };
  if (text.empty()) {  // cleared retained message / removed file: withdraw whatever revision
    if (matcher_.book().find(expected_id) == nullptr) {
      in.outcome = PlanIntake::Outcome::unknown;
      return in;
    }
    in.revision = matcher_.book().find(expected_id)->plan.revision;
    in.outcome = PlanIntake::Outcome::cancelled;
    in.state = remove(expected_id);
    return in;
  }
  PlanParse parsed = parse_plan(text, expected_id);
  if (!parsed.error.empty()) return reject(parsed.error);
  in.plan_id = parsed.cancelled ? parsed.plan_id : parsed.plan->plan_id;
  in.revision = parsed.cancelled ? parsed.revision : parsed.plan->revision;
  if (parsed.cancelled) {
    const HeldPlan* held = matcher_.book().find(in.plan_id);
    if (held == nullptr || in.revision < held->plan.revision) {
      in.outcome = PlanIntake::Outcome::unknown;
      return in;
    }
    in.outcome = PlanIntake::Outcome::cancelled;
    in.state = remove(in.plan_id);
    return in;
  }
  for (std::size_t i = 0; i < parsed.plan->doors.size(); ++i) {
    if (doors_.count(parsed.plan->doors[i]) == 0) {
      return reject("doors[" + std::to_string(i) + "]: '" + parsed.plan->doors[i] +
                    "' is not a location of this gateway");
    }
  }
  const auto put = matcher_.book().put(std::move(*parsed.plan), source, now_ms);
  if (put == PlanBook::Put::stale) {
    in.outcome = PlanIntake::Outcome::stale;
    return in;
  }
  ++changes_;
  in.outcome =
      put == PlanBook::Put::added ? PlanIntake::Outcome::accepted : PlanIntake::Outcome::replaced;
  return in;
}

PipelineOutput PlanChecks::plan_rejected(const std::string& plan_id, const std::string& source,
                                         const std::string& why, std::int64_t now_ms) {
  VisitDeviation d;
  d.fields = {{"planId", plan_id}, {"source", source}};
  PipelineOutput out =
      exception("plan_rejected", "plan " + plan_id + " from " + source + " was rejected: " + why,
                "", "plans", now_ms, std::move(d), "");
  out.feedback.clear();  // a central-system problem: nothing to show at a door
  return out;
}

std::string PlanChecks::load(const std::string& text, const std::string& plan_id,
                             const std::string& source, std::int64_t received_ms) {
  PlanParse parsed = parse_plan(text, plan_id);
  if (!parsed.error.empty() || !parsed.plan) {
    return "stored plan " + plan_id + " is no longer valid: " + parsed.error;
  }
  for (const auto& door : parsed.plan->doors) {
    if (doors_.count(door) == 0) {
      std::string why = "stored plan " + plan_id + " names door '";
      why += door;
      why += "', which is no longer configured";
      return why;
    }
  }
  matcher_.book().put(std::move(*parsed.plan), source, received_ms);
  ++changes_;
  return {};
}

std::vector<StateChange> PlanChecks::remove(const std::string& plan_id) {
  matcher_.book().erase(plan_id);
  matcher_.drop(plan_id);
  ++changes_;
  return PlanMatcher::forget(plan_id);
}

PipelineOutput PlanChecks::exception(const std::string& type, std::string reason,
                                     const std::string& door, const std::string& driver_id,
                                     std::int64_t time_ms, VisitDeviation details,
                                     const std::string& related_event_id) {
  epcis::ExceptionInfo info;
  info.type = type;
  info.reason = std::move(reason);
  info.gateway_id = settings_.gateway_id;
  info.site_id = settings_.site_id;
  info.location_id = door;
  if (auto it = doors_.find(door); it != doors_.end()) {
    info.read_point = epcis::read_point_uri(settings_.site_gln, it->second.gln_extension);
  }
  info.driver_id = driver_id;
  info.time_ms = time_ms;
  info.tz_offset_minutes = settings_.tz_offset_minutes(time_ms);
  info.event_id = ids_.next(time_ms);
  if (!related_event_id.empty()) info.extra.emplace_back("relatedEventId", related_event_id);
  info.extra.insert(info.extra.end(), details.fields.begin(), details.fields.end());
  info.extra_numbers = std::move(details.numbers);
  info.extra_lists = std::move(details.lists);
  PipelineOutput out;
  out.kind = PipelineOutput::Kind::exception;
  // A pallet going onto the wrong trailer is what the red light (and the buzzer) is for.
  out.feedback = {FeedbackSignal::red};
  if (type == "misrouted") out.feedback.push_back(FeedbackSignal::buzzer);
  out.event_id = info.event_id;
  out.exception_type = type;
  out.exception_reason = info.reason;
  out.open_json = epcis::exception_event_open(info);
  out.seq_key = "gatewaySeq";
  out.time_ms = time_ms;
  out.location_id = door;
  return out;
}

ScanDecoration PlanChecks::decorate(const ScanRead& read, const Identification& id) {
  ScanDecoration deco = inner_ != nullptr ? inner_->decorate(read, id) : ScanDecoration{};
  const auto door = doors_.find(read.location_id);
  if (door == doors_.end() || matcher_.book().size() == 0) return deco;
  const std::string& door_id = door->first;
  // Exceptions are built once the milestone's eventID is known (relatedEventId).
  struct Pending {
    std::string type;
    std::string reason;
    VisitDeviation details;
  };
  std::vector<Pending> pending;

  if (deco.milestone == "transport_identified") {
    std::string uri;
    for (const auto& [key, value] : deco.extensions) {
      if (key == "dg:transportId") uri = value;
    }
    for (auto& a : matcher_.on_transport(door_id, uri, read.time_ms)) {
      VisitDeviation d;
      d.fields = {{"planId", a.plan_id}, {"transportId", uri}};
      pending.push_back({a.type, a.reason, std::move(d)});
      for (auto& c : a.state) deco.state.push_back(std::move(c));
    }
  } else {
    ReadCheck rc = matcher_.check_read(door_id, travel_direction(door->second.direction, read.tag),
                                       id, read.time_ms);
    if (rc.units.empty()) return deco;
    for (auto& c : rc.state) deco.state.push_back(std::move(c));
    const UnitCheck* worst = &rc.units.front();
    std::string plan_id;
    for (const auto& u : rc.units) {
      if (severity(u.kind) > severity(worst->kind)) worst = &u;
      if (plan_id.empty() && u.kind != UnitCheck::Kind::misrouted) plan_id = u.plan_id;
    }
    if (!plan_id.empty()) deco.extensions.emplace_back("dg:planId", plan_id);
    deco.extensions.emplace_back("dg:planCheck", kind_text(worst->kind));
    for (const auto& u : rc.units) {
      VisitDeviation d;
      d.fields = {{"unit", unit_value(u.unit)}};
      if (!u.plan_id.empty()) d.fields.emplace_back("planId", u.plan_id);
      if (!u.door_plan_id.empty()) d.fields.emplace_back("doorPlanId", u.door_plan_id);
      if (!u.plan_doors.empty()) d.lists.emplace_back("planDoors", u.plan_doors);
      if (u.kind == UnitCheck::Kind::misrouted || u.kind == UnitCheck::Kind::over_shipment ||
          (u.kind == UnitCheck::Kind::unexpected_unit && settings_.options.unexpected_alarm)) {
        pending.push_back({kind_text(u.kind), u.reason, std::move(d)});
      }
    }
  }
  ++changes_;
  if (pending.empty()) return deco;
  deco.feedback = std::vector<FeedbackSignal>{};  // the exception shows red instead of green
  auto inner_followups = std::move(deco.followups);
  deco.followups = [this, inner_followups = std::move(inner_followups),
                    pending = std::move(pending), door_id, driver = read.driver_id,
                    t = read.time_ms](const std::string& event_id) {
    std::vector<PipelineOutput> out;
    if (inner_followups) out = inner_followups(event_id);
    for (const auto& p : pending) {
      out.push_back(exception(p.type, p.reason, door_id, driver, t, p.details, event_id));
    }
    return out;
  };
  return deco;
}

std::vector<StateChange> PlanChecks::on_session_opened(const std::string& door,
                                                       std::int64_t time_ms) {
  auto state = matcher_.on_arrival(door, time_ms);
  if (!state.empty()) ++changes_;
  return state;
}

std::vector<VisitDeviation> PlanChecks::deviations_of(const VisitCheck& v) const {
  std::vector<VisitDeviation> out;
  if (!v.missing_ssccs.empty() || !v.short_lines.empty()) {
    VisitDeviation d;
    d.type = "short_shipment";
    std::string what;
    if (!v.missing_ssccs.empty()) {
      what = std::to_string(v.missing_ssccs.size()) + " SSCC(s) missing: ";
      for (std::size_t i = 0; i < v.missing_ssccs.size() && i < 5; ++i) {
        what += (i == 0 ? "" : ", ") + v.missing_ssccs[i];
      }
      if (v.missing_ssccs.size() > 5) what += " ...";
    }
    if (!v.short_lines.empty()) {
      what += std::string(what.empty() ? "" : "; ") + "lines short: " + lines_text(v.short_lines);
    }
    d.reason = "plan " + v.plan_id + " ended with " + std::to_string(v.actual) + " of " +
               std::to_string(v.expected) + " units: " + what;
    d.fields = {{"planId", v.plan_id}};
    d.numbers = {{"expectedUnits", static_cast<std::int64_t>(v.expected)},
                 {"actualUnits", static_cast<std::int64_t>(v.actual)}};
    d.lists.emplace_back("missingSsccs", v.missing_ssccs);
    if (!v.short_lines.empty()) d.lists.emplace_back("shortLines", lines_list(v.short_lines));
    out.push_back(std::move(d));
  }
  if (!v.over_lines.empty()) {
    VisitDeviation d;
    d.type = "over_shipment";
    d.reason = "plan " + v.plan_id + " ended with more than planned: " + lines_text(v.over_lines);
    d.fields = {{"planId", v.plan_id}};
    d.lists.emplace_back("overLines", lines_list(v.over_lines));
    out.push_back(std::move(d));
  }
  return out;
}

VisitOutcome PlanChecks::on_session_closed(const std::string& door, const DockSession& session,
                                           std::int64_t time_ms) {
  VisitOutcome outcome;
  const auto visits = matcher_.end_visit(door, session.transport_id, session.opened_ms, time_ms);
  if (visits.empty()) return outcome;
  ++changes_;
  std::uint64_t expected = 0;
  std::uint64_t actual = 0;
  std::uint64_t missing = 0;
  Json ids = Json::array();
  for (const auto& v : visits) {
    expected += v.expected;
    actual += v.actual;
    missing += v.missing_ssccs.size();
    ids.push_back(v.plan_id);
    for (auto& d : deviations_of(v)) outcome.deviations.push_back(std::move(d));
    for (const auto& c : v.state) outcome.state.push_back(c);
  }
  if (visits.size() == 1) {
    outcome.event_fields["dg:planId"] = visits.front().plan_id;
  } else {
    outcome.event_fields["dg:planIds"] = ids;
  }
  outcome.event_fields["dg:expectedUnits"] = expected;
  outcome.event_fields["dg:actualUnits"] = actual;
  outcome.event_fields["dg:missingSsccCount"] = missing;
  return outcome;
}

std::vector<PipelineOutput> PlanChecks::on_tick(std::int64_t now_ms,
                                                std::vector<std::string>& expired) {
  std::vector<PipelineOutput> out;
  const auto sensor = [this](const std::string& door) {
    return settings_.sensor_doors.count(door) != 0;
  };
  for (auto& a : matcher_.on_tick(now_ms, sensor, expired)) {
    ++changes_;
    std::vector<PipelineOutput> made;
    if (a.visit) {
      for (auto& d : deviations_of(*a.visit)) {
        const std::string type = d.type;
        const std::string reason = d.reason;
        made.push_back(exception(type, reason, a.door, "plans", now_ms, std::move(d), ""));
      }
      if (made.empty()) {
        PipelineOutput only_state;  // complete on time: nothing to say, only the tally
        only_state.time_ms = now_ms;
        made.push_back(std::move(only_state));
      }
      for (auto& c : a.visit->state) made.front().state.push_back(std::move(c));
    } else {
      VisitDeviation d;
      d.fields = {{"planId", a.plan_id}};
      made.push_back(exception(a.type, a.reason, a.door, "plans", now_ms, std::move(d), ""));
      for (auto& c : a.state) made.front().state.push_back(std::move(c));
    }
    for (auto& m : made) out.push_back(std::move(m));
  }
  return out;
}

Json PlanChecks::status_json(std::int64_t now_ms) const {
  Json j;
  j["plans"] = matcher_.book().size();
  j["units"] = matcher_.book().unit_count();
  j["doors"] = matcher_.status_json(now_ms);
  return j;
}

}  // namespace dockgate::plans
