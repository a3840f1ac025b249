// SPDX-License-Identifier: Apache-2.0
// `type: hid_scanner`: a USB barcode scanner in keyboard-wedge (HID keyboard) mode, read from
// its Linux input event device. See drivers/hid_scanner/README.md.
#pragma once

#include <memory>
#include <string>

#include "drivers/common/session_driver.hpp"
#include "drivers/hid_scanner/hid_options.hpp"

namespace dockgate::drivers {

/// Opens the event device (O_RDONLY|O_NONBLOCK), grabs it (EVIOCGRAB) unless grab is false,
/// reads whole struct input_event records on the io_context, decodes keys with the configured
/// layout and reports one read per Enter. On a missing device, unplug (ENODEV) or EOF it
/// reports the device down and reopens with exponential backoff (reopen_min .. reopen_max),
/// reporting up again ("<device> layout us, grabbed"). A FIFO is accepted in place of the
/// device (replay/test mode, never grabbed): EOF there means the writer closed it.
/// Single-threaded io_context assumed.
class HidScanner final : public SessionDriver {
 public:
  HidScanner(const DriverContext& context, HidOptions options);
  // Destroying it: Closes the device without reporting to the sink (the owner calls stop() first).
  // stop(): Closes the device (releasing the grab) and cancels the reopen timer; reports down
  // ("stopped") if it was up.

 private:
  class Session;  // state shared with pending handlers, so they outlive a destroyed driver
};

/// The device-down detail for a failed `step` ("open", "grab", ...) on `device` with errno
/// `error`, with the operator's fix for the usual causes. EACCES on open gives
/// "permission denied opening <device>: add the dockgate user to group 'input'
/// (SupplementaryGroups=input)"; EBUSY on grab names another program holding the grab.
std::string hid_failure_detail(const std::string& device, const std::string& step, int error);

/// Registry entry: name "hid_scanner", its help line and key parser.
DriverType hid_scanner_type();

}  // namespace dockgate::drivers
