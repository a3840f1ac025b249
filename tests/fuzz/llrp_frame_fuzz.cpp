// SPDX-License-Identifier: Apache-2.0
// Fuzz target: what an LLRP reader (or anything else listening on port 5084) can send.
// Input: a byte stream as the link receives it. It is cut into frames with check_frame the
// way the reader link does, and every complete frame's body goes to the decoder its type
// names (RO_ACCESS_REPORT, READER_EVENT_NOTIFICATION, *_RESPONSE / ERROR_MESSAGE); the
// whole input is also decoded as one RO_ACCESS_REPORT body.
// Invariants: never throws, crashes, reads out of bounds or loops; a complete frame's length
// is >= 10 and within the buffer; an EPC's bit count fits its bytes; a report that decoded
// with an error still returns the sightings read before the fault.
#include <cstddef>
#include <cstdint>
#include <span>

#include "drivers/llrp/llrp_frame.hpp"
#include "drivers/llrp/llrp_messages.hpp"
#include "drivers/llrp/llrp_report.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace {

namespace llrp = dockgate::drivers::llrp;

void check_report(std::span<const std::uint8_t> body) {
  const llrp::ReportResult r = llrp::decode_ro_access_report(body, llrp::UptimeClock{1'000});
  for (const llrp::TagSighting& s : r.sightings) {
    FUZZ_CHECK(s.epc_bits <= s.epc.size() * 8, "an EPC's bit count fits its bytes");
    FUZZ_CHECK(s.epc.size() * 8 < s.epc_bits + 8 || s.epc_bits == 0,
               "no more EPC bytes than the bit count needs");
  }
}

void check_body(std::uint16_t type, std::span<const std::uint8_t> body) {
  switch (type) {
    case llrp::kRoAccessReport:
      check_report(body);
      break;
    case llrp::kReaderEventNotification:
      (void)llrp::decode_reader_event(body);
      break;
    default: {
      const llrp::StatusResult s = llrp::decode_status(body);
      if (s.error.empty()) (void)s.status.to_string();
      break;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::span<const std::uint8_t> rest(data, size);
  // Small cap so that the "too long" path is reached too.
  constexpr std::uint32_t kCap = 4096;
  while (!rest.empty()) {
    const llrp::FrameCheck c = llrp::check_frame(rest, kCap);
    if (c.state != llrp::FrameState::complete) {
      FUZZ_CHECK(c.state == llrp::FrameState::need_more || !c.error.empty(),
                 "an invalid stream says why");
      break;
    }
    FUZZ_CHECK(c.header.length >= llrp::kHeaderBytes && c.header.length <= rest.size() &&
                   c.header.length <= kCap,
               "a complete frame lies within the buffer and the cap");
    (void)llrp::message_name(c.header.type);
    check_body(c.header.type,
               rest.subspan(llrp::kHeaderBytes, c.header.length - llrp::kHeaderBytes));
    rest = rest.subspan(c.header.length);
  }
  check_report(std::span<const std::uint8_t>(data, size));
  return 0;
}
