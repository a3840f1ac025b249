// SPDX-License-Identifier: Apache-2.0
// Region proposals for the barcode decoder: where in a camera frame are barcode-like areas?
// ZXing 1.4 (Debian build, no C++20 coroutines) looks for a DataMatrix only along the centre
// row and column of the image, and reads 1D codes along rows and columns only, so a small or
// tilted code in a large frame is found far more often from a crop around it.
#pragma once

#include <vector>

namespace dockgate::drivers {

/// One area of dense, strong edges (a barcode, possibly with its label and some text).
struct LabelRegion {
  int left = 0;    ///< pixels, inclusive
  int top = 0;     ///< pixels, inclusive
  int right = 0;   ///< pixels, exclusive
  int bottom = 0;  ///< pixels, exclusive
  /// Dominant edge-normal direction in radians, in (-pi/2, pi/2], image axes (x right, y
  /// down): 0 = vertical bars. Only meaningful when `coherence` is high.
  double angle = 0;
  /// 0..1: how much the edges share one direction (structure tensor); 1D codes score high
  /// (about 0.6-1), DataMatrix/QR and text low.
  double coherence = 0;
  int strong_pixels = 0;  ///< edge pixels counted in the region (bigger = more likely a code)
};

/// Finds barcode-like regions in an 8-bit grey image (`width` x `height` bytes, row-major).
/// Works on 16x16-pixel cells: a cell is active when at least 28 of its 112 sampled pixels
/// have a horizontal or vertical grey step above 40 (camera noise of sigma 10 grey levels
/// stays below it); active cells, joined over one-cell gaps, form regions. Returns at most
/// `max_regions` regions of at least 3 active cells, most edge pixels first. Empty for
/// images under 3x3 cells or null/negative input. Cost: one pass over half the rows (about
/// 2-3 ms for 1920x1080 on one core).
[[nodiscard]] std::vector<LabelRegion> find_label_regions(const unsigned char* pixels, int width,
                                                          int height, int max_regions = 8);

}  // namespace dockgate::drivers
