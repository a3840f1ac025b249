// Entry points for GS1 data as scanners deliver it.
#pragma once

#include <string>
#include <string_view>

#include "agent/gs1/element.hpp"

namespace dockgate::gs1 {

/// Parses a GS1 element string as transmitted after the symbology identifier: AIs
/// concatenated, FNC1 separators as GS (0x1D), no leading FNC1. Validates each AI against
/// the AI table (known AI, fixed/max length, character set N / X (CSET 82) / Y (CSET 39),
/// mod-10 check digit for 00, 01, 02, 410, 414 ... , date fields) and the
/// predefined-length rule (GS General Specifications 7.8.5). Also accepts the
/// human-readable "(01)09506000134352(21)abc" form. Never throws.
ParseResult parse_element_string(std::string_view data);

/// Parses a GS1 Digital Link URI on any host ("https://example.com/01/09506000134352/21/x",
/// optional path prefix before the primary key, query string AIs such as "?10=ABC&17=251231")
/// into AIs in URI order; percent-decoding applied; values validated as above.
ParseResult parse_digital_link(std::string_view uri);

/// True when `data` looks like an http(s) URI (candidate for parse_digital_link).
bool looks_like_uri(std::string_view data);

/// True for AIM symbology identifiers that announce GS1 data: ]C1 ]e0 ]d2 ]Q3 ]J1 (and ]E0,
/// ]E4 retail codes which carry a bare GTIN-13/GTIN-8, see parse_retail).
bool is_gs1_symbology(std::string_view symbology_id);

/// EAN-13 / UPC-A / EAN-8 content (]E0, ]E4, or bare 8/12/13 digits) as AI 01 with the GTIN
/// padded to 14 digits; error on a bad check digit or length.
ParseResult parse_retail(std::string_view digits);

/// GS1 mod-10 check digit over `digits` (data digits without the check digit), as '0'..'9'.
/// Weights 3,1,3,... from the rightmost digit (GS General Specifications 7.9.1).
char check_digit(std::string_view digits);

/// True when the last digit of `digits_with_check` is its correct mod-10 check digit.
bool check_digit_valid(std::string_view digits_with_check);

/// Canonical GS1 Digital Link URI on id.gs1.org for a primary key with optional key
/// qualifiers, e.g. digital_link("01", gtin, {{"21", serial}}) ->
/// "https://id.gs1.org/01/09506000134352/21/abc". Values are percent-encoded as the
/// Digital Link standard (section 4.11) requires.
std::string digital_link(std::string_view primary_ai, std::string_view primary_value,
                         const std::vector<AiValue>& qualifiers = {});

}  // namespace dockgate::gs1
