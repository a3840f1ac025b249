// SPDX-License-Identifier: Apache-2.0
// Wraps committed events into one EPCIS 2.0 document (EPCIS 2.0 section 12, JSON binding:
// EPCISDocument with @context, schemaVersion, creationDate, epcisBody.eventList).
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace dockgate::epcis {

/// The JSON-LD context: the EPCIS 2.0 context plus the dockgate extension namespace
/// {"dg": "https://dockgate.dev/ns/"}.
inline constexpr const char* kDockgateNamespace = "https://dockgate.dev/ns/";
inline constexpr const char* kEpcisContext =
    "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";

/// One document holding `events` (each a complete JSON object text) in the given order.
/// Built by concatenation: events are not re-parsed. `creation_ms` is UTC ms.
std::string make_document(std::span<const std::string* const> events, std::int64_t creation_ms);

}  // namespace dockgate::epcis
