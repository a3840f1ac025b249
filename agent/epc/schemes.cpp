// SPDX-License-Identifier: Apache-2.0
// EPC header values and partition tables. TDS 1.13 section 14.2 (binary headers) and 14.5
// (coding and partition tables): 14.5.1 SGTIN, 14.5.2 SSCC, 14.5.3 SGLN, 14.5.4 GRAI,
// 14.5.5 GIAI, 14.5.6 GSRN, 14.5.7 GDTI.
#include "agent/epc/schemes.hpp"

namespace dockgate::epc::detail {
namespace {

// Company prefix 12..6 digits in 40..20 bits; the second field fills the GS1 key.
constexpr PartitionTable kSgtin{{{40, 12, 4, 1},
                                 {37, 11, 7, 2},
                                 {34, 10, 10, 3},
                                 {30, 9, 14, 4},
                                 {27, 8, 17, 5},
                                 {24, 7, 20, 6},
                                 {20, 6, 24, 7}}};
// GRAI asset type: the SGTIN bit widths, one digit fewer (no indicator digit).
constexpr PartitionTable kGrai{{{40, 12, 4, 0},
                                {37, 11, 7, 1},
                                {34, 10, 10, 2},
                                {30, 9, 14, 3},
                                {27, 8, 17, 4},
                                {24, 7, 20, 5},
                                {20, 6, 24, 6}}};
// SSCC serial reference (extension digit included) and GSRN service reference.
constexpr PartitionTable kSscc{{{40, 12, 18, 5},
                                {37, 11, 21, 6},
                                {34, 10, 24, 7},
                                {30, 9, 28, 8},
                                {27, 8, 31, 9},
                                {24, 7, 34, 10},
                                {20, 6, 38, 11}}};
// SGLN location reference and GDTI document type.
constexpr PartitionTable kSgln{{{40, 12, 1, 0},
                                {37, 11, 4, 1},
                                {34, 10, 7, 2},
                                {30, 9, 11, 3},
                                {27, 8, 14, 4},
                                {24, 7, 17, 5},
                                {20, 6, 21, 6}}};
constexpr PartitionTable kGiai96{{{40, 12, 42, 13},
                                  {37, 11, 45, 14},
                                  {34, 10, 48, 15},
                                  {30, 9, 52, 16},
                                  {27, 8, 55, 17},
                                  {24, 7, 58, 18},
                                  {20, 6, 62, 19}}};
constexpr PartitionTable kGiai202{{{40, 12, 148, 18},
                                   {37, 11, 151, 19},
                                   {34, 10, 154, 20},
                                   {30, 9, 158, 21},
                                   {27, 8, 161, 22},
                                   {24, 7, 164, 23},
                                   {20, 6, 168, 24}}};

constexpr Scheme kSchemes[] = {
    {0x2C, "gdti-96", "gdti", 96, Key::kGdti, &kSgln, false, Tail::kInteger, 41},
    {0x2D, "gsrn-96", "gsrn", 96, Key::kGsrn, &kSscc, false, Tail::kReserved, 24},
    {0x30, "sgtin-96", "sgtin", 96, Key::kSgtin, &kSgtin, false, Tail::kInteger, 38},
    {0x31, "sscc-96", "sscc", 96, Key::kSscc, &kSscc, false, Tail::kReserved, 24},
    {0x32, "sgln-96", "sgln", 96, Key::kSgln, &kSgln, false, Tail::kInteger, 41},
    {0x33, "grai-96", "grai", 96, Key::kGrai, &kGrai, false, Tail::kInteger, 38},
    {0x34, "giai-96", "giai", 96, Key::kGiai, &kGiai96, false, Tail::kNone, 0},
    {0x36, "sgtin-198", "sgtin", 198, Key::kSgtin, &kSgtin, false, Tail::kString, 140},
    {0x37, "grai-170", "grai", 170, Key::kGrai, &kGrai, false, Tail::kString, 112},
    {0x38, "giai-202", "giai", 202, Key::kGiai, &kGiai202, true, Tail::kNone, 0},
    {0x39, "sgln-195", "sgln", 195, Key::kSgln, &kSgln, false, Tail::kString, 140},
};

}  // namespace

std::vector<std::string_view> scheme_names() {
  std::vector<std::string_view> names;
  for (const Scheme& s : kSchemes) names.push_back(s.name);
  return names;
}

const Scheme* scheme_for_header(std::uint8_t header) {
  for (const Scheme& s : kSchemes) {
    if (s.header == header) return &s;
  }
  return nullptr;
}

}  // namespace dockgate::epc::detail
