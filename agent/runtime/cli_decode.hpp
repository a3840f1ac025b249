// SPDX-License-Identifier: Apache-2.0
// `dockgate decode FILE...`: prints every barcode found in image files, for site setup and
// troubleshooting (is the label readable at this camera position and resolution?).
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace dockgate::runtime {

/// For each file prints "FILE: WIDTHxHEIGHT, N codes" then one line per code:
/// "  FORMAT SYMBOLOGY_ID (x,y) (x,y) (x,y) (x,y) TEXT" with corners top-left, top-right,
/// bottom-right, bottom-left in pixels and GS (0x1D) shown as "<GS>", other control bytes as
/// "<0xNN>". `formats`: ZXing names as in the camera driver's `formats` key (empty =
/// defaults). Unreadable files are reported on `err`.
/// Returns 0 when every file was read (even without codes), 1 when any file could not be
/// read, 2 for an unknown format name.
int cmd_decode(const std::vector<std::string>& files, const std::vector<std::string>& formats,
               std::ostream& out, std::ostream& err);

}  // namespace dockgate::runtime
