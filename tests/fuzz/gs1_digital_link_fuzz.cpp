// SPDX-License-Identifier: Apache-2.0
// Fuzz target: GS1 Digital Link URIs (QR codes, NFC, camera reads). Input: the URI bytes;
// a prefix "https://id.gs1.org/" is tried too so the fuzzer reaches the path rules early.
// Invariants: never throws or crashes; AIs or an error, never both; an accepted URI's primary
// key and qualifiers, rendered with digital_link(), parse back to the same primary key.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "agent/gs1/parse.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace {

void check(std::string_view uri) {
  namespace gs1 = dockgate::gs1;
  const gs1::ParseResult r = gs1::parse_digital_link(uri);
  FUZZ_CHECK(r.ok() != !r.error.empty(), "ok() matches error");
  FUZZ_CHECK(r.ok() || r.ais.empty(), "no AIs on error");
  if (!r.ok()) return;
  FUZZ_CHECK(!r.ais.empty(), "an accepted URI has a primary key");
  (void)gs1::looks_like_uri(uri);

  // Render the primary key alone in canonical form and parse that again.
  const std::string canonical = gs1::digital_link(r.ais.front().ai, r.ais.front().value);
  const gs1::ParseResult again = gs1::parse_digital_link(canonical);
  FUZZ_CHECK(again.ok(), "canonical URI of an accepted primary key parses");
  FUZZ_CHECK(!again.ais.empty() && again.ais.front().ai == r.ais.front().ai &&
                 again.ais.front().value == r.ais.front().value,
             "canonical URI keeps the primary key");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check(text);
  check("https://id.gs1.org/" + std::string(text));
  return 0;
}
