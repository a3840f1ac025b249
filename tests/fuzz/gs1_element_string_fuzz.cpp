// SPDX-License-Identifier: Apache-2.0
// Fuzz target: GS1 element strings as scanners send them (AIs, GS separators, the "(01)..."
// human-readable form) and bare retail GTINs. Input: the scanned data bytes.
// Invariants: never throws or crashes; a result is either AIs or an error, never both;
// every AI returned is a non-empty digit string; an accepted string re-parses to the same
// AIs when written back in human-readable form.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "agent/gs1/parse.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace {

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

/// "(ai)value..." with '(' escaped as the parser documents ("\(").
std::string human_readable(const dockgate::gs1::ParseResult& r) {
  std::string out;
  for (const auto& [ai, value] : r.ais) {
    out += '(' + ai + ')';
    for (char c : value) {
      if (c == '(') out += '\\';
      out += c;
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  namespace gs1 = dockgate::gs1;

  const gs1::ParseResult r = gs1::parse_element_string(text);
  FUZZ_CHECK(r.ok() != !r.error.empty(), "ok() matches error");
  FUZZ_CHECK(r.ok() || r.ais.empty(), "no AIs on error");
  for (const auto& [ai, value] : r.ais) {
    FUZZ_CHECK(all_digits(ai) && ai.size() >= 2 && ai.size() <= 4, "AI is 2-4 digits");
    FUZZ_CHECK(r.find(ai) != nullptr, "find() sees every AI");
  }
  if (r.ok() && !r.ais.empty()) {
    const gs1::ParseResult again = gs1::parse_element_string(human_readable(r));
    FUZZ_CHECK(again.ok(), "human-readable form of an accepted string parses");
    FUZZ_CHECK(again.ais.size() == r.ais.size(), "same number of AIs");
    for (std::size_t i = 0; i < r.ais.size(); ++i) {
      FUZZ_CHECK(again.ais[i].ai == r.ais[i].ai && again.ais[i].value == r.ais[i].value,
                 "same AIs and values");
    }
  }

  const gs1::ParseResult retail = gs1::parse_retail(text);
  FUZZ_CHECK(retail.ok() || retail.ais.empty(), "no retail AIs on error");
  if (retail.ok()) {
    const std::string* gtin = retail.find("01");
    FUZZ_CHECK(gtin != nullptr && gtin->size() == 14 && gs1::check_digit_valid(*gtin),
               "retail result is a valid GTIN-14");
  }
  (void)gs1::check_digit(text);
  (void)gs1::is_gs1_symbology(text.substr(0, 3));
  return 0;
}
