// SPDX-License-Identifier: Apache-2.0
// Internal: the EPC binary encodings this library decodes (not public API).
// Source: TDS 1.13 section 14.2 (EPC binary header values) and 14.5 (coding tables
// and partition tables of SGTIN, SSCC, SGLN, GRAI, GIAI, GSRN, GDTI).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace dockgate::epc::detail {

/// One partition table row (TDS 14.5.x coding tables, "Partition Table"): bits and decimal digits
/// of the GS1 Company Prefix and of the field after it. `field_digits` is the maximum character
/// count for a 7-bit string field (GIAI-202).
struct PartitionRow {
  std::size_t gcp_bits, gcp_digits, field_bits, field_digits;
};
using PartitionTable = std::array<PartitionRow, 7>;

/// Which GS1 key the encoding carries (TDS section 7).
enum class Key : std::uint8_t { kSgtin, kSscc, kSgln, kGrai, kGiai, kGsrn, kGdti };

/// What follows the company prefix and second field: an integer serial, a 7-bit string,
/// reserved bits (must be zero) or nothing.
enum class Tail : std::uint8_t { kNone, kInteger, kString, kReserved };

/// One EPC binary encoding.
struct Scheme {
  std::uint8_t header;        ///< first 8 bits (TDS 14.2)
  std::string_view name;      ///< tag URI scheme, "sgtin-96"
  std::string_view identity;  ///< pure identity scheme, "sgtin"
  std::size_t bits;           ///< total length in bits, header included
  Key key;
  const PartitionTable* partitions;
  bool field_is_string;  ///< GIAI-202 asset reference
  Tail tail;
  std::size_t tail_bits;
};

/// Tag URI scheme names of every encoding decoded here ("sgtin-96", ...), table order.
std::vector<std::string_view> scheme_names();

/// The scheme with `header`, or nullptr when not decoded here (raw URI).
const Scheme* scheme_for_header(std::uint8_t header);

}  // namespace dockgate::epc::detail
