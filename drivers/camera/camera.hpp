// SPDX-License-Identifier: Apache-2.0
// `type: camera`: decodes barcodes in snapshots that cameras upload into a spool directory.
// See drivers/camera/README.md.
#pragma once

#include <memory>

#include "drivers/camera/camera_options.hpp"
#include "drivers/camera/frame_reads.hpp"
#include "drivers/common/session_driver.hpp"

namespace dockgate::drivers {

/// Watches `spool_dir` (inotify, plus a rescan every `rescan` as fallback), decodes each
/// completely written file on a pool of `workers` threads (never on the io_context thread),
/// and on the io_context thread reports each new code as a ScanRead (ZXing's symbology id,
/// text with GS for FNC1), then moves the file to done_dir or deletes it. A corrupt or
/// non-image file becomes ReadError kind "image_unreadable" naming the file and is moved to
/// failed_dir. A missing spool_dir is reported down and retried with backoff.
class SpoolCamera final : public SessionDriver {
 public:
  /// Throws std::invalid_argument for unknown `options.formats` (already validated by
  /// read_camera_options when built from config).
  SpoolCamera(const DriverContext& context, CameraOptions options);
  // Destroying it: Stops the watch without reporting and waits for running decodes (at most one
  // image per worker) to finish. stop(): Stops watching and decoding; images not yet reported stay
  // in spool_dir for next start.

  [[nodiscard]] CameraCounters counters() const;

 private:
  class Session;  // shared with pending handlers, so they outlive a destroyed driver
};

/// Registry entry: name "camera", its help line and key parser; builds a SpoolCamera when
/// `spool_dir` is set, an HttpCamera when `snapshot_url` is set.
DriverType camera_type();

}  // namespace dockgate::drivers
