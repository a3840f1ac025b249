// SPDX-License-Identifier: Apache-2.0
#include "agent/core/tag_classifier.hpp"

#include "agent/epc/epc.hpp"

namespace dockgate {

Classified classify_tag(const TagFacts& tag, const std::string& site_gln) {
  Classified c;
  const epc::EpcResult decoded = epc::decode_epc_hex(tag.epc_hex);
  if (!decoded.ok()) {
    c.error = "EPC " + tag.epc_hex + ": " + decoded.error;
    return c;
  }
  Identification id;
  if (decoded.scheme == "raw" || decoded.ais.empty()) {
    id.epcs.push_back(decoded.tag_uri);
  } else {
    gs1::ParseResult parsed;
    parsed.ais = decoded.ais;
    std::string ignored;
    if (auto mapped = identify(parsed, site_gln, ignored); mapped && !mapped->epcs.empty()) {
      id = std::move(*mapped);
    } else {
      id.epcs.push_back(decoded.digital_link);  // a location or service tag: its own key
    }
  }
  id.source = "rfid";
  c.id = std::move(id);
  return c;
}

std::string identity_key(const Classified& c, const std::string& raw) {
  if (!c.id || c.id->epcs.empty()) return raw;
  std::string key;
  for (const auto& e : c.id->epcs) {
    key += e;
    key += '\n';
  }
  return key;
}

}  // namespace dockgate
