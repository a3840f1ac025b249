// SPDX-License-Identifier: Apache-2.0
// drivers[] and patterns[]: the devices that produce reads, and site-specific label formats.
#include <algorithm>
#include <exception>
#include <map>
#include <set>

#include "config/sections.hpp"
#include "config/validate.hpp"

namespace dockgate::config::detail {
namespace {

std::string join_ids(const std::vector<LocationConfig>& locations) {
  std::string all;
  std::set<std::string> listed;
  for (const auto& l : locations) {
    if (!l.id.empty() && listed.insert(l.id).second) all += (all.empty() ? "" : ", ") + l.id;
  }
  return all.empty() ? "none" : all;
}

// Runs the driver type's own parser on the element; its keys are documented under a
// "drivers[] (type: X)" heading and tagged with the type so the reference can tell keys of
// the same name in different types apart.
drivers::DriverFactory parse_driver_keys(MapReader& r, const drivers::DriverType& type) {
  std::vector<KeyDoc>* docs = r.context().docs;
  const std::string applies_to = "type: " + std::string(type.name);
  if (docs != nullptr) {
    docs->push_back(KeyDoc{"drivers[] (" + applies_to + ")", "mapping", "", std::string(type.help),
                           false, applies_to});
  }
  const std::size_t first_doc = docs != nullptr ? docs->size() : 0;
  drivers::DriverFactory factory;
  try {
    factory = type.parse(r);
  } catch (const std::exception& e) {
    // A driver parser must not throw; if one does, the file is still reported, not the crash.
    r.error("type", "the " + std::string(type.name) + " driver rejected its settings: " + e.what());
  }
  if (docs != nullptr) {
    for (std::size_t i = first_doc; i < docs->size(); ++i) (*docs)[i].applies_to = applies_to;
  }
  return factory;
}

}  // namespace

void read_drivers(MapReader& root, const std::vector<LocationConfig>& locations,
                  std::vector<DriverConfig>& out) {
  auto items = root.list("drivers",
                         "The devices this gateway reads. Besides the keys below every driver "
                         "has its own, listed under drivers[] (type: ...).");
  std::vector<std::string> type_names;
  for (const auto& t : drivers::driver_types()) type_names.emplace_back(t.name);
  std::map<std::string, std::string> ids;  // id -> key path of its first use
  for (auto& r : items) {
    DriverConfig d;
    if (r.required("id", d.id,
                   "Driver name, unique; appears in device status and read errors: 1-64 "
                   "characters of A-Z a-z 0-9 - _. Example: door03-scanner.")) {
      if (std::string e = check_topic_id(d.id); !e.empty()) {
        r.error("id", e);
      } else if (auto [it, added] = ids.emplace(d.id, r.path()); !added) {
        r.error("id", "duplicate driver id '" + d.id + "', already used by " + it->second);
      }
    }
    const bool type_ok =
        r.choice("type", d.type, type_names, "Driver type; decides which other keys apply.", true);
    if (r.required("location", d.location,
                   "Id of the locations[] entry (dock door) where this device reads.")) {
      const bool known = std::any_of(locations.begin(), locations.end(),
                                     [&](const LocationConfig& l) { return l.id == d.location; });
      if (!known) {
        r.error("location",
                "unknown location '" + d.location + "'; defined locations: " + join_ids(locations));
      }
    }
    r.optional("enabled", d.enabled,
               "false keeps the entry (still validated) without starting the device.");
    if (type_ok) {
      d.factory = parse_driver_keys(r, *drivers::find_driver_type(d.type));
      r.finish();
    } else {
      // Without a known type nobody can tell which other keys are valid: do not report them.
      for (const auto& kv : r.node()) {
        if (kv.first.IsScalar()) r.consume(kv.first.Scalar().c_str());
      }
    }
    out.push_back(std::move(d));
  }
}

void read_patterns(MapReader& root, std::vector<SitePatternConfig>& out) {
  auto items = root.list("patterns",
                         "Site-specific labels that are not GS1 but are accepted on purpose "
                         "(license plates, legacy pallet labels).");
  std::map<std::string, std::string> names;  // name -> key path of its first use
  for (auto& r : items) {
    SitePatternConfig p;
    if (r.required("name", p.name, "Pattern name, unique. Example: license_plate.")) {
      if (p.name.empty()) {
        r.error("name", "must not be empty");
      } else if (auto [it, added] = names.emplace(p.name, r.path()); !added) {
        r.error("name", "duplicate pattern name '" + p.name + "', already used by " + it->second);
      }
    }
    std::optional<unsigned> groups;
    if (r.required("regex", p.regex,
                   "ECMAScript regular expression (std::regex) that must match the whole scan. "
                   "Example: ^LP[0-9]{8}$.")) {
      std::string error;
      groups = regex_capture_groups(p.regex, error);
      if (!groups) r.error("regex", error);
    }
    if (r.required("uri", p.uri,
                   "URI put in the event's epcList: {0} is the whole scan, {1}..{9} the "
                   "regex's capture groups. Example: urn:dockgate:lp:{0}.")) {
      // With a broken regex the group count is unknown; still check the URI's syntax.
      report(r, "uri", check_uri_template(p.uri, groups.value_or(9)));
    }
    r.finish();
    out.push_back(std::move(p));
  }
}

}  // namespace dockgate::config::detail
