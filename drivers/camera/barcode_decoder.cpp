// SPDX-License-Identifier: Apache-2.0
#include "drivers/camera/barcode_decoder.hpp"

#include <ZXing/BarcodeFormat.h>
#include <ZXing/DecodeHints.h>
#include <ZXing/ImageView.h>
#include <ZXing/ReadBarcode.h>
#include <ZXing/Result.h>
#include <stb_image.h>

#include "drivers/camera/gray_warp.hpp"
#include "drivers/camera/label_regions.hpp"

#include <algorithm>
#include <functional>
#include <limits>
#include <memory>
#include <stdexcept>

namespace dockgate::drivers {
namespace {

// stbi_load's buffer, released with stbi_image_free.
struct StbFree {
  void operator()(unsigned char* p) const { stbi_image_free(p); }
};

// BarcodeFormats from the header's plain bit set (ZXing's Flags(int) is private).
ZXing::BarcodeFormats to_formats(int bits) {
  ZXing::BarcodeFormats set;
  for (int bit = 0; bit < 31; ++bit) {
    if ((bits & (1 << bit)) != 0) set |= static_cast<ZXing::BarcodeFormat>(1 << bit);
  }
  return set;
}

ZXing::DecodeHints make_hints(int formats, ZXing::Binarizer binarizer) {
  ZXing::DecodeHints hints;
  hints.setFormats(to_formats(formats));
  hints.setTryHarder(true);
  hints.setTryRotate(true);
  // Downscaling halves recall for small labels in photo-sized frames (pitfalls.md).
  hints.setTryDownscale(false);
  hints.setBinarizer(binarizer);
  return hints;
}

// Source-image position of a point in the image ZXing decoded (a crop or a warped copy).
using ToSource = std::function<DecodedCode::Point(int x, int y)>;

DecodedCode convert(const ZXing::Result& r, const ToSource& to_source) {
  DecodedCode code;
  code.format = ZXing::ToString(r.format());
  code.symbology_id = r.symbologyIdentifier();
  code.text = r.text();
  const auto& pos = r.position();
  for (std::size_t i = 0; i < code.corners.size(); ++i) {
    code.corners[i] = to_source(pos[i].x, pos[i].y);
  }
  return code;
}

ToSource offset_by(int dx, int dy) {
  return [dx, dy](int x, int y) { return DecodedCode::Point{x + dx, y + dy}; };
}

DecodedCode convert(const ZXing::Result& r) {
  return convert(r, offset_by(0, 0));
}

// EAN/UPC and ITF carry a single mod-10 check digit: a slanted, blurred label can yield a
// wrong read that passes it (seen with ZXing 1.4 on a 5-degree EAN-13 in a noisy 720p frame,
// read on 3 scan lines). Such reads are re-checked on a crop around the code.
bool weak_checksum(ZXing::BarcodeFormat format) {
  using F = ZXing::BarcodeFormat;
  return format == F::EAN13 || format == F::EAN8 || format == F::UPCA || format == F::UPCE ||
         format == F::ITF;
}

// Re-reads the area around `r` (its bounding box grown by half its size on each side) and
// returns the code read there on the most scan lines; `r` itself when the crop finds nothing
// better.
DecodedCode verified(const ZXing::ImageView& image, const ZXing::Result& r) {
  int x0 = image.width();
  int y0 = image.height();
  int x1 = 0;
  int y1 = 0;
  for (const auto& p : r.position()) {
    x0 = std::min(x0, p.x);
    y0 = std::min(y0, p.y);
    x1 = std::max(x1, p.x);
    y1 = std::max(y1, p.y);
  }
  const int margin = std::max({x1 - x0, y1 - y0, 40}) / 2;
  const int left = std::max(0, x0 - margin);
  const int top = std::max(0, y0 - margin);
  const int right = std::min(image.width(), x1 + margin);
  const int bottom = std::min(image.height(), y1 + margin);
  if (right - left < 16 || bottom - top < 16) return convert(r);
  auto hints = make_hints(static_cast<int>(r.format()), ZXing::Binarizer::LocalAverage);
  hints.setFormats(ZXing::BarcodeFormat::EAN13 | ZXing::BarcodeFormat::EAN8 |
                   ZXing::BarcodeFormat::UPCA | ZXing::BarcodeFormat::UPCE |
                   ZXing::BarcodeFormat::ITF);
  const auto crop_results =
      ZXing::ReadBarcodes(image.cropped(left, top, right - left, bottom - top), hints);
  const ZXing::Result* best = nullptr;
  for (const auto& c : crop_results) {
    if (c.isValid() && c.lineCount() > r.lineCount() &&
        (best == nullptr || c.lineCount() > best->lineCount())) {
      best = &c;
    }
  }
  return best != nullptr ? convert(*best, offset_by(left, top)) : convert(r);
}

// A box in source pixels: [left, right) x [top, bottom).
struct Box {
  int left = 0;
  int top = 0;
  int right = 0;
  int bottom = 0;
};

// Region pass (see label_regions.hpp). Values measured on bench/make-decode-set frames;
// bench/RESULTS.md section 6 has the numbers behind each.
constexpr double kLinearCoherence = 0.4;      // regions above it are decoded as 1D codes, deskewed
constexpr int kRegionMargin = 24;             // px around a region: quiet zone and label edge
constexpr double kSharpen = 2.0;              // sharpen_rows() amount for a blurred 1D code
constexpr long kMaxUpscaleArea = 400L * 400;  // 2D crops up to this size are also tried at 2x

ZXing::Results read(const GrayImage& image, int formats, ZXing::Binarizer binarizer) {
  return ZXing::ReadBarcodes(
      ZXing::ImageView(image.pixels.data(), image.width, image.height, ZXing::ImageFormat::Lum),
      make_hints(formats, binarizer));
}

// A 1D code in `box`: deskewed so its bars are vertical (ZXing scans rows and columns only;
// a long code tilted more than ~10 degrees crosses no row completely), then, if unread,
// sharpened across the bars, then with the other binarizer.
ZXing::Results read_linear(const unsigned char* pixels, int width, int height, const Box& box,
                           double angle, int formats, ToSource& to_source) {
  const BoxWarp warp(box.left, box.top, box.right, box.bottom, angle, 1.0);
  to_source = [warp](int x, int y) {
    const auto [sx, sy] = warp.to_source(x, y);
    return DecodedCode::Point{sx, sy};
  };
  const GrayImage upright = warp.apply(pixels, width, height);
  if (upright.pixels.empty()) return {};
  auto results = read(upright, formats, ZXing::Binarizer::LocalAverage);
  if (results.empty()) {
    GrayImage sharp = upright;
    sharpen_rows(sharp, kSharpen);
    results = read(sharp, formats, ZXing::Binarizer::LocalAverage);
  }
  if (results.empty()) results = read(upright, formats, ZXing::Binarizer::GlobalHistogram);
  return results;
}

// A 2D code in `box`: the crop puts it at the centre, where ZXing 1.4's DataMatrix detector
// looks; small crops are also tried at twice the size (2-3 px modules under blur).
ZXing::Results read_matrix(const ZXing::ImageView& image, const Box& box, int formats,
                           ToSource& to_source) {
  const int w = box.right - box.left;
  const int h = box.bottom - box.top;
  to_source = offset_by(box.left, box.top);
  auto results = ZXing::ReadBarcodes(image.cropped(box.left, box.top, w, h),
                                     make_hints(formats, ZXing::Binarizer::LocalAverage));
  if (!results.empty() || static_cast<long>(w) * h > kMaxUpscaleArea) return results;
  const BoxWarp warp(box.left, box.top, box.right, box.bottom, 0.0, 2.0);
  const GrayImage big = warp.apply(image.data(0, 0), image.width(), image.height());
  if (big.pixels.empty()) return results;
  to_source = [warp](int x, int y) {
    const auto [sx, sy] = warp.to_source(x, y);
    return DecodedCode::Point{sx, sy};
  };
  results = read(big, formats, ZXing::Binarizer::LocalAverage);
  if (results.empty()) results = read(big, formats, ZXing::Binarizer::GlobalHistogram);
  return results;
}

bool contains(const std::vector<DecodedCode>& codes, const DecodedCode& code) {
  return std::any_of(codes.begin(), codes.end(), [&](const DecodedCode& c) {
    return c.format == code.format && c.text == code.text;
  });
}

// True when the centre of a code already found lies in `box`: the region is that code.
bool covered(const std::vector<DecodedCode>& codes, const Box& box) {
  return std::any_of(codes.begin(), codes.end(), [&](const DecodedCode& c) {
    long sx = 0;
    long sy = 0;
    for (const auto& p : c.corners) {
      sx += p.x;
      sy += p.y;
    }
    const long x = sx / 4;
    const long y = sy / 4;
    return x >= box.left && x < box.right && y >= box.top && y < box.bottom;
  });
}

}  // namespace

const std::vector<std::string>& BarcodeDecoder::default_formats() {
  static const std::vector<std::string> formats{"Code128", "DataMatrix", "QRCode", "EAN13",
                                                "EAN8",    "UPCA",       "UPCE",   "ITF"};
  return formats;
}

bool BarcodeDecoder::is_known_format(const std::string& name) {
  try {
    return ZXing::BarcodeFormatFromString(name) != ZXing::BarcodeFormat::None;
  } catch (const std::exception&) {
    return false;
  }
}

BarcodeDecoder::BarcodeDecoder(const std::vector<std::string>& formats) {
  const auto& names = formats.empty() ? default_formats() : formats;
  for (const auto& name : names) {
    if (!is_known_format(name))
      throw std::invalid_argument("unknown barcode format '" + name + "'");
    formats_ |= static_cast<int>(ZXing::BarcodeFormatFromString(name));
  }
}

std::vector<DecodedCode> BarcodeDecoder::decode_gray(const unsigned char* pixels, int width,
                                                     int height) const {
  std::vector<DecodedCode> codes;
  if (pixels == nullptr || width <= 0 || height <= 0) return codes;
  const ZXing::ImageView image(pixels, width, height, ZXing::ImageFormat::Lum);
  auto results = ZXing::ReadBarcodes(image, make_hints(formats_, ZXing::Binarizer::LocalAverage));
  if (results.empty()) {
    // A second binarizer finds some codes the first misses (uneven light on the label).
    results = ZXing::ReadBarcodes(image, make_hints(formats_, ZXing::Binarizer::GlobalHistogram));
  }
  for (const auto& r : results) {
    if (!r.isValid()) continue;
    codes.push_back(weak_checksum(r.format()) ? verified(image, r) : convert(r));
  }
  add_from_regions(pixels, width, height, codes);
  return codes;
}

void BarcodeDecoder::add_from_regions(const unsigned char* pixels, int width, int height,
                                      std::vector<DecodedCode>& codes) const {
  const int linear = formats_ & static_cast<int>(ZXing::BarcodeFormat::LinearCodes);
  const int matrix = formats_ & static_cast<int>(ZXing::BarcodeFormat::MatrixCodes);
  const ZXing::ImageView image(pixels, width, height, ZXing::ImageFormat::Lum);
  for (const auto& region : find_label_regions(pixels, width, height)) {
    const Box box{std::max(0, region.left - kRegionMargin), std::max(0, region.top - kRegionMargin),
                  std::min(width, region.right + kRegionMargin),
                  std::min(height, region.bottom + kRegionMargin)};
    if (covered(codes, box)) continue;
    ToSource to_source = offset_by(box.left, box.top);
    ZXing::Results results;
    const bool looks_linear = region.coherence > kLinearCoherence;
    if (looks_linear && linear != 0) {
      results = read_linear(pixels, width, height, box, region.angle, linear, to_source);
    } else if (!looks_linear && matrix != 0) {
      results = read_matrix(image, box, matrix, to_source);
    }
    for (const auto& r : results) {
      if (!r.isValid()) continue;
      DecodedCode code = convert(r, to_source);
      if (!contains(codes, code)) codes.push_back(std::move(code));
    }
  }
}

DecodeResult BarcodeDecoder::decode_memory(const std::string& bytes) const {
  DecodeResult result;
  if (bytes.empty() || bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    result.error = "not a readable image: " + std::to_string(bytes.size()) + " bytes";
    return result;
  }
  const auto* data = reinterpret_cast<const stbi_uc*>(bytes.data());
  const int length = static_cast<int>(bytes.size());
  int width = 0;
  int height = 0;
  int channels = 0;
  if (stbi_info_from_memory(data, length, &width, &height, &channels) == 0) {
    const char* reason = stbi_failure_reason();
    result.error = std::string("not a readable image: ") + (reason ? reason : "unknown error");
    return result;
  }
  if (static_cast<long>(width) * height > kMaxPixels) {
    result.error = "image too large: " + std::to_string(width) + "x" + std::to_string(height);
    return result;
  }
  std::unique_ptr<unsigned char, StbFree> pixels(
      stbi_load_from_memory(data, length, &width, &height, &channels, 1));
  if (!pixels) {
    const char* reason = stbi_failure_reason();
    result.error = std::string("corrupt image: ") + (reason ? reason : "unknown error");
    return result;
  }
  result.width = width;
  result.height = height;
  result.codes = decode_gray(pixels.get(), width, height);
  return result;
}

DecodeResult BarcodeDecoder::decode_file(const std::string& path) const {
  DecodeResult result;
  int width = 0;
  int height = 0;
  int channels = 0;
  if (stbi_info(path.c_str(), &width, &height, &channels) == 0) {
    const char* reason = stbi_failure_reason();
    result.error = std::string("not a readable image: ") + (reason ? reason : "unknown error");
    return result;
  }
  if (static_cast<long>(width) * height > kMaxPixels) {
    result.error = "image too large: " + std::to_string(width) + "x" + std::to_string(height) +
                   " pixels (limit " + std::to_string(kMaxPixels) + ")";
    return result;
  }
  std::unique_ptr<unsigned char, StbFree> pixels(
      stbi_load(path.c_str(), &width, &height, &channels, 1));
  if (!pixels) {
    const char* reason = stbi_failure_reason();
    result.error = std::string("corrupt image: ") + (reason ? reason : "unknown error");
    return result;
  }
  result.width = width;
  result.height = height;
  result.codes = decode_gray(pixels.get(), width, height);
  return result;
}

}  // namespace dockgate::drivers
