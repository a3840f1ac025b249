// SPDX-License-Identifier: Apache-2.0
// Internal: decoded EPC fields to GS1 AI values and the Digital Link URI (not public API).
// Source: TDS 1.13 section 7 (correspondence between EPCs and GS1 keys: one subsection
// each for SGTIN-GTIN, SSCC, SGLN-GLN, GRAI, GIAI, GSRN, GDTI).
#pragma once

#include <string>
#include <vector>

#include "agent/epc/schemes.hpp"
#include "agent/gs1/element.hpp"

namespace dockgate::epc::detail {

/// Fields of a decoded EPC as they appear in the pure identity URI: company prefix,
/// second field (item reference with indicator, serial reference, location ...) and the
/// serial / extension ("" when the scheme has none).
struct Fields {
  std::string gcp, field, serial;
};

/// GS1 element string of the EPC (check digits computed): SGTIN (01)+(21), SSCC (00),
/// SGLN (414) and (254) unless the extension is "0", GRAI (8003), GIAI (8004), GSRN (8018),
/// GDTI (253).
std::vector<gs1::AiValue> to_ais(Key key, const Fields& f);

/// The canonical https://id.gs1.org Digital Link URI of `ais` (first AI the primary key),
/// built by the same code the barcode path uses (gs1::digital_link).
std::string to_digital_link(const std::vector<gs1::AiValue>& ais);

}  // namespace dockgate::epc::detail
