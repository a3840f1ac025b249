// SPDX-License-Identifier: Apache-2.0
// Decoding of EPC binary encodings (RFID tag EPC memory) into tag URI, pure identity URI,
// GS1 AI values and the GS1 Digital Link URI. Pure functions: no I/O, never throw.
// Source: GS1 EPC Tag Data Standard (TDS) 1.13: section 14 (EPC binary encoding and
// decoding), 12 (tag URI, raw URI), 6 (pure identity URI), 7 (EPC <-> GS1 keys).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "agent/gs1/element.hpp"

namespace dockgate::epc {

/// One decoded EPC. On success `scheme` is the TDS tag encoding name ("sgtin-96",
/// "sscc-96", ...) or "raw" for a header this library does not know (TDS section 12: the tag
/// is kept as urn:epc:raw:<bits>.x<HEX>, `filter` -1, no identity, no AIs).
/// On error `error` is a readable message ("SGTIN-96: partition 7 is not defined") and
/// `tag_uri` still holds the raw URI when there were any bits, so nothing read is lost.
struct EpcResult {
  std::string scheme;             ///< "sgtin-96", ..., "raw"; empty on error
  int filter = -1;                ///< filter value 0..7 (TDS section 10), -1 for raw
  std::string tag_uri;            ///< urn:epc:tag:sgtin-96:3.0614141.812345.6789
  std::string pure_identity_uri;  ///< urn:epc:id:sgtin:0614141.812345.6789
  std::vector<gs1::AiValue> ais;  ///< GS1 element string, e.g. (01) and (21) (TDS 7)
  std::string digital_link;       ///< https://id.gs1.org/01/.../21/... from `ais`
  std::string error;
  [[nodiscard]] bool ok() const { return error.empty(); }
};

/// Decodes the first `bit_count` bits of `bytes` (most significant bit of bytes[0] first),
/// as the LLRP EPCData parameter delivers them (bit count + bytes). Bits beyond the
/// encoding's length (word padding of an EPC bank) must be zero. Errors: no bits, fewer
/// bytes than `bit_count` needs, input shorter than the scheme ("SGTIN-96: 64 bits, needs
/// 96"), undefined partition, a number wider than its partition's digits, an invalid
/// 7-bit character, non-zero reserved bits (SSCC-96, GSRN-96) or padding.
EpcResult decode_epc(std::span<const std::uint8_t> bytes, std::size_t bit_count);

/// decode_epc on hex digits (either case, 4 bits each, e.g. "3034F4E4E40AD9C000002694").
/// Errors for an empty string, an odd number of digits or a non-hex character.
EpcResult decode_epc_hex(std::string_view hex);

/// Hex text to bytes. Returns false with `error` set on an empty string, an odd number of
/// digits ("odd number of hex digits (25)") or a non-hex character.
bool parse_hex(std::string_view hex, std::vector<std::uint8_t>& bytes, std::string& error);

/// Tag URI scheme names of every encoding decode_epc knows ("sgtin-96", "sscc-96", ...);
/// anything else decodes as "raw".
std::vector<std::string_view> known_schemes();

/// Human name of a filter value for schemes where TDS section 10 defines it
/// ("pos item", "full case", ...), or "" when reserved or not defined for `scheme`.
std::string_view filter_name(std::string_view scheme, int filter);

}  // namespace dockgate::epc
