// SPDX-License-Identifier: Apache-2.0
#include "agent/plans/plan_matcher.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "agent/core/time_format.hpp"

namespace dockgate::plans {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kSsccPrefix = "https://id.gs1.org/00/";
constexpr std::string_view kGtinPrefix = "https://id.gs1.org/01/";
constexpr std::string_view kContentPrefix = "https://id.gs1.org/02/";

bool starts_with(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}

std::string plan_doors_text(const DockPlan& p) {
  std::string out;
  for (const auto& d : p.doors) {
    if (!out.empty()) out += ", ";
    out += d;
  }
  return out;
}

const char* direction_text(PlanDirection d) {
  return d == PlanDirection::inbound ? "inbound" : "outbound";
}

bool transport_matches(const std::string& planned, const std::string& uri) {
  if (planned.empty() || uri.empty()) return false;
  if (planned == uri) return true;
  const auto slash = uri.find_last_of("/:");  // Digital Link path or URN part
  return slash != std::string::npos && uri.compare(slash + 1, std::string::npos, planned) == 0;
}

std::uint64_t planned_units(const HeldPlan& p) {
  std::uint64_t n = p.ssccs.size();
  for (const auto& l : p.plan.lines) n += l.quantity;
  return n;
}

std::uint64_t line_quantity(const HeldPlan& p, const std::string& gtin) {
  for (const auto& l : p.plan.lines) {
    if (l.gtin == gtin) return l.quantity;
  }
  return 0;
}

std::string hhmm(std::int64_t ms) {
  return format_utc_ms(ms).substr(0, 16) + "Z";
}

}  // namespace

std::string unit_label(const std::string& unit) {
  if (starts_with(unit, "sscc:")) return "SSCC " + unit.substr(5);
  if (starts_with(unit, "gtin:")) {
    const auto slash = unit.find('/');
    if (slash == std::string::npos) return "GTIN " + unit.substr(5);
    return "GTIN " + unit.substr(5, slash - 5) + " serial " + unit.substr(slash + 1);
  }
  return unit;
}

PlanMatcher::PlanMatcher(PlanOptions options,
                         std::map<std::string, epcis::Direction> door_direction)
    : options_(std::move(options)), door_direction_(std::move(door_direction)) {}

const Tally* PlanMatcher::tally(const std::string& plan_id) const {
  auto it = tallies_.find(plan_id);
  return it == tallies_.end() ? nullptr : &it->second;
}

bool PlanMatcher::is_current(const HeldPlan& p, std::int64_t t) const {
  if (auto it = tallies_.find(p.plan.plan_id); it != tallies_.end() && it->second.finished_ms) {
    return false;
  }
  const auto& arr = p.plan.planned_arrival_ms;
  const auto& dep = p.plan.planned_departure_ms;
  if (!arr && !dep) return true;
  const std::int64_t margin = options_.window_margin.count();
  const std::int64_t lo = (arr ? *arr : *dep) - margin;
  const std::int64_t hi = (dep ? *dep : *arr) + margin;
  return t >= lo && t <= hi;
}

bool PlanMatcher::serves(const HeldPlan& p, const std::string& door,
                         epcis::Direction travel) const {
  if (std::find(p.plan.doors.begin(), p.plan.doors.end(), door) == p.plan.doors.end()) {
    return false;
  }
  if (travel == epcis::Direction::both) return true;
  return (p.plan.direction == PlanDirection::inbound) == (travel == epcis::Direction::inbound);
}

std::vector<const HeldPlan*> PlanMatcher::current_at(const std::string& door,
                                                     epcis::Direction travel,
                                                     std::int64_t t) const {
  std::vector<const HeldPlan*> out;
  for (const HeldPlan* p : book_.at_door(door)) {
    if (serves(*p, door, travel) && is_current(*p, t)) out.push_back(p);
  }
  return out;
}

const HeldPlan* PlanMatcher::expected_among(const std::vector<const HeldPlan*>& plans,
                                            const std::string& door, epcis::Direction travel,
                                            std::int64_t t, const HeldPlan*& door_plan) const {
  const auto current = current_at(door, travel, t);
  door_plan = current.empty() ? nullptr : current.front();
  const HeldPlan* here = nullptr;
  for (const HeldPlan* p : plans) {
    if (!serves(*p, door, travel)) continue;
    if (std::find(current.begin(), current.end(), p) != current.end()) return p;
    if (here == nullptr) here = p;
  }
  // Its plan is for this door but outside its window: fine unless another visit is current
  // here (then it is going onto the wrong trailer).
  if (here != nullptr && current.empty()) return here;
  return nullptr;
}

StateChange PlanMatcher::visit_state(const std::string& plan_id) const {
  const Tally& t = tallies_.at(plan_id);
  Json j;
  j["arrived"] = t.arrived;
  j["raised"] = t.raised;
  j["finishedMs"] = t.finished_ms;
  j["deviations"] = t.deviations;
  j["doors"] = t.doors;
  return {kVisitPrefix + plan_id, j.dump(), false};
}

void PlanMatcher::misrouted(const std::string& door, const std::string& unit, const HeldPlan& owner,
                            const HeldPlan* door_plan, ReadCheck& out) {
  UnitCheck c;
  c.kind = UnitCheck::Kind::misrouted;
  c.unit = unit;
  c.plan_id = owner.plan.plan_id;
  c.plan_doors = owner.plan.doors;
  if (door_plan != nullptr) c.door_plan_id = door_plan->plan.plan_id;
  const bool same_door =
      std::find(owner.plan.doors.begin(), owner.plan.doors.end(), door) != owner.plan.doors.end();
  std::string where = " belongs to " + std::string(direction_text(owner.plan.direction)) +
                      " plan " + owner.plan.plan_id + " at " + plan_doors_text(owner.plan);
  if (owner.plan.planned_departure_ms) {
    where += " (planned departure " + hhmm(*owner.plan.planned_departure_ms) + ")";
  }
  c.reason = unit_label(unit) + where + ", but was read at " + door;
  if (door_plan != nullptr) c.reason += " for plan " + door_plan->plan.plan_id;
  if (same_door && door_plan == nullptr) c.reason += " (wrong direction)";
  c.reason += ": do not load it here";
  auto& t = tallies_[owner.plan.plan_id];
  ++t.deviations;
  out.state.push_back(visit_state(owner.plan.plan_id));
  out.units.push_back(std::move(c));
}

ReadCheck PlanMatcher::check_read(const std::string& door, epcis::Direction travel,
                                  const Identification& id, std::int64_t time_ms) {
  ReadCheck out;
  bool any_sscc = false;
  for (const auto& epc : id.epcs) {
    if (!starts_with(epc, kSsccPrefix)) continue;
    if (auto n = sscc_number(std::string_view(epc).substr(kSsccPrefix.size()))) {
      any_sscc = true;
      check_sscc(door, travel, *n, time_ms, out);
    }
  }
  if (any_sscc) return out;  // the pallet decides; its content lines are not counted twice
  for (const auto& epc : id.epcs) {
    if (!starts_with(epc, kGtinPrefix)) continue;
    const std::string rest = epc.substr(kGtinPrefix.size());  // {gtin}/21/{serial}
    if (rest.size() < 19 || rest.compare(14, 4, "/21/") != 0) continue;
    check_gtin(door, travel, rest.substr(0, 14), rest.substr(18), 1, time_ms, out);
  }
  for (const auto& q : id.quantities) {
    const std::string_view cls = q.epc_class;
    const bool gtin = starts_with(cls, kGtinPrefix) || starts_with(cls, kContentPrefix);
    if (!gtin || cls.size() < kGtinPrefix.size() + 14 || !q.uom.empty() || q.quantity < 1) {
      continue;
    }
    const auto count = static_cast<std::uint64_t>(std::llround(q.quantity));
    check_gtin(door, travel, std::string(cls.substr(kGtinPrefix.size(), 14)), "", count, time_ms,
               out);
  }
  return out;
}

const HeldPlan* PlanMatcher::plan_for(const std::string& door, epcis::Direction travel,
                                      const std::string& unit, std::vector<const HeldPlan*> plans,
                                      bool class_level, std::int64_t t, ReadCheck& out) {
  std::erase_if(plans, [&](const HeldPlan* p) {
    auto it = tallies_.find(p->plan.plan_id);
    const bool finished = it != tallies_.end() && it->second.finished_ms != 0;
    // A GTIN names a product, not a pallet: the same product arrives at goods-in and leaves
    // on other trailers every day, so a GTIN line only counts where its plan is loaded.
    return finished || (class_level && !serves(*p, door, travel));
  });
  if (!plans.empty() && class_level) {
    const HeldPlan* door_plan = nullptr;
    if (const HeldPlan* p = expected_among(plans, door, travel, t, door_plan)) return p;
    plans.clear();  // its plan is another visit at this door: for this trailer, unexpected
  }
  if (plans.empty()) {
    const auto current = current_at(door, travel, t);
    if (current.empty()) return nullptr;  // no plan here, none for the unit: not checked
    UnitCheck c;
    c.kind = UnitCheck::Kind::unexpected_unit;
    c.unit = unit;
    c.door_plan_id = current.front()->plan.plan_id;
    c.reason = unit_label(unit) + " is in no plan of this site, but was read at " + door +
               " for plan " + c.door_plan_id;
    out.units.push_back(std::move(c));
    return nullptr;
  }
  const HeldPlan* door_plan = nullptr;
  const HeldPlan* p = expected_among(plans, door, travel, t, door_plan);
  if (p == nullptr) misrouted(door, unit, *plans.front(), door_plan, out);
  return p;
}

void PlanMatcher::check_sscc(const std::string& door, epcis::Direction travel, std::uint64_t sscc,
                             std::int64_t t, ReadCheck& out) {
  const std::string unit = "sscc:" + sscc_text(sscc);
  const HeldPlan* p = plan_for(door, travel, unit, book_.with_sscc(sscc), false, t, out);
  if (p == nullptr) return;
  Tally& tally = tallies_[p->plan.plan_id];
  UnitCheck c;
  c.unit = unit;
  c.plan_id = p->plan.plan_id;
  if (!tally.ssccs.insert(sscc).second) {
    c.kind = UnitCheck::Kind::repeat;
    out.units.push_back(std::move(c));
    return;
  }
  tally.arrived = true;
  tally.doors[door] = t;
  out.state.push_back({kUnitPrefix + p->plan.plan_id + "/" + sscc_text(sscc), "1", false});
  out.state.push_back(visit_state(p->plan.plan_id));
  out.units.push_back(std::move(c));
}

void PlanMatcher::check_gtin(const std::string& door, epcis::Direction travel,
                             const std::string& gtin, const std::string& serial,
                             std::uint64_t quantity, std::int64_t t, ReadCheck& out) {
  const std::string unit = "gtin:" + gtin + (serial.empty() ? "" : "/" + serial);
  const HeldPlan* p = plan_for(door, travel, unit, book_.with_gtin(gtin), true, t, out);
  if (p == nullptr) return;
  const std::string& id = p->plan.plan_id;
  Tally& tally = tallies_[id];
  UnitCheck c;
  c.unit = unit;
  c.plan_id = id;
  if (!serial.empty()) {
    if (!tally.serials.insert(gtin + "/" + serial).second) {
      c.kind = UnitCheck::Kind::repeat;
      out.units.push_back(std::move(c));
      return;
    }
    out.state.push_back({kUnitPrefix + id + "/" + gtin + "/" + serial, "1", false});
  }
  const std::uint64_t count = tally.lines[gtin] += quantity;
  const std::uint64_t planned = line_quantity(*p, gtin);
  tally.arrived = true;
  tally.doors[door] = t;
  if (count > planned) {
    c.kind = UnitCheck::Kind::over_shipment;
    c.reason = std::to_string(count) + " units of GTIN " + gtin + " read for plan " + id +
               ", which plans " + std::to_string(planned) + ": " + unit_label(unit) +
               " is one too many";
    ++tally.deviations;
  }
  out.state.push_back({kLinePrefix + id + "/" + gtin, std::to_string(count), false});
  out.state.push_back(visit_state(id));
  out.units.push_back(std::move(c));
}

std::vector<PlanAlarm> PlanMatcher::on_transport(const std::string& door,
                                                 const std::string& transport_uri,
                                                 std::int64_t time_ms) {
  std::vector<PlanAlarm> out;
  for (const auto& [id, held] : book_.all()) {
    if (!transport_matches(held.plan.transport_id, transport_uri) || !is_current(held, time_ms)) {
      continue;
    }
    const auto& doors = held.plan.doors;
    if (std::find(doors.begin(), doors.end(), door) != doors.end()) continue;
    Tally& t = tallies_[id];
    if (!t.raised.insert("wrong_door:" + door).second) continue;
    PlanAlarm a;
    a.type = "wrong_door";
    a.plan_id = id;
    a.door = door;
    a.reason = "transport " + held.plan.transport_id;
    a.reason += " of plan " + id;
    a.reason += " is at " + door;
    a.reason += "; the plan says " + plan_doors_text(held.plan);
    a.state.push_back(visit_state(id));
    out.push_back(std::move(a));
  }
  return out;
}

std::vector<StateChange> PlanMatcher::on_arrival(const std::string& door, std::int64_t time_ms) {
  std::vector<StateChange> out;
  for (const HeldPlan* p : current_at(door, epcis::Direction::both, time_ms)) {
    Tally& t = tallies_[p->plan.plan_id];
    if (t.arrived) continue;
    t.arrived = true;
    out.push_back(visit_state(p->plan.plan_id));
  }
  return out;
}

VisitCheck PlanMatcher::compare(const HeldPlan& p, Tally& t, std::int64_t time_ms) {
  VisitCheck v;
  v.plan_id = p.plan.plan_id;
  v.expected = planned_units(p);
  for (std::uint64_t s : p.ssccs) {
    if (t.ssccs.count(s) != 0) {
      ++v.actual;
    } else {
      v.missing_ssccs.push_back(sscc_text(s));
    }
  }
  for (const auto& line : p.plan.lines) {
    const auto it = t.lines.find(line.gtin);
    const std::uint64_t got = it == t.lines.end() ? 0 : it->second;
    v.actual += std::min<std::uint64_t>(got, line.quantity);
    if (got < line.quantity) v.short_lines.push_back({line.gtin, line.quantity, got});
    if (got > line.quantity) v.over_lines.push_back({line.gtin, line.quantity, got});
  }
  t.finished_ms = time_ms;
  v.state.push_back(visit_state(p.plan.plan_id));
  return v;
}

std::vector<VisitCheck> PlanMatcher::end_visit(const std::string& door,
                                               const std::string& transport_uri,
                                               std::int64_t opened_ms, std::int64_t time_ms) {
  std::vector<const HeldPlan*> served;
  for (const HeldPlan* p : book_.at_door(door)) {
    auto it = tallies_.find(p->plan.plan_id);
    if (it == tallies_.end() || it->second.finished_ms != 0) continue;
    auto d = it->second.doors.find(door);
    if (d != it->second.doors.end() && d->second >= opened_ms) served.push_back(p);
  }
  if (served.empty() && !transport_uri.empty()) {
    for (const HeldPlan* p : book_.at_door(door)) {
      if (transport_matches(p->plan.transport_id, transport_uri) && is_current(*p, time_ms)) {
        served.push_back(p);
      }
    }
  }
  if (served.empty()) {
    auto dir = door_direction_.find(door);
    served = current_at(door, dir == door_direction_.end() ? epcis::Direction::both : dir->second,
                        time_ms);
  }
  std::vector<VisitCheck> out;
  out.reserve(served.size());
  for (const HeldPlan* p : served) out.push_back(compare(*p, tallies_[p->plan.plan_id], time_ms));
  return out;
}

std::vector<PlanAlarm> PlanMatcher::on_tick(
    std::int64_t now_ms, const std::function<bool(const std::string&)>& sensor_door,
    std::vector<std::string>& expired) {
  std::vector<PlanAlarm> out;
  const std::int64_t grace = options_.late_grace.count();
  const std::int64_t keep = options_.keep_finished.count();
  for (const auto& [id, held] : book_.all()) {
    Tally& t = tallies_[id];
    const auto& arr = held.plan.planned_arrival_ms;
    const auto& dep = held.plan.planned_departure_ms;
    if (t.finished_ms != 0) {
      if (now_ms - t.finished_ms > keep) expired.push_back(id);
      continue;
    }
    if (dep && now_ms - *dep > keep) {
      expired.push_back(id);
      continue;
    }
    const std::string& first_door = held.plan.doors.front();
    if (arr && now_ms - *arr > grace && !t.arrived && t.raised.insert("late_arrival").second) {
      out.push_back({"late_arrival",
                     id,
                     first_door,
                     "the trailer for plan " + id + " has not arrived at " +
                         plan_doors_text(held.plan) + "; planned arrival " + hhmm(*arr),
                     {visit_state(id)},
                     std::nullopt});
    }
    if (!dep || now_ms - *dep <= grace) continue;
    const bool sensors = std::any_of(held.plan.doors.begin(), held.plan.doors.end(), sensor_door);
    if (!sensors) {
      // No dock sensors: the plan's window is the visit, and it is over.
      PlanAlarm a;
      a.plan_id = id;
      a.door = first_door;
      a.visit = compare(held, t, now_ms);
      out.push_back(std::move(a));
    } else if (t.arrived && t.raised.insert("late_departure").second) {
      out.push_back({"late_departure",
                     id,
                     first_door,
                     "the trailer for plan " + id + " has not left " + plan_doors_text(held.plan) +
                         "; planned departure " + hhmm(*dep),
                     {visit_state(id)},
                     std::nullopt});
    }
  }
  return out;
}

std::vector<StateChange> PlanMatcher::forget(const std::string& plan_id) {
  return {{kUnitPrefix + plan_id + "/", std::nullopt, true},
          {kLinePrefix + plan_id + "/", std::nullopt, true},
          {kVisitPrefix + plan_id, std::nullopt, false}};
}

std::vector<std::string> PlanMatcher::restore(const std::map<std::string, std::string>& state) {
  std::vector<std::string> problems;
  auto split = [](const std::string& rest, std::string& id, std::string& tail) {
    const auto slash = rest.find('/');
    if (slash == std::string::npos) return false;
    id = rest.substr(0, slash);
    tail = rest.substr(slash + 1);
    return true;
  };
  for (const auto& [key, value] : state) {
    std::string id;
    std::string tail;
    if (starts_with(key, kUnitPrefix)) {
      if (!split(key.substr(std::string_view(kUnitPrefix).size()), id, tail) ||
          book_.find(id) == nullptr) {
        continue;
      }
      Tally& t = tallies_[id];
      if (auto n = sscc_number(tail); n && tail.size() == 18) {
        t.ssccs.insert(*n);
      } else if (tail.size() > 15 && tail[14] == '/') {
        t.serials.insert(tail);
      } else {
        problems.push_back("plan state " + key + ": not an SSCC or GTIN/serial; ignored");
      }
    } else if (starts_with(key, kLinePrefix)) {
      if (!split(key.substr(std::string_view(kLinePrefix).size()), id, tail) ||
          book_.find(id) == nullptr) {
        continue;
      }
      tallies_[id].lines[tail] = std::strtoull(value.c_str(), nullptr, 10);
    } else if (starts_with(key, kVisitPrefix)) {
      id = key.substr(std::string_view(kVisitPrefix).size());
      if (book_.find(id) == nullptr) continue;
      const Json j = Json::parse(value, nullptr, false);
      if (!j.is_object()) {
        problems.push_back("plan state " + key + ": damaged JSON; the visit starts afresh");
        continue;
      }
      Tally& t = tallies_[id];
      t.arrived = j.value("arrived", false);
      t.finished_ms = j.value("finishedMs", std::int64_t{0});
      t.deviations = j.value("deviations", std::uint64_t{0});
      if (auto r = j.find("raised"); r != j.end() && r->is_array()) {
        for (const auto& x : *r) {
          if (x.is_string()) t.raised.insert(x.get<std::string>());
        }
      }
      if (auto d = j.find("doors"); d != j.end() && d->is_object()) {
        for (const auto& [door, ms] : d->items()) {
          if (ms.is_number_integer()) t.doors[door] = ms.get<std::int64_t>();
        }
      }
    }
  }
  return problems;
}

Json PlanMatcher::status_json(std::int64_t now_ms, std::size_t max_plans_per_door) const {
  Json all = Json::object();
  std::map<std::string, std::vector<const HeldPlan*>> by_door;
  for (const auto& [id, held] : book_.all()) {
    for (const auto& d : held.plan.doors) by_door[d].push_back(&held);
  }
  for (auto& [door, plans] : by_door) {
    std::stable_partition(plans.begin(), plans.end(),
                          [&](const HeldPlan* p) { return is_current(*p, now_ms); });
    Json list = Json::array();
    for (const HeldPlan* p : plans) {
      if (list.size() >= max_plans_per_door) break;
      const Tally* t = tally(p->plan.plan_id);
      std::uint64_t read = 0;
      if (t != nullptr) {
        for (std::uint64_t s : p->ssccs) read += t->ssccs.count(s);
        for (const auto& line : p->plan.lines) {
          auto it = t->lines.find(line.gtin);
          if (it != t->lines.end()) read += std::min<std::uint64_t>(it->second, line.quantity);
        }
      }
      const std::uint64_t expected = planned_units(*p);
      Json j;
      j["planId"] = p->plan.plan_id;
      j["revision"] = p->plan.revision;
      j["direction"] = direction_text(p->plan.direction);
      j["current"] = is_current(*p, now_ms);
      j["expected"] = expected;
      j["read"] = read;
      j["missing"] = expected - read;
      j["deviations"] = t == nullptr ? 0 : t->deviations;
      if (t != nullptr && t->finished_ms != 0) j["finished"] = format_utc_ms(t->finished_ms);
      list.push_back(std::move(j));
    }
    all[door] = std::move(list);
  }
  return all;
}

}  // namespace dockgate::plans
