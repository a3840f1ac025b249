// SPDX-License-Identifier: Apache-2.0
// What a scan identifies, in EPCIS 2.0 terms (EPCIS 2.0 section 7.3.3 ObjectEvent fields):
// instance-level ids for epcList, class-level ids for quantityList, and business
// transactions / destinations carried by the label.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "agent/gs1/element.hpp"

namespace dockgate {

/// QuantityElement (EPCIS 2.0 section 7.3.3.3): epcClass + quantity (+ uom when not a count).
struct QuantityElement {
  std::string epc_class;  ///< e.g. "https://id.gs1.org/01/04012345111118/10/LOT7"
  double quantity = 1;
  std::string uom;  ///< UN/ECE Rec 20 code; empty = a count of items
};

/// BizTransaction (EPCIS 2.0 section 7.3.5.3; CBV 2.0 section 7.3 types: po, bol, desadv...).
struct BizTransaction {
  std::string type;
  std::string id;  ///< URI
};

/// Source or destination (EPCIS 2.0 section 7.3.5.4; CBV types owning_party, location ...).
struct SourceDest {
  std::string type;
  std::string id;
};

struct Identification {
  std::vector<std::string> epcs;  ///< Digital Link URIs (or site-pattern URIs)
  std::vector<QuantityElement> quantities;
  std::vector<BizTransaction> biz_transactions;
  std::vector<SourceDest> destinations;
  std::string source;  ///< "gs1", "digital_link", "retail", or "pattern:<name>"
};

/// Maps parsed GS1 AIs to EPCIS fields:
///  00 SSCC -> epc https://id.gs1.org/00/{sscc};
///  01 GTIN + 21 serial -> epc .../01/{gtin}/21/{serial} (SGTIN);
///  01 GTIN without 21 -> quantityList epcClass .../01/{gtin}[/10/{lot}], quantity AI 30/37
///  (count) or 1;  02 (GTIN of contents) + 37 -> quantityList of the contents;
///  400 -> bizTransaction po "urn:epcglobal:cbv:bt:{site_gln}:{order}" (CBV 2.0 section 8.5);
///  401 GINC / 402 GSIN -> bizTransaction bol with the Digital Link URI;
///  8003 GRAI / 8004 GIAI (assets such as trailers) -> epc .../8003/{grai} or .../8004/{giai};
///  410 ship-to GLN -> destination "location" https://id.gs1.org/414/{gln}.
/// Returns nullopt with `error` set when nothing identifies an object (e.g. only AI 10).
std::optional<Identification> identify(const gs1::ParseResult& parsed, const std::string& site_gln,
                                       std::string& error);

}  // namespace dockgate
