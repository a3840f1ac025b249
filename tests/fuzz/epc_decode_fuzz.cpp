// SPDX-License-Identifier: Apache-2.0
// Fuzz target: EPC binary decoding (RFID tag EPC memory as LLRP EPCData delivers it).
// Input: byte 0 = how many trailing bits of the last byte to drop (low 3 bits), the rest =
// EPC bytes; the whole input is also tried as hex text.
// Invariants: never throws or crashes; a scheme xor an error; a decoded EPC has a tag URI
// "urn:epc:tag:<scheme>:<filter>." (or urn:epc:raw:), a filter 0..7 and a Digital Link URI
// that the barcode path (gs1::parse_digital_link) parses back to the same AIs; decode_epc_hex
// of the bytes' hex equals decode_epc of the bytes.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "agent/epc/epc.hpp"
#include "agent/gs1/parse.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace {

namespace epc = dockgate::epc;

void check(const epc::EpcResult& r) {
  FUZZ_CHECK(r.ok() != r.scheme.empty(), "a scheme exactly when there is no error");
  if (!r.ok()) {
    FUZZ_CHECK(r.pure_identity_uri.empty() && r.ais.empty() && r.digital_link.empty(),
               "no identity on error");
    FUZZ_CHECK(r.tag_uri.empty() || r.tag_uri.starts_with("urn:epc:raw:"), "raw URI on error");
    return;
  }
  if (r.scheme == "raw") {
    FUZZ_CHECK(r.tag_uri.starts_with("urn:epc:raw:") && r.filter == -1 && r.ais.empty(),
               "raw EPCs carry only the raw URI");
    return;
  }
  FUZZ_CHECK(r.filter >= 0 && r.filter <= 7, "filter is 3 bits");
  FUZZ_CHECK(
      r.tag_uri.starts_with("urn:epc:tag:" + r.scheme + ":" + std::to_string(r.filter) + "."),
      "tag URI names scheme and filter");
  FUZZ_CHECK(r.pure_identity_uri.starts_with("urn:epc:id:"), "pure identity URI");
  const dockgate::gs1::ParseResult back = dockgate::gs1::parse_digital_link(r.digital_link);
  FUZZ_CHECK(back.ok(), "the Digital Link URI of a decoded EPC parses");
  FUZZ_CHECK(back.ais.size() == r.ais.size(), "the Digital Link keeps every AI");
  for (std::size_t i = 0; i < r.ais.size(); ++i) {
    FUZZ_CHECK(back.ais[i].ai == r.ais[i].ai && back.ais[i].value == r.ais[i].value,
               "the Digital Link keeps every AI value");
  }
}

std::string to_hex(std::span<const std::uint8_t> bytes) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const std::uint8_t b : bytes) {
    out += kHex[b >> 4U];
    out += kHex[b & 0xFU];
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::span<const std::uint8_t> bytes(data + 1, size - 1);
  const std::size_t drop = data[0] & 7U;
  const std::size_t bits = bytes.size() * 8 >= drop ? bytes.size() * 8 - drop : 0;
  check(epc::decode_epc(bytes, bits));

  const epc::EpcResult whole = epc::decode_epc(bytes, bytes.size() * 8);
  check(whole);
  if (!bytes.empty()) {
    const epc::EpcResult hex = epc::decode_epc_hex(to_hex(bytes));
    FUZZ_CHECK(hex.error == whole.error && hex.tag_uri == whole.tag_uri &&
                   hex.digital_link == whole.digital_link,
               "hex and byte input decode alike");
  }
  check(epc::decode_epc_hex(std::string_view(reinterpret_cast<const char*>(data), size)));
  return 0;
}
