// SPDX-License-Identifier: Apache-2.0
#include "drivers/modbus/modbus_points.hpp"

#include <set>

namespace dockgate::drivers::detail {
namespace {

using std::chrono::milliseconds;

constexpr milliseconds kMaxDebounce{3'600'000};
constexpr milliseconds kMaxPulse{600'000};

bool valid_point_name(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// Reads one point's keys from `r` into `point`; `point.debounce` holds the entry default.
bool read_point(config::MapReader& r, ModbusPoint& point) {
  bool ok = true;
  std::string source;
  if (r.choice("source", source, {"coil", "discrete_input", "holding_register", "input_register"},
               "Modbus table the point is read from: coil (FC 1), discrete_input (FC 2), "
               "holding_register (FC 3) or input_register (FC 4).",
               true)) {
    point.source = source == "coil"               ? PointSource::coil
                   : source == "holding_register" ? PointSource::holding_register
                   : source == "input_register"   ? PointSource::input_register
                                                  : PointSource::discrete_input;
  } else {
    ok = false;
  }
  if (!r.required("address", point.address,
                  "0-based protocol address (0..65535). Device manuals often number from 1 "
                  "(input 1 = address 0) or use 1xxxx/3xxxx/4xxxx register names: subtract "
                  "the offset.")) {
    ok = false;
  }
  int bit = -1;
  const bool have_bit =
      r.integer("bit", bit, 0, 15,
                "Registers only, required there: bit 0 (least significant) .. 15 of the word.");
  if (!have_bit && r.has("bit")) ok = false;
  if (have_bit) {
    point.bit = bit;
  }
  if (!r.optional("invert", point.invert,
                  "true when the sensor reads 0 while active (normally closed contact, "
                  "light barrier that opens when blocked).") &&
      r.has("invert")) {
    ok = false;
  }
  const bool have_debounce = r.duration("debounce", point.debounce,
                                        "This point's debounce; default: the entry's debounce.");
  if (!have_debounce && r.has("debounce")) ok = false;
  if (have_debounce && point.debounce > kMaxDebounce) {
    r.error("debounce", "must not exceed 1h");
    ok = false;
  }
  if (ok && is_register(point.source) && point.bit < 0) {
    r.error("bit", std::string("missing required key 'bit' (source ") + to_string(point.source) +
                       " is a 16-bit word: say which bit, 0..15)");
    ok = false;
  } else if (ok && !is_register(point.source) && point.bit >= 0) {
    r.error("bit", std::string("only used with holding_register or input_register (a ") +
                       to_string(point.source) + " is a single bit)");
    ok = false;
  }
  r.finish();
  return ok;
}

bool read_output(config::MapReader& outputs, const char* name, const char* help, ModbusOutput& out,
                 bool can_hold) {
  config::MapReader r = outputs.child(name, help);
  bool ok = true;
  if (!r.absent()) out.configured = true;
  if (!r.required("coil", out.coil, "0-based coil address switched on for the pulse.")) {
    if (!r.absent()) ok = false;
  }
  const bool have_pulse =
      r.duration("pulse", out.pulse, "How long the coil stays on; a new request extends it.");
  if (!have_pulse && r.has("pulse")) ok = false;
  if (have_pulse && (out.pulse.count() <= 0 || out.pulse > kMaxPulse)) {
    r.error("pulse", "must be between 1ms and 10m");
    ok = false;
  }
  if (can_hold) {
    r.optional("hold", out.hold,
               "Stay on until the next correct read at the door (green) or until the door's "
               "`acknowledge` point becomes active (a push button), instead of for `pulse`; "
               "at most 1h. For a misrouted pallet the light stays red until someone acts.");
  }
  r.finish();
  if (!ok) out.configured = false;
  return ok;
}

}  // namespace

bool read_modbus_points(config::MapReader& keys, ModbusOptions& out) {
  config::MapReader points = keys.child(
      "points",
      "The door's boolean inputs: point name -> {source, address, bit, invert, debounce}. "
      "Well-known names: trailer_present, door_open; other names are passed on as they are.",
      true);
  config::ReadContext& ctx = keys.context();
  // Point names are free, so their keys are declared once under a "<name>" placeholder
  // (for config-reference), in a scratch context that keeps template errors out of the file.
  if (ctx.docs != nullptr && !ctx.docs->empty()) {
    const std::string points_doc = ctx.docs->back().path;
    config::ConfigErrors scratch;
    config::ReadContext doc_ctx{ctx.file, scratch, ctx.docs};
    config::MapReader tmpl(YAML::Node(YAML::NodeType::Map), points.path() + ".<name>", doc_ctx,
                           points_doc + ".<name>");
    ModbusPoint ignored;
    ignored.debounce = out.debounce;
    read_point(tmpl, ignored);
  }
  if (points.absent()) return false;  // missing: already reported by child()
  config::ReadContext point_ctx{ctx.file, ctx.errors, nullptr};
  bool ok = true;
  for (const auto& kv : points.node()) {
    if (!kv.first.IsScalar()) continue;  // reported by finish()
    const std::string name = kv.first.Scalar();
    points.consume(name.c_str());
    if (!valid_point_name(name)) {
      points.error(name, "point name must be 1-64 characters of A-Z a-z 0-9 _ -");
      ok = false;
      continue;
    }
    if (!kv.second.IsMap()) {
      points.error(name, "expected a mapping with source and address");
      ok = false;
      continue;
    }
    config::MapReader r(kv.second, points.path() + "." + name, point_ctx);
    ModbusPoint point;
    point.name = name;
    point.debounce = out.debounce;
    if (read_point(r, point))
      out.points.push_back(std::move(point));
    else
      ok = false;
  }
  points.finish();
  if (ok && out.points.empty()) {
    keys.error("points", "at least one point is required (e.g. trailer_present or door_open)");
    ok = false;
  } else if (out.points.size() > kMaxModbusPoints) {
    keys.error("points", "at most " + std::to_string(kMaxModbusPoints) + " points per entry");
    ok = false;
  }
  return ok;
}

bool read_modbus_outputs(config::MapReader& keys, ModbusOptions& out) {
  config::MapReader outputs =
      keys.child("outputs",
                 "Signal-tower coils the agent pulses for feedback: green (accepted scan), "
                 "red (exception), buzzer. Each optional.");
  bool ok = read_output(outputs, "green", "Green light: {coil, pulse (default 1s)}.",
                        out.outputs[0], false);
  ok &= read_output(outputs, "red", "Red light: {coil, pulse (default 3s), hold}.", out.outputs[1],
                    true);
  ok &= read_output(outputs, "buzzer", "Buzzer: {coil, pulse (default 500ms), hold}.",
                    out.outputs[2], true);
  outputs.finish();
  return ok;
}

}  // namespace dockgate::drivers::detail
