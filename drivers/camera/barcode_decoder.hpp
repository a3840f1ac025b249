// SPDX-License-Identifier: Apache-2.0
// The one file that talks to ZXing-cpp (1.4): decodes every barcode in an image file.
// ZXing 2.x renames its types; keeping it behind this adapter limits that change to one .cpp.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace dockgate::drivers {

/// One code found in an image.
struct DecodedCode {
  std::string format;  ///< ZXing format name: "Code128", "DataMatrix", "QRCode", "EAN-13", "ITF"
  std::string
      symbology_id;  ///< AIM identifier from ZXing: "]C1" (GS1-128), "]d2", "]Q1", "]E0", "]I1"
  std::string text;  ///< content; in GS1 data a GS (0x1D) marks each later FNC1
  struct Point {
    int x = 0;  ///< pixels from the left edge
    int y = 0;  ///< pixels from the top edge
  };
  std::array<Point, 4>
      corners{};  ///< top-left, top-right, bottom-right, bottom-left (code's own orientation)
};

/// Result of decoding one file: `error` is set when the file is missing, unreadable or not
/// an image (then `codes` is empty); otherwise `codes` may be empty (no readable code).
struct DecodeResult {
  std::optional<std::string> error;  ///< e.g. "not an image: unknown image type"
  std::vector<DecodedCode> codes;
  int width = 0;   ///< image width in pixels (0 on error)
  int height = 0;  ///< image height in pixels (0 on error)
};

/// Decoder settings. Thread-safe to share: decode() keeps no state between calls.
class BarcodeDecoder {
 public:
  /// `formats`: ZXing format names (case and '-'/'_' ignored: "Code128", "DataMatrix",
  /// "QRCode", "EAN13", "EAN8", "UPCA", "UPCE", "ITF", ...); empty = kDefaultFormats.
  /// Throws std::invalid_argument naming the first unknown format.
  explicit BarcodeDecoder(const std::vector<std::string>& formats = {});

  /// Loads `path` (PNG, JPEG, BMP, GIF, PNM, TGA; at most kMaxPixels pixels) as 8-bit grey
  /// and returns every code found, in ZXing's order. Never throws for bad files.
  [[nodiscard]] DecodeResult decode_file(const std::string& path) const;

  /// Same as decode_file() for an encoded image held in memory (an HTTP snapshot body).
  [[nodiscard]] DecodeResult decode_memory(const std::string& bytes) const;

  /// Decodes an 8-bit grey image (`width` x `height` bytes, row-major, no padding).
  [[nodiscard]] std::vector<DecodedCode> decode_gray(const unsigned char* pixels, int width,
                                                     int height) const;

  /// The format names used when none are configured (dock labels: GS1-128, DataMatrix,
  /// QR with Digital Link, EAN/UPC, ITF-14).
  static const std::vector<std::string>& default_formats();

  /// True when ZXing knows `name` as a single format.
  static bool is_known_format(const std::string& name);

  /// Images above this many pixels (about 50 MP) are rejected instead of loaded.
  static constexpr long kMaxPixels = 50L * 1000 * 1000;

 private:
  // Second pass: decodes crops around barcode-like regions (label_regions.hpp) that hold no
  // code found yet, 1D ones deskewed, and appends codes not yet in `codes` (same format and
  // text), with corners in full-image pixels.
  void add_from_regions(const unsigned char* pixels, int width, int height,
                        std::vector<DecodedCode>& codes) const;

  int formats_ = 0;  // ZXing::BarcodeFormats bit set (kept as int to keep ZXing out of headers)
};

}  // namespace dockgate::drivers
