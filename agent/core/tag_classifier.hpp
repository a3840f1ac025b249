// SPDX-License-Identifier: Apache-2.0
// Decides what an RFID tag pass identifies, through the same GS1 AI -> EPCIS mapping as a
// barcode (agent/core/identification.hpp), so a tag and a label of one SSCC can never give
// two identifiers; and the key under which repeats of one object are suppressed.
#pragma once

#include <string>

#include "agent/core/scan_classifier.hpp"
#include "agent/scan_read.hpp"

namespace dockgate {

/// Decodes `tag.epc_hex` (GS1 EPC TDS 1.13 section 14) and maps it:
///  - GS1 schemes (SGTIN, SSCC, GRAI, GIAI, ...): their AIs through identify(), e.g. SSCC-96
///    -> epcList https://id.gs1.org/00/{sscc}; keys identify() has no rule for (SGLN, GSRN,
///    GDTI) -> epcList with the scheme's Digital Link URI;
///  - unknown headers (the LLRP driver keeps them unless configured to reject): epcList
///    with the raw URI urn:epc:raw:{bits}.x{HEX} (TDS section 12.4);
///  - an EPC that does not decode: `error` (e.g. "SSCC-96: partition 7 is not defined").
/// Identification::source is "rfid".
Classified classify_tag(const TagFacts& tag, const std::string& site_gln);

/// The identity of what a read identified, for repeat suppression (DedupFilter): its
/// epcList joined, so a barcode scan and a tag pass of one SSCC share one key; for a read
/// without instance ids (a GTIN with a count) or a rejected read, its raw bytes.
std::string identity_key(const Classified& c, const std::string& raw);

}  // namespace dockgate
