// SPDX-License-Identifier: Apache-2.0
// EPC binary decoding. TDS 1.13 section 14.4 (decoding procedure: header, filter,
// partition, company prefix and second field as integers padded to the partition's digits,
// serial as integer or 7-bit string), section 12 (EPC tag URI, EPC raw URI for unknown
// headers), 6.3 (pure identity URI) and Table A-1 (URI escapes of " % & / < > ?).
#include <cstdio>
#include <string>

#include "agent/epc/bits.hpp"
#include "agent/epc/epc.hpp"
#include "agent/epc/gs1_keys.hpp"
#include "agent/epc/schemes.hpp"

namespace dockgate::epc {
namespace {

using detail::BitReader;
using detail::Scheme;

std::string upper(std::string_view name) {
  std::string out(name);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

// urn:epc:raw:<bits>.x<HEX> (TDS section 12, EPC raw URI): hex digits of the bits, the last one
// zero-padded.
std::string raw_uri(std::span<const std::uint8_t> bytes, std::size_t bit_count) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string uri = "urn:epc:raw:" + std::to_string(bit_count) + ".x";
  const std::size_t nibbles = (bit_count + 3) / 4;
  for (std::size_t i = 0; i < nibbles; ++i) {
    unsigned nibble = (bytes[i / 2] >> (i % 2 == 0 ? 4U : 0U)) & 0xFU;
    const std::size_t first_bit = i * 4;
    if (first_bit + 4 > bit_count) {
      const std::size_t keep = bit_count - first_bit;  // bits past bit_count read as zero
      nibble &= (0xFU << (4 - keep)) & 0xFU;
    }
    uri += kHex[nibble];
  }
  return uri;
}

// Table A-1: characters written as %XX in the tag and pure identity URIs.
std::string uri_escape(const std::string& text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "%22";
        break;
      case '%':
        out += "%25";
        break;
      case '&':
        out += "%26";
        break;
      case '/':
        out += "%2F";
        break;
      case '<':
        out += "%3C";
        break;
      case '>':
        out += "%3E";
        break;
      case '?':
        out += "%3F";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// An integer field written with exactly `digits` digits (leading zeros kept); false when
// the value needs more digits than the partition allows (TDS 14.4.3 Partition Table decoding
// method).
bool padded(std::uint64_t value, std::size_t digits, std::string& out) {
  std::string text = std::to_string(value);
  if (digits == 0) {
    out.clear();
    return value == 0;
  }
  if (text.size() > digits) return false;
  out = std::string(digits - text.size(), '0') + text;
  return true;
}

EpcResult fail(EpcResult r, std::string message) {
  r.scheme.clear();
  r.filter = -1;
  r.pure_identity_uri.clear();
  r.ais.clear();
  r.digital_link.clear();
  r.error = std::move(message);
  return r;
}

EpcResult decode_scheme(const Scheme& s, BitReader& in, EpcResult r) {
  const std::string name = upper(s.name);
  if (in.remaining() + 8 < s.bits) {
    return fail(std::move(r), name + ": " + std::to_string(in.remaining() + 8) + " bits, needs " +
                                  std::to_string(s.bits));
  }
  r.filter = static_cast<int>(in.read(3));
  const auto partition = static_cast<std::size_t>(in.read(3));
  if (partition > 6) {
    return fail(std::move(r),
                name + ": partition " + std::to_string(partition) + " is not defined (0..6)");
  }
  const detail::PartitionRow& row = (*s.partitions)[partition];
  detail::Fields f;
  if (!padded(in.read(row.gcp_bits), row.gcp_digits, f.gcp)) {
    return fail(std::move(r), name + ": company prefix wider than " +
                                  std::to_string(row.gcp_digits) + " digits (partition " +
                                  std::to_string(partition) + ")");
  }
  std::string error;
  if (s.field_is_string) {
    if (!in.read_string(row.field_bits, f.field, error) || f.field.empty() ||
        f.field.size() > row.field_digits) {
      if (error.empty())
        error = "length " + std::to_string(f.field.size()) + " not 1.." +
                std::to_string(row.field_digits);
      return fail(std::move(r), name + ": asset reference: " + error);
    }
  } else if (s.key == detail::Key::kGiai) {
    // GIAI-96 asset reference: an integer without leading zeros (TDS 14.4.4 Unpadded Partition
    // Table).
    const std::uint64_t value = in.read(row.field_bits);
    f.field = std::to_string(value);
    if (f.field.size() > row.field_digits) {
      return fail(std::move(r), name + ": asset reference wider than " +
                                    std::to_string(row.field_digits) + " digits");
    }
  } else if (!padded(in.read(row.field_bits), row.field_digits, f.field)) {
    return fail(std::move(r), name + ": field after the company prefix wider than " +
                                  std::to_string(row.field_digits) + " digits (partition " +
                                  std::to_string(partition) + ")");
  }
  switch (s.tail) {
    case detail::Tail::kInteger:
      f.serial = std::to_string(in.read(s.tail_bits));
      break;
    case detail::Tail::kString:
      if (!in.read_string(s.tail_bits, f.serial, error)) {
        return fail(std::move(r), name + ": serial: " + error);
      }
      if (f.serial.empty()) return fail(std::move(r), name + ": serial is empty");
      break;
    case detail::Tail::kReserved:
      // TDS 14.5.2 / 14.5.6 (and the TDT patterns): the reserved bits are zero.
      if (in.read(s.tail_bits) != 0) {
        return fail(std::move(r),
                    name + ": the " + std::to_string(s.tail_bits) + " reserved bits are not zero");
      }
      break;
    case detail::Tail::kNone:
      break;
  }
  if (!in.rest_is_zero()) {
    return fail(std::move(r),
                name + ": bits after the " + std::to_string(s.bits) + "-bit encoding are not zero");
  }
  // The identity fields shared by tag and pure identity URI (the field is only escaped
  // when it is a string: GIAI-202 asset reference; integers need no escapes).
  std::string ids = f.gcp + "." + uri_escape(f.field);
  if (s.tail == detail::Tail::kInteger || s.tail == detail::Tail::kString) {
    ids += "." + uri_escape(f.serial);
  }
  r.scheme = std::string(s.name);
  r.tag_uri = "urn:epc:tag:" + r.scheme + ":" + std::to_string(r.filter) + "." + ids;
  r.pure_identity_uri = "urn:epc:id:" + std::string(s.identity) + ":" + ids;
  r.ais = detail::to_ais(s.key, f);
  r.digital_link = detail::to_digital_link(r.ais);
  return r;
}

}  // namespace

EpcResult decode_epc(std::span<const std::uint8_t> bytes, std::size_t bit_count) {
  EpcResult r;
  if (bit_count == 0) return fail(std::move(r), "empty EPC (0 bits)");
  if (bytes.size() * 8 < bit_count) {
    return fail(std::move(r), "truncated EPC: " + std::to_string(bit_count) + " bits need " +
                                  std::to_string((bit_count + 7) / 8) + " bytes, got " +
                                  std::to_string(bytes.size()));
  }
  r.tag_uri = raw_uri(bytes, bit_count);
  if (bit_count < 8) return fail(std::move(r), "EPC shorter than its 8-bit header");
  BitReader in(bytes, bit_count);
  const auto header = static_cast<std::uint8_t>(in.read(8));
  const Scheme* scheme = detail::scheme_for_header(header);
  if (scheme == nullptr) {
    // Unknown header or an EPC this library does not decode: kept as a raw URI.
    r.scheme = "raw";
    return r;
  }
  return decode_scheme(*scheme, in, std::move(r));
}

bool parse_hex(std::string_view hex, std::vector<std::uint8_t>& bytes, std::string& error) {
  bytes.clear();
  if (hex.empty()) {
    error = "empty hex string";
    return false;
  }
  if (hex.size() % 2 != 0) {
    error = "odd number of hex digits (" + std::to_string(hex.size()) + ")";
    return false;
  }
  for (std::size_t i = 0; i < hex.size(); ++i) {
    const char c = hex[i];
    unsigned v = 0;
    if (c >= '0' && c <= '9') {
      v = static_cast<unsigned>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      v = static_cast<unsigned>(c - 'a' + 10);
    } else if (c >= 'A' && c <= 'F') {
      v = static_cast<unsigned>(c - 'A' + 10);
    } else {
      char msg[64];
      std::snprintf(msg, sizeof(msg), "not a hex digit at position %zu: 0x%02X", i + 1,
                    static_cast<unsigned>(static_cast<unsigned char>(c)));
      error = msg;
      bytes.clear();
      return false;
    }
    if (i % 2 == 0) {
      bytes.push_back(static_cast<std::uint8_t>(v << 4U));
    } else {
      bytes.back() = static_cast<std::uint8_t>(bytes.back() | v);
    }
  }
  return true;
}

EpcResult decode_epc_hex(std::string_view hex) {
  std::vector<std::uint8_t> bytes;
  std::string error;
  if (!parse_hex(hex, bytes, error)) {
    EpcResult r;
    r.error = std::move(error);
    return r;
  }
  return decode_epc(bytes, bytes.size() * 8);
}

std::string_view filter_name(std::string_view scheme, int filter) {
  // TDS 1.13 section 10 (filter value tables of SGTIN, SSCC, SGLN).
  const bool sgtin = scheme.starts_with("sgtin");
  const bool sscc = scheme.starts_with("sscc");
  const bool sgln = scheme.starts_with("sgln");
  switch (filter) {
    case 0:
      return (sgtin || sscc || sgln) ? "all others" : "";
    case 1:
      return sgtin ? "pos item" : "";
    case 2:
      return (sgtin || sscc) ? "full case" : "";
    case 4:
      return sgtin ? "inner pack" : "";
    case 6:
      return (sgtin || sscc) ? "unit load" : "";
    case 7:
      return sgtin ? "unit inside trade item" : "";
    default:
      return "";
  }
}

std::vector<std::string_view> known_schemes() {
  return detail::scheme_names();
}

}  // namespace dockgate::epc
