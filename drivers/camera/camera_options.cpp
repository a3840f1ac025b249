// SPDX-License-Identifier: Apache-2.0
#include "drivers/camera/camera_options.hpp"

#include "drivers/camera/barcode_decoder.hpp"
#include "drivers/camera/http_fetch.hpp"

namespace dockgate::drivers {
namespace {

// A duration key that must be > 0; false when present and invalid.
bool positive_duration(config::MapReader& keys, const char* key, std::chrono::milliseconds& out,
                       const char* help) {
  if (!keys.duration(key, out, help)) return !keys.has(key);
  if (out.count() <= 0) {
    keys.error(key, "must be greater than 0");
    return false;
  }
  return true;
}

bool bounded_count(config::MapReader& keys, const char* key, std::size_t& out, int max,
                   const char* help) {
  int value = static_cast<int>(out);
  if (!keys.integer(key, value, 1, max, help)) return !keys.has(key);
  out = static_cast<std::size_t>(value);
  return true;
}

}  // namespace

bool read_camera_options(config::MapReader& keys, CameraOptions& out) {
  bool ok = true;
  const bool spool = keys.optional("spool_dir", out.spool_dir,
                                   "Directory the cameras upload snapshots into (FTP/SMB drop "
                                   "folder). Files are decoded once completely written; "
                                   "dotfiles, *.part and *.tmp are ignored. Set this or "
                                   "snapshot_url.");
  if (!spool && keys.has("spool_dir")) ok = false;
  const bool http = keys.optional("snapshot_url", out.snapshot_url,
                                  "http://host[:port]/path of the camera's snapshot image, "
                                  "polled every `interval`. Set this or spool_dir.");
  if (!http && keys.has("snapshot_url")) ok = false;
  if (keys.has("spool_dir") && keys.has("snapshot_url")) {
    keys.error("snapshot_url", "set either spool_dir or snapshot_url, not both");
    ok = false;
  } else if (!keys.has("spool_dir") && !keys.has("snapshot_url")) {
    if (!keys.absent()) keys.error("", "missing key 'spool_dir' (or 'snapshot_url')");
    ok = false;
  } else if (spool && out.spool_dir.empty()) {
    keys.error("spool_dir", "must not be empty");
    ok = false;
  } else if (http && !parse_http_url(out.snapshot_url)) {
    keys.error("snapshot_url", "must be http://host[:port]/path (https is not supported), got '" +
                                   out.snapshot_url + "'");
    ok = false;
  }
  ok &= positive_duration(keys, "interval", out.interval,
                          "snapshot_url: time from the end of one poll to the next.");
  ok &= positive_duration(keys, "timeout", out.timeout,
                          "snapshot_url: deadline of one request (connect, send, receive).");
  if (!keys.byte_size("max_image_bytes", out.max_image_bytes,
                      "snapshot_url: larger responses are an error.") &&
      keys.has("max_image_bytes")) {
    ok = false;
  }
  if (!keys.optional("done_dir", out.done_dir,
                     "Where decoded images are moved (after: move). Default: <spool_dir>/done.") &&
      keys.has("done_dir")) {
    ok = false;
  }
  if (!keys.optional("failed_dir", out.failed_dir,
                     "Where unreadable or non-image files are moved. Default: "
                     "<spool_dir>/failed.") &&
      keys.has("failed_dir")) {
    ok = false;
  }
  if (out.done_dir.empty() && !out.spool_dir.empty()) out.done_dir = out.spool_dir + "/done";
  if (out.failed_dir.empty() && !out.spool_dir.empty()) {
    out.failed_dir = out.spool_dir + "/failed";
  }

  std::string after = "move";
  if (keys.choice("after", after, {"move", "delete"},
                  "After decoding: move the image to done_dir, or delete it. Unreadable files "
                  "always go to failed_dir.")) {
    out.after = after == "delete" ? AfterDecode::remove : AfterDecode::move;
  } else if (keys.has("after")) {
    ok = false;
  }

  if (keys.optional("formats", out.formats,
                    "Barcode formats to look for (ZXing names: Code128, DataMatrix, QRCode, "
                    "EAN13, EAN8, UPCA, UPCE, ITF, PDF417, Aztec, DataBar, ...). Default: "
                    "Code128, DataMatrix, QRCode, EAN13, EAN8, UPCA, UPCE, ITF.")) {
    for (const auto& name : out.formats) {
      if (!BarcodeDecoder::is_known_format(name)) {
        keys.error("formats", "unknown barcode format '" + name + "'");
        ok = false;
      }
    }
  } else if (keys.has("formats")) {
    ok = false;
  }

  ok &= bounded_count(keys, "workers", out.workers, 16,
                      "Decoding threads (decoding never runs on the main loop).");
  ok &= bounded_count(keys, "queue_limit", out.queue_limit, 1024,
                      "Images decoding or waiting for a worker at once; further complete files "
                      "stay in the spool directory until there is room.");
  ok &= positive_duration(keys, "settle", out.settle,
                          "A file not reported closed by inotify (e.g. written over SMB/NFS) "
                          "counts as complete when its size and mtime stay unchanged this "
                          "long.");
  ok &= positive_duration(keys, "rescan", out.rescan,
                          "Period of the directory rescan that backs up inotify.");
  ok &= positive_duration(keys, "repeat_window", out.repeat_window,
                          "The same code (symbology + text) seen again by this camera within "
                          "this time of its previous sighting is one read, not a new one.");
  bool have_min = positive_duration(keys, "reopen_min", out.reopen_min,
                                    "First retry delay when spool_dir is missing; doubles "
                                    "up to reopen_max.");
  bool have_max =
      positive_duration(keys, "reopen_max", out.reopen_max, "Longest delay between retries.");
  ok &= have_min && have_max;
  if (have_min && have_max && out.reopen_max < out.reopen_min) {
    keys.error("reopen_max", "reopen_max must not be less than reopen_min");
    ok = false;
  }
  return ok;
}

}  // namespace dockgate::drivers
