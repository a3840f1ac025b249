// SPDX-License-Identifier: Apache-2.0
// What a driver hands the core: one read, one read error, or a device state change.
// Drivers fill these in; the core turns them into EPCIS events or exception events.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "agent/dock_signal.hpp"

namespace dockgate {

/// Which way a tagged object went through a door, from the order in which the door's
/// outside and inside antennas saw it (unknown: one side only, or no such antennas).
enum class Travel { unknown, inbound, outbound };

/// The RFID facts of one tag pass at a door (LLRP TagReportData, LLRP 1.0.1 section 13.2.3,
/// summed over the pass by the LLRP driver's pass tracker).
struct TagFacts {
  std::string epc_hex;       ///< EPC bank bits as upper-case hex, e.g. "31D4F4E4E4B2D05E2A000000"
  std::size_t epc_bits = 0;  ///< significant bits of epc_hex (96, 198, ...)
  std::uint16_t antenna_id = 0;      ///< antenna of the strongest sighting; 0 = not reported
  std::optional<int> peak_rssi_dbm;  ///< strongest PeakRSSI of the pass, dBm
  std::uint32_t read_count = 0;      ///< TagSeenCount summed over the pass
  std::int64_t first_seen_ms = 0;    ///< UTC ms of the first sighting (= the read's time_ms)
  std::int64_t last_seen_ms = 0;     ///< UTC ms of the last sighting
  Travel travel = Travel::unknown;
};

/// One complete frame read from a scanner (serial, TCP, HID, camera), or one tag pass at an
/// RFID portal (LLRP; `tag` set). `data` holds the raw bytes exactly as read, without the
/// frame terminator (CR/LF) and without the AIM symbology identifier prefix, which goes to
/// `symbology_id`; for a tag it is TagFacts::epc_hex.
struct ScanRead {
  std::string driver_id;     ///< config `drivers[].id`
  std::string location_id;   ///< config `drivers[].location` (a dock door id)
  std::int64_t time_ms = 0;  ///< UTC, milliseconds since the Unix epoch, taken when the frame ended
  std::string symbology_id;  ///< AIM identifier such as "]C1", "]d2", "]Q3"; empty when unknown
  std::string data;          ///< raw bytes; GS (0x1D) marks FNC1 in GS1 data
  std::optional<TagFacts> tag{};  ///< set for an RFID tag pass: identified by its EPC, not `data`
};

/// A read that could not be framed (too long, unexpected bytes): becomes an exception event.
struct ReadError {
  std::string driver_id;
  std::string location_id;
  std::int64_t time_ms = 0;  ///< UTC ms
  std::string kind;          ///< machine-readable, e.g. "frame_too_long", "bad_symbology_prefix"
  std::string message;       ///< human-readable reason for dock staff and IT
  std::string data;          ///< the (possibly truncated) bytes received
  /// Further string fields of the exception event, e.g. {"modbusExceptionCode", "2"}.
  std::vector<std::pair<std::string, std::string>> fields;
};

/// A device coming up or going down (opened / unplugged / connection lost).
struct DeviceStatus {
  std::string driver_id;
  std::string location_id;
  std::int64_t time_ms = 0;  ///< UTC ms
  bool up = false;
  std::string detail;  ///< e.g. "/dev/ttyUSB0 opened at 9600 8N1", "read: End of file"
};

/// Receives what drivers produce. Called on the agent's io_context thread only.
class ReadSink {
 public:
  virtual ~ReadSink() = default;
  virtual void on_read(ScanRead read) = 0;
  virtual void on_read_error(ReadError error) = 0;
  virtual void on_device_status(DeviceStatus status) = 0;
  /// A debounced dock sensor change (Modbus); see agent/dock_signal.hpp.
  virtual void on_dock_signal(DockSignal signal) = 0;
  /// Back-pressure for stream drivers: true when the sink takes more reads now. false while
  /// the records waiting for their commit are over the agent's high-water mark: `resume` is
  /// then called once, on the io_context thread, when they have drained (and dropped unused
  /// when the agent stops). A driver asks before each socket read, so a flood waits in the
  /// kernel's socket buffer, where TCP flow control slows the scanner down, instead of in
  /// memory. The default takes everything at once.
  // By value: overrides keep `resume` until the backlog drains.
  virtual bool ready_for_reads(
      std::function<void()> resume) {  // NOLINT(performance-unnecessary-value-param)
    (void)resume;
    return true;
  }
};

}  // namespace dockgate
