// SPDX-License-Identifier: Apache-2.0
#include "drivers/llrp/llrp_options.hpp"

#include <algorithm>
#include <set>

#include "agent/epc/epc.hpp"

namespace dockgate::drivers {
namespace {

using std::chrono::milliseconds;

bool read_positive(config::MapReader& keys, const char* key, milliseconds& out, milliseconds lo,
                   milliseconds hi, const char* help) {
  if (!keys.duration(key, out, help)) return !keys.has(key);
  if (out < lo || out > hi) {
    keys.error(key, "must be " + std::to_string(lo.count()) + "ms.." + std::to_string(hi.count()) +
                        "ms, got " + std::to_string(out.count()) + "ms");
    return false;
  }
  return true;
}

bool read_antennas(config::MapReader& keys, LlrpOptions& out) {
  bool ok = true;
  std::set<std::uint16_t> seen;
  for (auto& a : keys.list("antennas",
                           "This door's antenna ports on the reader (LLRP AntennaID, 1-based) and "
                           "where each looks: outside (yard side), inside (building side) or "
                           "any. Absent = every antenna of the reader, role any. With an outside "
                           "and an inside antenna the door tells the direction of travel.")) {
    LlrpAntenna antenna;
    std::string role = "any";
    const bool port_ok =
        a.integer<std::uint16_t>("port", antenna.port, 1, 65535, "Antenna port (AntennaID).", true);
    const bool role_ok = a.choice("role", role, {"any", "outside", "inside"},
                                  "outside, inside or any (default any).");
    ok &= port_ok && (role_ok || !a.has("role"));
    antenna.role = role == "outside"  ? AntennaRole::outside
                   : role == "inside" ? AntennaRole::inside
                                      : AntennaRole::any;
    a.finish();
    if (port_ok && !seen.insert(antenna.port).second) {
      a.error("port", "antenna " + std::to_string(antenna.port) + " is listed twice");
      ok = false;
      continue;
    }
    if (port_ok) out.antennas.push_back(antenna);
  }
  if (!ok) return false;
  const auto has_role = [&](AntennaRole r) {
    return std::any_of(out.antennas.begin(), out.antennas.end(),
                       [r](const LlrpAntenna& x) { return x.role == r; });
  };
  if (has_role(AntennaRole::outside) != has_role(AntennaRole::inside)) {
    keys.error("antennas",
               std::string("a door with an ") +
                   (has_role(AntennaRole::outside) ? "outside" : "inside") + " antenna needs an " +
                   (has_role(AntennaRole::outside) ? "inside" : "outside") +
                   " one too (the direction comes from the order they see a tag); use role any "
                   "otherwise");
    return false;
  }
  return true;
}

bool read_filters(config::MapReader& keys, LlrpOptions& out) {
  config::MapReader filters = keys.child(
      "filters",
      "Which tags become milestones, so item-level tags do not flood the timeline. Absent = "
      "every tag.");
  bool ok = true;
  const auto known = epc::known_schemes();
  if (filters.optional("schemes", out.schemes,
                       "EPC schemes to keep, e.g. [sscc-96] for pallets only (tag URI scheme "
                       "names of GS1 EPC TDS; raw = tags of no known scheme).")) {
    for (const auto& s : out.schemes) {
      if (s != "raw" && std::find(known.begin(), known.end(), s) == known.end()) {
        std::string message = "unknown EPC scheme '" + s + "'; known: ";
        for (auto k : known) {
          message += k;
          message += ", ";
        }
        message += "raw";
        filters.error("schemes", message);
        ok = false;
      }
    }
  } else if (filters.has("schemes")) {
    ok = false;
  }
  std::vector<std::string> values;
  if (filters.optional("filter_values", values,
                       "EPC filter values to keep (0-7, GS1 EPC TDS section 10), e.g. [2, 6] = "
                       "full cases and unit loads (pallets).")) {
    for (const auto& v : values) {
      if (v.size() != 1 || v[0] < '0' || v[0] > '7') {
        filters.error("filter_values", "filter values are 0..7, got '" + v + "'");
        ok = false;
      } else {
        out.filter_values.push_back(v[0] - '0');
      }
    }
  } else if (filters.has("filter_values")) {
    ok = false;
  }
  filters.finish();
  return ok;
}

std::string reader_fingerprint(const LlrpOptions& o) {
  return "rospec=" + std::string(o.rospec == RospecMode::keep ? "keep" : "configure") +
         ";reset_to_factory=" + (o.reset_to_factory ? "true" : "false") +
         ";keepalive=" + std::to_string(o.keepalive.count()) + "ms" +
         ";missed_keepalives=" + std::to_string(o.missed_keepalives) +
         ";connect_timeout=" + std::to_string(o.connect_timeout.count()) + "ms" +
         ";reconnect_min=" + std::to_string(o.reconnect_min.count()) + "ms" +
         ";reconnect_max=" + std::to_string(o.reconnect_max.count()) + "ms";
}

std::string entry_name(const config::MapReader& keys) {
  std::string name = keys.path();
  const YAML::Node id = keys.node()["id"];
  if (id.IsDefined() && id.IsScalar()) name += " (id " + id.Scalar() + ")";
  return name;
}

// Entries on one reader share its connection: the first claims the reader settings, later
// ones must match; and an antenna belongs to one door.
bool claim_reader(config::MapReader& keys, const LlrpOptions& o) {
  auto& claims = keys.context().claims;
  const std::string key = "llrp:" + llrp_reader_key(o);
  const std::string fp = reader_fingerprint(o);
  bool ok = true;
  auto [it, added] = claims.emplace(key, std::make_pair(fp, entry_name(keys)));
  if (!added && it->second.first != fp) {
    keys.error("host", "shares the reader " + llrp_reader_key(o) + " with " + it->second.second +
                           " but its reader settings differ (" + fp + " here, " + it->second.first +
                           " there); entries on one reader must use the same rospec, "
                           "reset_to_factory, keepalive, missed_keepalives, connect_timeout, "
                           "reconnect_min and reconnect_max");
    ok = false;
  }
  const auto claim_antenna = [&](const std::string& antenna) {
    auto [a, fresh] = claims.emplace(key + "/antenna/" + antenna,
                                     std::make_pair(std::string(), entry_name(keys)));
    if (fresh) return true;
    keys.error("antennas", "antenna " + antenna + " of reader " + llrp_reader_key(o) +
                               " already belongs to " + a->second.second);
    return false;
  };
  if (o.antennas.empty()) {
    ok &= claim_antenna("all");
  } else {
    for (const auto& a : o.antennas) ok &= claim_antenna(std::to_string(a.port));
  }
  // "every antenna" overlaps every listed one
  if (o.antennas.empty()) {
    for (const auto& [k, v] : claims) {
      if (k.starts_with(key + "/antenna/") && k != key + "/antenna/all" &&
          v.second != entry_name(keys)) {
        keys.error("antennas", "this entry takes every antenna of " + llrp_reader_key(o) +
                                   ", but " + v.second + " lists some of them");
        return false;
      }
    }
  } else if (claims.count(key + "/antenna/all") != 0 &&
             claims[key + "/antenna/all"].second != entry_name(keys)) {
    keys.error("antennas", "reader " + llrp_reader_key(o) + ": " +
                               claims[key + "/antenna/all"].second +
                               " already takes every antenna");
    ok = false;
  }
  return ok;
}

}  // namespace

std::string llrp_reader_key(const LlrpOptions& options) {
  return options.host + ":" + std::to_string(options.port);
}

bool read_llrp_options(config::MapReader& keys, LlrpOptions& out) {
  bool ok = true;
  if (keys.required("host", out.host, "The reader's host name or IP address.")) {
    if (out.host.empty()) {
      keys.error("host", "must not be empty");
      ok = false;
    }
  } else {
    ok = false;
  }
  if (!keys.integer<std::uint16_t>("port", out.port, 1, 65535,
                                   "LLRP port of the reader (5084, LLRP 1.0.1 section 18.1).") &&
      keys.has("port")) {
    ok = false;
  }
  std::string rospec = "configure";
  if (keys.choice("rospec", rospec, {"configure", "keep"},
                  "configure: dockgate sets the reader up (keepalive, events, one ROSpec over "
                  "every antenna that reports each tag); keep: the reader is set up by its "
                  "owner and dockgate only listens to its reports.")) {
    out.rospec = rospec == "keep" ? RospecMode::keep : RospecMode::configure;
  } else if (keys.has("rospec")) {
    ok = false;
  }
  if (!keys.optional("reset_to_factory", out.reset_to_factory,
                     "rospec configure: reset the reader to its factory settings first "
                     "(SET_READER_CONFIG ResetToFactoryDefault), dropping ROSpecs of other "
                     "tools.") &&
      keys.has("reset_to_factory")) {
    ok = false;
  }
  ok &= read_positive(keys, "keepalive", out.keepalive, milliseconds(1'000), milliseconds(600'000),
                      "KEEPALIVE period asked of the reader (1s-10m).");
  if (!keys.integer<std::uint32_t>("missed_keepalives", out.missed_keepalives, 1, 100,
                                   "The reader counts as gone (device_down, reconnect) after "
                                   "this many keepalive periods without a message.") &&
      keys.has("missed_keepalives")) {
    ok = false;
  }
  ok &= read_positive(keys, "connect_timeout", out.connect_timeout, milliseconds(100),
                      milliseconds(120'000), "Give up a connect attempt after this long.");
  ok &= read_positive(keys, "reconnect_min", out.reconnect_min, milliseconds(10),
                      milliseconds(3'600'000),
                      "First delay before reconnecting; doubles with jitter up to "
                      "reconnect_max.");
  ok &= read_positive(keys, "reconnect_max", out.reconnect_max, milliseconds(10),
                      milliseconds(3'600'000), "Longest delay between reconnect attempts.");
  if (out.reconnect_max < out.reconnect_min) {
    keys.error(keys.has("reconnect_max") ? "reconnect_max" : "reconnect_min",
               "reconnect_max must not be less than reconnect_min");
    ok = false;
  }
  ok &= read_antennas(keys, out);
  ok &= read_positive(keys, "pass_gap", out.pass_gap, milliseconds(100), milliseconds(60'000),
                      "A tag's pass through the door lasts while the door's antennas keep "
                      "seeing it within this gap; one milestone per pass.");
  ok &= read_positive(keys, "max_pass", out.max_pass, milliseconds(1'000), milliseconds(3'600'000),
                      "A pass still going after this long (a tag sitting in range) is "
                      "reported anyway.");
  ok &= read_positive(keys, "stage_hold", out.stage_hold, milliseconds(0), milliseconds(86'400'000),
                      "A tag reported at this door is not reported again until unseen here "
                      "this long, unless it crosses the door (outside/inside antennas): a "
                      "staged pallet is one milestone.");
  if (out.max_pass <= out.pass_gap) {
    keys.error(keys.has("max_pass") ? "max_pass" : "pass_gap",
               "max_pass must be longer than pass_gap");
    ok = false;
  }
  int rssi = 0;
  if (keys.integer<int>("rssi_min", rssi, -128, 127,
                        "Ignore sightings weaker than this (PeakRSSI, dBm, e.g. -70); absent = "
                        "all.")) {
    out.rssi_min = rssi;
  } else if (keys.has("rssi_min")) {
    ok = false;
  }
  ok &= read_filters(keys, out);
  std::string unknown = "keep";
  if (keys.choice("unknown_epc", unknown, {"keep", "reject"},
                  "Tags of no known EPC scheme: keep (milestone with urn:epc:raw:...) or "
                  "reject (unknown_epc_scheme exception, no milestone).")) {
    out.reject_unknown_epc = unknown == "reject";
  } else if (keys.has("unknown_epc")) {
    ok = false;
  }
  if (ok) ok = claim_reader(keys, out);
  return ok;
}

}  // namespace dockgate::drivers
