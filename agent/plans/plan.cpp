// SPDX-License-Identifier: Apache-2.0
#include "agent/plans/plan.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

#include "agent/gs1/parse.hpp"
#include "agent/plans/rfc3339.hpp"

namespace dockgate::plans {
namespace {

using Json = nlohmann::json;

bool id_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

bool all_digits(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "" when `value` is `digits` digits with a valid GS1 check digit (GS1 General
// Specifications 7.9.1), else why not.
std::string gs1_key_error(const std::string& value, std::size_t digits, const char* what) {
  if (value.size() != digits || !all_digits(value)) {
    return std::string(what) + " must be " + std::to_string(digits) + " digits, got '" + value +
           "'";
  }
  if (!gs1::check_digit_valid(value)) {
    return std::string(what) + " '" + value + "': check digit is " + value.back() + ", expected " +
           gs1::check_digit(std::string_view(value).substr(0, digits - 1));
  }
  return {};
}

// `where` + `sep` + `text`, built in place ("units.ssccs[3]" ": " "check digit ...").
std::string prefixed(std::string where, std::string_view sep, std::string_view text) {
  where += sep;
  where += text;
  return where;
}

// Field readers: each returns "" or the reason, naming the field path.
std::string read_string(const Json& o, const char* key, std::string& out, bool required,
                        std::size_t max_len = 200) {
  const auto it = o.find(key);
  if (it == o.end()) return required ? std::string(key) + ": required" : std::string();
  if (!it->is_string()) return std::string(key) + ": must be a string";
  out = it->get<std::string>();
  if (out.empty() || out.size() > max_len) {
    return std::string(key) + ": must be 1-" + std::to_string(max_len) + " characters";
  }
  return {};
}

std::string read_time(const Json& o, const char* key, std::optional<std::int64_t>& out) {
  std::string text;
  if (auto e = read_string(o, key, text, false); !e.empty() || text.empty()) return e;
  out = parse_rfc3339_ms(text);
  if (!out) {
    return std::string(key) + ": '" + text +
           "' is no RFC 3339 date-time with a zone (e.g. 2026-12-05T14:30:00+01:00)";
  }
  return {};
}

std::string read_units(const Json& units, DockPlan& p) {
  if (!units.is_object()) return "units: must be an object with ssccs and/or lines";
  for (const auto& [key, value] : units.items()) {
    if (key != "ssccs" && key != "lines") return "units." + key + ": unknown field";
  }
  std::set<std::string> seen;
  if (const auto s = units.find("ssccs"); s != units.end()) {
    if (!s->is_array()) return "units.ssccs: must be an array of SSCCs";
    for (std::size_t i = 0; i < s->size(); ++i) {
      const std::string where = "units.ssccs[" + std::to_string(i) + "]";
      if (!(*s)[i].is_string()) return where + ": must be a string of 18 digits";
      const std::string sscc = (*s)[i].get<std::string>();
      if (auto e = gs1_key_error(sscc, 18, "SSCC"); !e.empty()) return prefixed(where, ": ", e);
      if (!seen.insert(sscc).second) return prefixed(where, ": SSCC ", sscc + " is listed twice");
      p.ssccs.push_back(sscc);
    }
  }
  if (const auto l = units.find("lines"); l != units.end()) {
    if (!l->is_array()) return "units.lines: must be an array of {gtin, quantity}";
    for (std::size_t i = 0; i < l->size(); ++i) {
      const std::string where = "units.lines[" + std::to_string(i) + "]";
      const Json& line = (*l)[i];
      if (!line.is_object()) return where + ": must be an object {gtin, quantity}";
      for (const auto& [key, value] : line.items()) {
        if (key != "gtin" && key != "quantity")
          return prefixed(where, ".", key + ": unknown field");
      }
      PlanLine pl;
      if (auto e = read_string(line, "gtin", pl.gtin, true, 14); !e.empty()) {
        return prefixed(where, ".", e);
      }
      if (auto e = gs1_key_error(pl.gtin, 14, "GTIN"); !e.empty()) return prefixed(where, ": ", e);
      if (!seen.insert(pl.gtin).second) {
        return prefixed(where, ": GTIN ", pl.gtin + " has two lines; give one line per GTIN");
      }
      const auto q = line.find("quantity");
      if (q == line.end() || !q->is_number_integer() || q->get<std::int64_t>() < 1 ||
          q->get<std::int64_t>() > 1'000'000) {
        return where + ".quantity: must be a whole number 1-1000000";
      }
      pl.quantity = static_cast<std::uint32_t>(q->get<std::int64_t>());
      p.lines.push_back(std::move(pl));
    }
  }
  if (p.ssccs.empty() && p.lines.empty()) return "units: a plan expects at least one unit";
  if (p.ssccs.size() + p.lines.size() > kMaxPlanUnits) {
    return "units: " + std::to_string(p.ssccs.size() + p.lines.size()) + " entries, at most " +
           std::to_string(kMaxPlanUnits) + " per plan";
  }
  return {};
}

const std::set<std::string>& known_fields() {
  static const std::set<std::string> fields = {"planId",
                                               "revision",
                                               "status",
                                               "direction",
                                               "doors",
                                               "transportId",
                                               "plannedArrival",
                                               "plannedDeparture",
                                               "shipFrom",
                                               "shipTo",
                                               "despatchAdviceNumber",
                                               "units"};
  return fields;
}

std::string read_plan(const Json& o, std::string_view expected_id, PlanParse& r) {
  if (!o.is_object()) return "a plan must be a JSON object";
  for (const auto& [key, value] : o.items()) {
    if (known_fields().count(key) == 0) return key + ": unknown field";
  }
  DockPlan p;
  if (auto e = read_string(o, "planId", p.plan_id, true, 64); !e.empty()) return e;
  if (!std::all_of(p.plan_id.begin(), p.plan_id.end(), id_char)) {
    return "planId: only A-Z a-z 0-9 . _ - are allowed, got '" + p.plan_id + "'";
  }
  r.plan_id = p.plan_id;
  if (!expected_id.empty() && p.plan_id != expected_id) {
    return "planId '" + p.plan_id + "' differs from the topic's or file's '" +
           std::string(expected_id) + "'";
  }
  const auto rev = o.find("revision");
  if (rev == o.end() || !rev->is_number_integer() || rev->get<std::int64_t>() < 0 ||
      rev->get<std::int64_t>() > 0x7fffffff) {
    return "revision: required, a whole number 0-2147483647";
  }
  p.revision = static_cast<std::uint32_t>(rev->get<std::int64_t>());
  r.revision = p.revision;
  std::string status = "active";
  if (auto e = read_string(o, "status", status, false, 16); !e.empty()) return e;
  if (status != "active" && status != "cancelled") {
    return "status: 'active' or 'cancelled', got '" + status + "'";
  }
  if (status == "cancelled") {
    r.cancelled = true;
    return {};
  }
  std::string direction;
  if (auto e = read_string(o, "direction", direction, true, 16); !e.empty()) return e;
  if (direction != "inbound" && direction != "outbound") {
    return "direction: 'inbound' or 'outbound', got '" + direction + "'";
  }
  p.direction = direction == "inbound" ? PlanDirection::inbound : PlanDirection::outbound;
  const auto doors = o.find("doors");
  if (doors == o.end() || !doors->is_array() || doors->empty()) {
    return "doors: required, a non-empty array of location ids";
  }
  for (std::size_t i = 0; i < doors->size(); ++i) {
    if (!(*doors)[i].is_string() || (*doors)[i].get<std::string>().empty()) {
      return "doors[" + std::to_string(i) + "]: must be a location id";
    }
    p.doors.push_back((*doors)[i].get<std::string>());
  }
  if (auto e = read_string(o, "transportId", p.transport_id, false, 64); !e.empty()) return e;
  if (auto e = read_time(o, "plannedArrival", p.planned_arrival_ms); !e.empty()) return e;
  if (auto e = read_time(o, "plannedDeparture", p.planned_departure_ms); !e.empty()) return e;
  if (p.planned_arrival_ms && p.planned_departure_ms &&
      *p.planned_departure_ms < *p.planned_arrival_ms) {
    return "plannedDeparture: before plannedArrival";
  }
  for (const auto& [key, out] : {std::pair<const char*, std::string*>{"shipFrom", &p.ship_from},
                                 std::pair<const char*, std::string*>{"shipTo", &p.ship_to}}) {
    if (auto e = read_string(o, key, *out, false, 13); !e.empty()) return e;
    if (!out->empty()) {
      if (auto e = gs1_key_error(*out, 13, "GLN"); !e.empty()) return std::string(key) + ": " + e;
    }
  }
  if (auto e = read_string(o, "despatchAdviceNumber", p.despatch_advice_number, false, 80);
      !e.empty()) {
    return e;
  }
  const auto units = o.find("units");
  if (units == o.end()) return "units: required";
  if (auto e = read_units(*units, p); !e.empty()) return e;
  r.plan = std::move(p);
  return {};
}

}  // namespace

PlanParse parse_plan(std::string_view json_text, std::string_view expected_id) {
  PlanParse r;
  if (json_text.size() > kMaxPlanBytes) {
    r.error = "plan of " + std::to_string(json_text.size()) + " bytes, at most " +
              std::to_string(kMaxPlanBytes);
    return r;
  }
  const Json doc = Json::parse(json_text, nullptr, false);
  if (doc.is_discarded()) {
    r.error = "not valid JSON";
    return r;
  }
  r.error = read_plan(doc, expected_id, r);
  if (!r.error.empty()) {
    r.plan.reset();
    r.cancelled = false;
  }
  return r;
}

}  // namespace dockgate::plans
