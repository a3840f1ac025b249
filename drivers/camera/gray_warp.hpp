// SPDX-License-Identifier: Apache-2.0
// Resampling helpers for the decoder's second pass: a rotated, scaled copy of part of a grey
// image (deskewing a tilted 1D code, enlarging a small 2D code) and a 1D sharpening across
// bars (blurred thin bars otherwise binarize away).
#pragma once

#include <utility>
#include <vector>

namespace dockgate::drivers {

/// An owned 8-bit grey image, row-major, no padding (`pixels.size() == width * height`).
struct GrayImage {
  int width = 0;
  int height = 0;
  std::vector<unsigned char> pixels;
};

/// Maps a box of a source image into a new image: rotated by `angle` radians about the
/// box centre (the output x axis runs along source direction (cos angle, sin angle)) and
/// scaled by `scale`; `to_source` maps output pixels back to source pixels.
class BoxWarp {
 public:
  /// Box [left, right) x [top, bottom) in source pixels. `scale` in (0, 8]; a box that is
  /// empty or a bad scale gives an empty output (see image()).
  BoxWarp(int left, int top, int right, int bottom, double angle, double scale);

  /// Bilinear resample of `src` (`width` x `height` grey); pixels outside the source are
  /// white (as the label around a code). Empty image when the box or scale is unusable or
  /// the output would exceed 16 MP.
  [[nodiscard]] GrayImage apply(const unsigned char* src, int width, int height) const;

  /// Source pixel for output pixel (x, y), rounded: {x, y}.
  [[nodiscard]] std::pair<int, int> to_source(int x, int y) const;

 private:
  double cx_ = 0;  // box centre in source pixels
  double cy_ = 0;
  double cos_ = 1;
  double sin_ = 0;
  double scale_ = 1;
  int out_w_ = 0;
  int out_h_ = 0;
};

/// Sharpens along rows in place: p + amount * (2p - left - right), clamped to 0..255. For a
/// deskewed 1D code (bars vertical) this undoes part of a camera blur of up to ~1.5 px;
/// `amount` 2 worked best on the generated set (3 and more start to make misreads).
void sharpen_rows(GrayImage& image, double amount);

}  // namespace dockgate::drivers
