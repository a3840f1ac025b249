// SPDX-License-Identifier: Apache-2.0
#include "agent/epcis/document.hpp"

#include "agent/core/time_format.hpp"

namespace dockgate::epcis {

std::string make_document(std::span<const std::string* const> events, std::int64_t creation_ms) {
  std::size_t size = 256;
  for (const auto* e : events) size += e->size() + 1;
  std::string out;
  out.reserve(size);
  out += R"({"@context":[")";
  out += kEpcisContext;
  out += R"(",{"dg":")";
  out += kDockgateNamespace;
  out += R"("}],"type":"EPCISDocument","schemaVersion":"2.0","creationDate":")";
  out += format_utc_ms(creation_ms);
  out += R"(","epcisBody":{"eventList":[)";
  bool first = true;
  for (const auto* e : events) {
    if (!first) out += ',';
    out += *e;
    first = false;
  }
  out += "]}}";
  return out;
}

}  // namespace dockgate::epcis
