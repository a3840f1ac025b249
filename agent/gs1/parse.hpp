// SPDX-License-Identifier: Apache-2.0
// Entry points for GS1 data as scanners deliver it. Pure functions: no I/O, never throw.
#pragma once

#include <string>
#include <string_view>

#include "agent/gs1/element.hpp"

namespace dockgate::gs1 {

/// Parses a GS1 element string as transmitted after the symbology identifier: AIs
/// concatenated, FNC1 separators as GS (0x1D). Validates each AI against the AI table
/// (agent/gs1/ai_table.hpp: known AI, fixed/max length, character set N / X (CSET 82) /
/// Y (CSET 39), mod-10 check digit for 00, 01, 02, 253, 402, 410-417, 8003, 8006, 8017 ...,
/// dates, times) and the predefined-length rule (GS General Specifications 7.8.5): a
/// predefined-length AI (00-04, 11-20, 31-36, 41) ends after its length, any other at GS
/// or end of data. A leading GS (FNC1 in first position) and a GS after a predefined-length
/// value are tolerated; an empty element (GS GS), a trailing GS, or an AI repeated with a
/// different value is an error. Also accepts the human-readable form
/// "(01)09506000134352(21)abc" (a literal '(' in a value written "\(").
/// Errors name the AI and show non-printable bytes as \xNN, e.g.
/// "AI (00): check digit is 1, expected 0", "AI (00): 17 digits, expected 18",
/// "AI (10): longer than 20 characters; missing FNC1/GS separator?",
/// "unknown Application Identifier at position 16: '23x'". On error `ais` is empty.
ParseResult parse_element_string(std::string_view data);

/// Parses a GS1 Digital Link URI (http or https, any host, optional path prefix before the
/// primary key: "https://example.com/some/prefix/01/09506000134352/10/ABC/21/x?17=251231")
/// into AIs in URI order: primary key, key qualifiers (in the order the Digital Link
/// standard prescribes for that key, e.g. 01 -> 22, 10, 21 or 235; 414 -> 254), then query
/// data attributes. All-digit query keys are AIs (unknown ones are an error); other
/// parameters (linkType ...) are ignored, as is a fragment. Values are percent-decoded and
/// validated as in parse_element_string; GTIN-8/12/13 in AI (01) are padded to 14 digits.
/// Error when the path holds no primary key (00, 01, 253, 255, 401, 402, 414, 415, 417,
/// 8003, 8004, 8006, 8010, 8013, 8017, 8018).
ParseResult parse_digital_link(std::string_view uri);

/// True when `data` starts with "http://" or "https://" (any case): a candidate for
/// parse_digital_link.
bool looks_like_uri(std::string_view data);

/// True for AIM symbology identifiers that announce GS1 data: ]C1 ]e0 ]d2 ]Q3 ]J1 (and ]E0,
/// ]E4 retail codes which carry a bare GTIN-13/GTIN-8, see parse_retail).
bool is_gs1_symbology(std::string_view symbology_id);

/// EAN-13 / UPC-A / EAN-8 content as AI (01) with the GTIN padded to 14 digits. `digits` is
/// "]E0" + 12/13 digits, "]E4" + 8 digits, or bare 8/12/13/14 digits. Error on a wrong
/// length, a non-digit or a bad check digit ("GTIN 4012345111119: check digit is 9,
/// expected 8").
ParseResult parse_retail(std::string_view digits);

/// GS1 mod-10 check digit over `digits` (data digits without the check digit), as '0'..'9'.
/// Weights 3,1,3,... from the rightmost digit (GS General Specifications 7.9.1).
/// Returns '\0' when `digits` is empty or holds a non-digit.
char check_digit(std::string_view digits);

/// True when `digits_with_check` is at least 2 digits and its last digit is the correct
/// mod-10 check digit of the others.
bool check_digit_valid(std::string_view digits_with_check);

/// Canonical GS1 Digital Link URI on id.gs1.org for a primary key with optional key
/// qualifiers, e.g. digital_link("01", gtin, {{"21", serial}}) ->
/// "https://id.gs1.org/01/09506000134352/21/abc". A GTIN-8/12/13 under "01" is padded to
/// 14 digits; qualifiers are put into the key's standard order (22, 10, 21 for AI 01);
/// every byte outside A-Z a-z 0-9 - . _ ~ is percent-encoded (%2F ...). Does not validate:
/// pass values that parsed.
std::string digital_link(std::string_view primary_ai, std::string_view primary_value,
                         const std::vector<AiValue>& qualifiers = {});

}  // namespace dockgate::gs1
