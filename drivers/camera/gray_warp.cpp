// SPDX-License-Identifier: Apache-2.0
#include "drivers/camera/gray_warp.hpp"

#include <algorithm>
#include <cmath>

namespace dockgate::drivers {
namespace {

constexpr double kMaxScale = 8.0;
constexpr long kMaxOutputPixels = 16L * 1000 * 1000;

}  // namespace

BoxWarp::BoxWarp(int left, int top, int right, int bottom, double angle, double scale)
    : cx_((left + right) / 2.0),
      cy_((top + bottom) / 2.0),
      cos_(std::cos(angle)),
      sin_(std::sin(angle)),
      scale_(scale) {
  if (right <= left || bottom <= top || !(scale > 0 && scale <= kMaxScale)) return;
  const double w = right - left;
  const double h = bottom - top;
  // The rotated box's bounding box: the whole box stays in view at any angle.
  const double rw = std::abs(w * cos_) + std::abs(h * sin_);
  const double rh = std::abs(w * sin_) + std::abs(h * cos_);
  out_w_ = static_cast<int>(rw * scale);
  out_h_ = static_cast<int>(rh * scale);
  if (static_cast<long>(out_w_) * out_h_ > kMaxOutputPixels) out_w_ = out_h_ = 0;
}

std::pair<int, int> BoxWarp::to_source(int x, int y) const {
  const double du = (x - out_w_ / 2.0) / scale_;
  const double dv = (y - out_h_ / 2.0) / scale_;
  return {static_cast<int>(std::lround(cx_ + du * cos_ - dv * sin_)),
          static_cast<int>(std::lround(cy_ + du * sin_ + dv * cos_))};
}

GrayImage BoxWarp::apply(const unsigned char* src, int width, int height) const {
  GrayImage out;
  if (src == nullptr || width < 2 || height < 2 || out_w_ <= 0 || out_h_ <= 0) return out;
  out.width = out_w_;
  out.height = out_h_;
  out.pixels.resize(static_cast<std::size_t>(out_w_) * static_cast<std::size_t>(out_h_));
  auto* o = out.pixels.data();
  for (int y = 0; y < out_h_; ++y) {
    const double dv = (y - out_h_ / 2.0) / scale_;
    for (int x = 0; x < out_w_; ++x, ++o) {
      const double du = (x - out_w_ / 2.0) / scale_;
      const double sx = cx_ + du * cos_ - dv * sin_;
      const double sy = cy_ + du * sin_ + dv * cos_;
      const double fx0 = std::floor(sx);
      const double fy0 = std::floor(sy);
      if (fx0 < 0 || fy0 < 0 || fx0 >= width - 1 || fy0 >= height - 1) {
        *o = 255;
        continue;
      }
      const int ix = static_cast<int>(fx0);
      const int iy = static_cast<int>(fy0);
      const double fx = sx - fx0;
      const double fy = sy - fy0;
      const unsigned char* p = src + static_cast<long>(iy) * width + ix;
      const double top = p[0] * (1 - fx) + p[1] * fx;
      const double bottom = p[width] * (1 - fx) + p[width + 1] * fx;
      *o = static_cast<unsigned char>(std::lround(top * (1 - fy) + bottom * fy));
    }
  }
  return out;
}

void sharpen_rows(GrayImage& image, double amount) {
  if (image.width < 3 || image.height <= 0) return;
  std::vector<unsigned char> row(static_cast<std::size_t>(image.width));
  for (int y = 0; y < image.height; ++y) {
    auto* p = image.pixels.data() + static_cast<std::size_t>(y) * image.width;
    std::copy(p, p + image.width, row.begin());
    for (int x = 0; x < image.width; ++x) {
      const int left = row[static_cast<std::size_t>(std::max(0, x - 1))];
      const int right = row[static_cast<std::size_t>(std::min(image.width - 1, x + 1))];
      const int mid = row[static_cast<std::size_t>(x)];
      const double v = mid + amount * (2 * mid - left - right);
      p[x] = static_cast<unsigned char>(std::clamp(v, 0.0, 255.0));
    }
  }
}

}  // namespace dockgate::drivers
