// SPDX-License-Identifier: Apache-2.0
#include "agent/runtime/cli_epc.hpp"

#include <nlohmann/json.hpp>

#include "agent/epc/epc.hpp"

namespace dockgate::runtime {

int cmd_epc(const std::vector<std::string>& hexes, std::ostream& out) {
  int status = 0;
  for (const auto& hex : hexes) {
    const epc::EpcResult r = epc::decode_epc_hex(hex);
    // ordered_json: the keys in the documented order, so IT teams can read lines by eye.
    nlohmann::ordered_json line;
    line["hex"] = hex;
    if (!r.ok()) {
      status = 1;
      line["error"] = r.error;
      if (!r.tag_uri.empty()) line["tagUri"] = r.tag_uri;
    } else {
      line["scheme"] = r.scheme;
      if (r.filter >= 0) line["filter"] = r.filter;
      line["tagUri"] = r.tag_uri;
      if (!r.pure_identity_uri.empty()) line["pureIdentityUri"] = r.pure_identity_uri;
      if (!r.digital_link.empty()) line["digitalLink"] = r.digital_link;
    }
    // Replace invalid UTF-8 (a user's stray bytes in `hex`) instead of throwing.
    out << line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
  }
  return status;
}

}  // namespace dockgate::runtime
