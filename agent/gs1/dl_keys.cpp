// SPDX-License-Identifier: Apache-2.0
#include "agent/gs1/dl_keys.hpp"

#include <algorithm>
#include <iterator>

namespace dockgate::gs1::detail {
namespace {

constexpr std::string_view kGtinSeq[] = {"22", "10", "21"};  // CPV, batch, serial
constexpr std::string_view kTpxSeq[] = {"235"};              // third-party serial
constexpr std::string_view kGlnExtSeq[] = {"254"};
constexpr std::string_view kUicSeq[] = {"7040"};
constexpr std::string_view kPayToSeq[] = {"8020"};
constexpr std::string_view kCpidSeq[] = {"8011"};
constexpr std::string_view kSrinSeq[] = {"8019"};

constexpr QualifierPath kGtinPaths[] = {kGtinSeq, kTpxSeq};
constexpr QualifierPath kItipPaths[] = {kGtinSeq};
constexpr QualifierPath kGlnPaths[] = {kGlnExtSeq, kUicSeq};
constexpr QualifierPath kUicPaths[] = {kUicSeq};
constexpr QualifierPath kPayToPaths[] = {kPayToSeq};
constexpr QualifierPath kCpidPaths[] = {kCpidSeq};
constexpr QualifierPath kGsrnPaths[] = {kSrinSeq};

constexpr DlKey kKeys[] = {
    {"00", {}},            // SSCC
    {"01", kGtinPaths},    // GTIN
    {"253", {}},           // GDTI
    {"255", {}},           // GCN
    {"401", {}},           // GINC
    {"402", {}},           // GSIN
    {"414", kGlnPaths},    // GLN of a physical location
    {"415", kPayToPaths},  // GLN of the invoicing party
    {"417", kUicPaths},    // party GLN
    {"8003", {}},          // GRAI
    {"8004", kUicPaths},   // GIAI
    {"8006", kItipPaths},  // ITIP
    {"8010", kCpidPaths},  // CPID
    {"8013", {}},          // GMN
    {"8017", kGsrnPaths},  // GSRN provider
    {"8018", kGsrnPaths},  // GSRN recipient
};

}  // namespace

const DlKey* dl_key(std::string_view ai) {
  const auto* it = std::find_if(std::begin(kKeys), std::end(kKeys),
                                [&](const DlKey& key) { return key.ai == ai; });
  return it == std::end(kKeys) ? nullptr : it;
}

}  // namespace dockgate::gs1::detail
