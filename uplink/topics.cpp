// SPDX-License-Identifier: Apache-2.0
#include <string_view>

#include "uplink/publisher.hpp"

namespace dockgate::uplink {
namespace {

void check_level(std::string_view what, const std::string& level) {
  if (level.empty()) throw UplinkError("uplink: topic level " + std::string(what) + " is empty");
  // MQTT 3.1.1 section 4.7.1/4.7.3: '+' and '#' are filter wildcards, NUL is not allowed;
  // '/' would add a level and shift every consumer's topic filter.
  if (level.find_first_of(std::string_view("/+#\0", 4)) != std::string::npos) {
    throw UplinkError("uplink: topic level " + std::string(what) + " \"" + level +
                      "\" must not contain '/', '+', '#' or NUL");
  }
}

}  // namespace

Topics make_topics(const std::string& prefix, const std::string& site, const std::string& gateway) {
  check_level("prefix", prefix);
  check_level("site", site);
  check_level("gateway", gateway);
  const std::string base = prefix + "/" + site + "/" + gateway + "/";
  return Topics{base + "events", base + "exceptions", base + "status", base + "cmd"};
}

}  // namespace dockgate::uplink
