#include "drivers/camera/barcode_decoder.hpp"

#include <ZXing/BarcodeFormat.h>
#include <ZXing/DecodeHints.h>
#include <ZXing/ImageView.h>
#include <ZXing/ReadBarcode.h>
#include <ZXing/Result.h>
#include <stb_image.h>

#include <algorithm>
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

// Tiling for DataMatrix: ZXing 1.4's DataMatrix detector often misses a label in a large
// frame that it reads at once from a crop around it (pitfalls.md). Tiles overlap by half so
// every label up to half a tile wide lies wholly inside one of them.
constexpr int kMinTile = 256;

DecodedCode convert(const ZXing::Result& r, int dx = 0, int dy = 0) {
  DecodedCode code;
  code.format = ZXing::ToString(r.format());
  code.symbology_id = r.symbologyIdentifier();
  code.text = r.text();
  const auto& pos = r.position();
  for (std::size_t i = 0; i < code.corners.size(); ++i) {
    code.corners[i] = DecodedCode::Point{pos[i].x + dx, pos[i].y + dy};
  }
  return code;
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
  return best != nullptr ? convert(*best, left, top) : convert(r);
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
  const int datamatrix = static_cast<int>(ZXing::BarcodeFormat::DataMatrix);
  if ((formats_ & datamatrix) != 0) add_tiled(image, datamatrix, codes);
  return codes;
}

void BarcodeDecoder::add_tiled(const ZXing::ImageView& image, int formats,
                               std::vector<DecodedCode>& codes) const {
  const int width = image.width();
  const int height = image.height();
  const int tile = std::max(kMinTile, std::min(width, height) / 2);
  if (width <= tile && height <= tile) return;  // the full-frame pass saw it all
  const int stride = tile / 2;
  const auto hints = make_hints(formats, ZXing::Binarizer::LocalAverage);
  for (int top = 0; top < height; top += stride) {
    const int tile_h = std::min(tile, height - top);
    for (int left = 0; left < width; left += stride) {
      const int tile_w = std::min(tile, width - left);
      for (const auto& r : ZXing::ReadBarcodes(image.cropped(left, top, tile_w, tile_h), hints)) {
        if (!r.isValid()) continue;
        DecodedCode code = convert(r, left, top);
        const bool known = std::any_of(codes.begin(), codes.end(), [&](const DecodedCode& c) {
          return c.format == code.format && c.text == code.text;
        });
        if (!known) codes.push_back(std::move(code));
      }
      if (left + tile >= width) break;
    }
    if (top + tile >= height) break;
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
