// SPDX-License-Identifier: Apache-2.0
// Independent cross-check: random valid EPCs of every scheme, encoded and decoded by the
// epc-tds npm package (gen_epcs.js, installed by scripts/install-deps into tests/epc/node),
// must decode here to the same tag URI, pure identity URI and filter, and to a Digital Link
// URI that the barcode path (gs1::parse_digital_link) accepts.
// Three known differences of epc-tds (1.4.1) are normalised before comparing, never
// ignored: it writes URI characters unescaped (TDS Table A-1 wants %2F ...); it writes a
// 0-digit field (SGLN location / GRAI asset type / GDTI document type in partition 0) as "0"
// where TDS 14.4.3 gives an empty string; and it drops the leading zeros of the GSRN service
// reference (Gsrn96.toTagURI uses getSegment, not the zero-padded getSegmentString), which
// TDS 14.4.3 pads to the partition's digits.
#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <string>

#include "agent/epc/epc.hpp"
#include "agent/gs1/parse.hpp"

namespace dockgate::epc {
namespace {

constexpr int kPerScheme = 100;  // x 11 schemes = 1,100 EPCs per run

// Our URI in epc-tds' writing: escapes undone, an empty 0-digit field written "0", the
// GSRN service reference without leading zeros.
std::string as_epc_tds_writes(const std::string& uri) {
  std::string out;
  for (std::size_t i = 0; i < uri.size(); ++i) {
    if (uri[i] == '%' && i + 2 < uri.size()) {
      out += static_cast<char>(std::stoi(uri.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += uri[i];
    }
  }
  const std::size_t empty = out.find("..");
  const bool zero_digit_scheme = out.find(":sgln") != std::string::npos ||
                                 out.find(":grai") != std::string::npos ||
                                 out.find(":gdti") != std::string::npos;
  // Only the field right after a 12-digit company prefix can be empty (a serial never is).
  if (zero_digit_scheme && empty != std::string::npos &&
      out.find_last_of(":.", empty - 1) + 13 == empty) {
    out.insert(empty + 1, "0");
  }
  if (out.find(":gsrn") != std::string::npos) {
    std::size_t digit = out.rfind('.') + 1;
    while (digit + 1 < out.size() && out[digit] == '0') out.erase(digit, 1);
  }
  return out;
}

std::string run(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  std::array<char, 4096> buf{};
  std::size_t n = 0;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) out.append(buf.data(), n);
  pclose(pipe);
  return out;
}

TEST(EpcCrossCheck, RandomEpcsAgreeWithEpcTds) {
  const std::string dir = std::string(DOCKGATE_SOURCE_DIR) + "/tests/epc";
  const unsigned seed = std::random_device{}() % 1000000000U;
  const std::string out = run(std::string(DOCKGATE_NODE_EXECUTABLE) + " " + dir + "/gen_epcs.js " +
                              std::to_string(kPerScheme) + " " + std::to_string(seed) + " 2>&1");
  SCOPED_TRACE("node gen_epcs.js " + std::to_string(kPerScheme) + " " + std::to_string(seed) +
               " (epc-tds missing? run scripts/install-deps)");
  std::set<std::string> schemes;
  int count = 0;
  int mismatches = 0;
  std::size_t start = 0;
  while (start < out.size()) {
    std::size_t end = out.find('\n', start);
    if (end == std::string::npos) end = out.size();
    const std::string line = out.substr(start, end - start);
    start = end + 1;
    const auto ref = nlohmann::json::parse(line, nullptr, false);
    ASSERT_FALSE(ref.is_discarded()) << "not JSON from gen_epcs.js: " << line;
    const std::string hex = ref.at("hex");
    const EpcResult r = decode_epc_hex(hex);
    ++count;
    schemes.insert(ref.at("scheme").get<std::string>());
    const bool same = r.ok() && r.scheme == ref.at("scheme") &&
                      r.filter == ref.at("filter").get<int>() &&
                      as_epc_tds_writes(r.tag_uri) == ref.at("tagUri") &&
                      as_epc_tds_writes(r.pure_identity_uri) == ref.at("idUri") &&
                      gs1::parse_digital_link(r.digital_link).ok();
    if (!same) {
      ++mismatches;
      ADD_FAILURE() << hex << ": epc-tds " << ref.dump() << "\n  dockgate " << r.scheme << " "
                    << r.filter << " " << r.tag_uri << " " << r.pure_identity_uri << " "
                    << r.digital_link << " " << r.error;
    }
  }
  EXPECT_EQ(count, kPerScheme * 11);
  EXPECT_EQ(schemes.size(), 11U);
  EXPECT_EQ(mismatches, 0);
  RecordProperty("epcs", count);
  RecordProperty("mismatches", mismatches);
  std::printf("cross-checked %d EPCs of %zu schemes against epc-tds (seed %u): %d mismatches\n",
              count, schemes.size(), seed, mismatches);
}

TEST(EpcCrossCheck, NormalisationOnlyTouchesTheKnownDifferences) {
  EXPECT_EQ(as_epc_tds_writes("urn:epc:id:sgtin:4012345.011111.a%2Fb%25"),
            "urn:epc:id:sgtin:4012345.011111.a/b%");
  EXPECT_EQ(as_epc_tds_writes("urn:epc:id:sgln:401234500001..7"),
            "urn:epc:id:sgln:401234500001.0.7");
  EXPECT_EQ(as_epc_tds_writes("urn:epc:id:sgtin:4012345.011111.a..b"),
            "urn:epc:id:sgtin:4012345.011111.a..b");
  EXPECT_EQ(as_epc_tds_writes("urn:epc:tag:gsrn-96:1.793968102429.00475"),
            "urn:epc:tag:gsrn-96:1.793968102429.475");
  EXPECT_EQ(as_epc_tds_writes("urn:epc:id:gsrn:793968102429.00000"),
            "urn:epc:id:gsrn:793968102429.0");
  EXPECT_EQ(as_epc_tds_writes("urn:epc:id:sscc:4012345.0000000042"),
            "urn:epc:id:sscc:4012345.0000000042");
}

}  // namespace
}  // namespace dockgate::epc
