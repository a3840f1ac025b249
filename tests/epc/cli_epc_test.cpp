// SPDX-License-Identifier: Apache-2.0
// `dockgate epc HEX...` output: one JSON object per EPC, exit 0 only when all decoded.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "agent/runtime/cli_epc.hpp"

namespace dockgate::runtime {
namespace {

TEST(CliEpc, PrintsOneJsonLinePerEpc) {
  std::ostringstream out;
  EXPECT_EQ(cmd_epc({"31D4F4E4E4B2D05E2A000000", "E2801160600002084F6B3B05"}, out), 0);
  EXPECT_EQ(out.str(),
            "{\"hex\":\"31D4F4E4E4B2D05E2A000000\",\"scheme\":\"sscc-96\",\"filter\":6,"
            "\"tagUri\":\"urn:epc:tag:sscc-96:6.4012345.3000000042\","
            "\"pureIdentityUri\":\"urn:epc:id:sscc:4012345.3000000042\","
            "\"digitalLink\":\"https://id.gs1.org/00/340123450000000420\"}\n"
            "{\"hex\":\"E2801160600002084F6B3B05\",\"scheme\":\"raw\","
            "\"tagUri\":\"urn:epc:raw:96.xE2801160600002084F6B3B05\"}\n");
}

TEST(CliEpc, ErrorsGiveExitOneAndKeepGoing) {
  std::ostringstream out;
  EXPECT_EQ(cmd_epc({"3034F", "303CF4E4E40AD9C000002694", "3034F4E4E40AD9C000002694"}, out), 1);
  EXPECT_EQ(out.str(),
            "{\"hex\":\"3034F\",\"error\":\"odd number of hex digits (5)\"}\n"
            "{\"hex\":\"303CF4E4E40AD9C000002694\","
            "\"error\":\"SGTIN-96: partition 7 is not defined (0..6)\","
            "\"tagUri\":\"urn:epc:raw:96.x303CF4E4E40AD9C000002694\"}\n"
            "{\"hex\":\"3034F4E4E40AD9C000002694\",\"scheme\":\"sgtin-96\",\"filter\":1,"
            "\"tagUri\":\"urn:epc:tag:sgtin-96:1.4012345.011111.9876\","
            "\"pureIdentityUri\":\"urn:epc:id:sgtin:4012345.011111.9876\","
            "\"digitalLink\":\"https://id.gs1.org/01/04012345111118/21/9876\"}\n");
}

TEST(CliEpc, StrayBytesDoNotThrow) {
  std::ostringstream out;
  EXPECT_EQ(cmd_epc({std::string("30\xff\"")}, out), 1);
  EXPECT_NE(out.str().find("not a hex digit at position 3: 0xFF"), std::string::npos);
}

}  // namespace
}  // namespace dockgate::runtime
