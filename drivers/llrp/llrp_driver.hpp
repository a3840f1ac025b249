// SPDX-License-Identifier: Apache-2.0
// `type: llrp`: one dock door's antennas on a UHF RFID reader (LLRP 1.0.1). See
// drivers/llrp/README.md.
#pragma once

#include "drivers/common/session_driver.hpp"
#include "drivers/llrp/llrp_options.hpp"

namespace dockgate::drivers {

/// Listens to the reader through the connection shared by every entry on its host:port
/// (reader_registry.hpp), keeps the sightings of this door's antennas, and reports on the
/// io_context thread:
///  - one ScanRead per tag pass (pass_tracker.hpp) with TagFacts (EPC, antenna, peak RSSI,
///    read count, first/last seen, travel direction), time = first sighting, data = EPC hex;
///  - ReadError `unknown_epc_scheme` (unknown_epc: reject) or `invalid_epc` per pass that is
///    not a milestone, and the link's errors (llrp_connection_refused, llrp_error_status,
///    llrp_error_message, llrp_malformed_frame, llrp_response_timeout, llrp_reader_silent...);
///  - DeviceStatus up ("llrp://host:port antennas 1,2") once the reader is configured and
///    reporting, down with the reason when the connection is lost.
/// stop() first reports the passes in progress (nothing read is lost), then leaves the
/// reader (the last door closes the connection: CLOSE_CONNECTION, at most about 1 s).
class LlrpDriver final : public SessionDriver {
 public:
  LlrpDriver(const DriverContext& context, LlrpOptions options);

 private:
  class Session;
};

/// Registry entry: name "llrp", its help line and key parser.
DriverType llrp_type();

}  // namespace dockgate::drivers
