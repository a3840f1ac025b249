// SPDX-License-Identifier: Apache-2.0
// Decides what a scan is: GS1 element string, GS1 Digital Link, retail GTIN, an accepted
// site pattern, or invalid (with a reason that names the AI at fault).
#pragma once

#include <optional>
#include <string>

#include "agent/core/identification.hpp"
#include "agent/core/site_patterns.hpp"

namespace dockgate {

struct Classified {
  std::optional<Identification> id;  ///< set when the scan is accepted
  std::string error;                 ///< human-readable reason when it is not
};

/// Order of attempts (AIM identifiers per ISO/IEC 15424; GS1 General Specifications 5.1.2):
///  1. GS1 symbology (]C1 ]e0 ]d2 ]Q3 ]J1): GS1 element string; ]E0/]E4: retail GTIN.
///  2. data that looks like an http(s) URI: GS1 Digital Link (any host).
///  3. site patterns, in config order.
///  4. no or non-GS1 symbology: GS1 element string anyway (many scanners are configured
///     without AIM prefixes), or a bare 8/12/13-digit retail GTIN.
/// When nothing accepts the data, `error` holds the most specific reason found.
Classified classify_scan(const std::string& symbology_id, const std::string& data,
                         const SitePatterns& patterns, const std::string& site_gln);

}  // namespace dockgate
