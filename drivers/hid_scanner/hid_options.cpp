// SPDX-License-Identifier: Apache-2.0
#include "drivers/hid_scanner/hid_options.hpp"

namespace dockgate::drivers {

bool read_hid_options(config::MapReader& keys, HidOptions& out) {
  bool ok = true;
  if (keys.required("device", out.device,
                    "Input event device of the scanner. Use the stable "
                    "/dev/input/by-id/usb-...-event-kbd link, not /dev/input/eventN (renumbers "
                    "on replug). A FIFO path replays recorded struct input_event records.")) {
    if (out.device.empty()) {
      keys.error("device", "must not be empty");
      ok = false;
    }
  } else {
    ok = false;
  }

  std::string layout = "us";
  if (keys.choice("layout", layout, {"us", "de"},
                  "Keyboard layout the scanner is configured to type for (its 'country' or "
                  "'keyboard language' setting).")) {
    out.layout = layout == "de" ? KeyboardLayout::de : KeyboardLayout::us;
  } else if (keys.has("layout")) {
    ok = false;
  }

  bool grab = out.grab;
  if (keys.optional("grab", grab,
                    "Take the device exclusively (EVIOCGRAB) so scans are not also typed into "
                    "a console or desktop session.")) {
    out.grab = grab;
  } else if (keys.has("grab")) {
    ok = false;
  }

  ok &= read_framing_options(keys, out.framing);

  const bool have_min = keys.duration("reopen_min", out.reopen_min,
                                      "First delay before reopening a missing or unplugged "
                                      "device; doubles after each failure up to reopen_max.");
  if (!have_min && keys.has("reopen_min")) ok = false;
  const bool have_max =
      keys.duration("reopen_max", out.reopen_max, "Longest delay between reopen attempts.");
  if (!have_max && keys.has("reopen_max")) ok = false;
  if (out.reopen_min.count() <= 0) {
    keys.error("reopen_min", "must be greater than 0");
    ok = false;
  } else if (out.reopen_max < out.reopen_min) {
    keys.error(have_max ? "reopen_max" : "reopen_min",
               "reopen_max must not be less than reopen_min");
    ok = false;
  }
  return ok;
}

}  // namespace dockgate::drivers
