// SPDX-License-Identifier: Apache-2.0
// Decides what a scan is: GS1 element string, GS1 Digital Link, retail GTIN, an accepted
// site pattern, or invalid (with a reason that names the AI at fault).
#pragma once

#include <optional>
#include <string>

#include "agent/core/identification.hpp"
#include "agent/core/site_patterns.hpp"

namespace dockgate {

/// A GS1 location label: AI (414) GLN of a physical location, with (254) its extension
/// (GS1 General Specifications 3.7.9 and 3.9.1), as a dock door label carries it, e.g.
/// `]C1414401234500001625400DOOR03` or https://id.gs1.org/414/4012345000016/254/DOOR03.
struct LocationLabel {
  std::string gln;        ///< 13 digits
  std::string extension;  ///< AI (254); empty when the label has none
};

struct Classified {
  std::optional<Identification> id;  ///< set when the scan is accepted
  /// Set instead of `id` when the scan is a location label (names a place, not an object).
  std::optional<LocationLabel> location;
  std::string error;  ///< human-readable reason when neither is set
  /// Exception kind for `error`: "invalid_barcode" (not valid data) or "no_object_identifier"
  /// (valid GS1 data naming no object, e.g. only a batch number).
  std::string error_kind = "invalid_barcode";
};

/// Order of attempts (AIM identifiers per ISO/IEC 15424; GS1 General Specifications 5.1.2):
///  1. GS1 symbology (]C1 ]e0 ]d2 ]Q3 ]J1): GS1 element string; ]E0/]E4: retail GTIN.
///  2. data that looks like an http(s) URI: GS1 Digital Link (any host).
///  3. site patterns, in config order.
///  4. no or non-GS1 symbology: GS1 element string anyway (many scanners are configured
///     without AIM prefixes), or a bare 8/12/13-digit retail GTIN.
/// Valid GS1 data with AI (414) and no object identifier is a location label (`location`);
/// other valid GS1 data without one gets error_kind "no_object_identifier".
/// When nothing accepts the data, `error` holds the most specific reason found.
Classified classify_scan(const std::string& symbology_id, const std::string& data,
                         const SitePatterns& patterns, const std::string& site_gln);

}  // namespace dockgate
