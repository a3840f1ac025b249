// SPDX-License-Identifier: Apache-2.0
// Internal: GS1 Digital Link primary keys and their key qualifiers (not public API).
// Source: GS1 Digital Link Standard: URI Syntax 1.4 (table of primary keys and key
// qualifiers), as carried by the "dlpkey" attributes of the GS1 Barcode Syntax Dictionary.
#pragma once

#include <span>
#include <string_view>

namespace dockgate::gs1::detail {

/// One allowed qualifier sequence of a primary key: qualifiers appear in this order, each
/// optional, e.g. {"22", "10", "21"} for AI (01).
using QualifierPath = std::span<const std::string_view>;

/// A Digital Link primary key AI and its alternative qualifier sequences (may be empty).
struct DlKey {
  std::string_view ai;
  std::span<const QualifierPath> paths;
};

/// The entry for `ai`, or nullptr when `ai` is not a Digital Link primary key.
const DlKey* dl_key(std::string_view ai);

}  // namespace dockgate::gs1::detail
