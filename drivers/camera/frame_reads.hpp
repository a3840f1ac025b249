// SPDX-License-Identifier: Apache-2.0
// Turns the codes of one camera frame into reads, dropping codes the camera saw in its
// previous frame(s); shared by the spool directory and HTTP snapshot sources.
#pragma once

#include <cstdint>
#include <vector>

#include "drivers/camera/barcode_decoder.hpp"
#include "drivers/camera/repeat_filter.hpp"
#include "drivers/framing/line_framer.hpp"

namespace dockgate::drivers {

/// What a camera driver has seen since start (for logs, status and tests).
struct CameraCounters {
  std::uint64_t images = 0;      ///< images decoded (with or without codes)
  std::uint64_t no_code = 0;     ///< images in which no code could be read
  std::uint64_t unreadable = 0;  ///< corrupt or non-image files / responses
  std::uint64_t reads = 0;       ///< codes reported to the sink
  std::uint64_t repeats = 0;     ///< codes suppressed as seen in the previous frame(s)
};

/// One ScanRead (time now, UTC ms; ZXing's symbology id; text) per code that `filter` admits;
/// updates images / no_code / reads / repeats in `counters`. driver and location ids are
/// left for ReadReporter::deliver to fill in.
std::vector<FramerOutput> new_reads(const std::vector<DecodedCode>& codes, RepeatFilter& filter,
                                    CameraCounters& counters);

}  // namespace dockgate::drivers
