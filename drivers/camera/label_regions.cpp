// SPDX-License-Identifier: Apache-2.0
#include "drivers/camera/label_regions.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <deque>

namespace dockgate::drivers {
namespace {

constexpr int kCell = 16;           // cell edge in pixels
constexpr int kStep = 40;           // grey step (central difference) that counts as an edge
constexpr int kMinEdgePixels = 28;  // of 16 columns x 7 sampled rows = 112 per cell
constexpr int kMinActiveCells = 3;  // smaller regions are noise or a lone character

// Per-cell edge statistics: count and structure tensor sums of the edge pixels.
struct Cell {
  int edges = 0;
  double xx = 0;
  double yy = 0;
  double xy = 0;
};

// Index of cell (x, y) in a row-major grid `cols` wide.
std::size_t at(int x, int y, int cols) {
  return static_cast<std::size_t>(y) * static_cast<std::size_t>(cols) + static_cast<std::size_t>(x);
}

Cell measure_cell(const unsigned char* pixels, int width, int height, int cx, int cy) {
  Cell cell;
  const int x_begin = std::max(1, cx * kCell);
  const int x_end = std::min(width - 1, cx * kCell + kCell);
  // Every second row: half the cost, and bars are taller than two pixels.
  for (int y = std::max(1, cy * kCell + 1); y < std::min(height - 1, cy * kCell + kCell - 1);
       y += 2) {
    const unsigned char* row = pixels + static_cast<long>(y) * width;
    for (int x = x_begin; x < x_end; ++x) {
      const int gx = row[x + 1] - row[x - 1];
      const int gy = row[x + width] - row[x - width];
      if (std::abs(gx) > kStep || std::abs(gy) > kStep) {
        ++cell.edges;
        cell.xx += gx * gx;
        cell.yy += gy * gy;
        cell.xy += gx * gy;
      }
    }
  }
  return cell;
}

}  // namespace

std::vector<LabelRegion> find_label_regions(const unsigned char* pixels, int width, int height,
                                            int max_regions) {
  std::vector<LabelRegion> regions;
  if (pixels == nullptr || width <= 0 || height <= 0 || max_regions <= 0) return regions;
  const int cols = width / kCell;
  const int rows = height / kCell;
  if (cols < 3 || rows < 3) return regions;
  const auto n = static_cast<std::size_t>(cols) * static_cast<std::size_t>(rows);
  std::vector<Cell> cells(n);
  std::vector<char> grown(n, 0);  // active cells and their 8 neighbours: bridges wide spaces
  for (int cy = 0; cy < rows; ++cy) {
    for (int cx = 0; cx < cols; ++cx) {
      auto& cell = cells[at(cx, cy, cols)];
      cell = measure_cell(pixels, width, height, cx, cy);
      if (cell.edges < kMinEdgePixels) continue;
      for (int dy = -1; dy <= 1; ++dy) {
        for (int dx = -1; dx <= 1; ++dx) {
          const int x = cx + dx;
          const int y = cy + dy;
          if (x >= 0 && y >= 0 && x < cols && y < rows) {
            grown[at(x, y, cols)] = 1;
          }
        }
      }
    }
  }

  // Connected components (8-neighbourhood) of the grown mask; statistics from active cells.
  std::vector<char> seen(n, 0);
  std::deque<int> queue;
  for (std::size_t start = 0; start < n; ++start) {
    if (grown[start] == 0 || seen[start] != 0) continue;
    seen[start] = 1;
    queue.assign(1, static_cast<int>(start));
    int x0 = cols;
    int y0 = rows;
    int x1 = -1;
    int y1 = -1;
    int active = 0;
    Cell sum;
    while (!queue.empty()) {
      const int i = queue.front();
      queue.pop_front();
      const int cx = i % cols;
      const int cy = i / cols;
      x0 = std::min(x0, cx);
      x1 = std::max(x1, cx);
      y0 = std::min(y0, cy);
      y1 = std::max(y1, cy);
      const auto& cell = cells[static_cast<std::size_t>(i)];
      if (cell.edges >= kMinEdgePixels) {
        ++active;
        sum.edges += cell.edges;
        sum.xx += cell.xx;
        sum.yy += cell.yy;
        sum.xy += cell.xy;
      }
      for (int dy = -1; dy <= 1; ++dy) {
        for (int dx = -1; dx <= 1; ++dx) {
          const int x = cx + dx;
          const int y = cy + dy;
          if (x < 0 || y < 0 || x >= cols || y >= rows) continue;
          const auto j = at(x, y, cols);
          if (grown[j] != 0 && seen[j] == 0) {
            seen[j] = 1;
            queue.push_back(static_cast<int>(j));
          }
        }
      }
    }
    if (active < kMinActiveCells) continue;
    LabelRegion region;
    region.left = x0 * kCell;
    region.top = y0 * kCell;
    region.right = std::min(width, (x1 + 1) * kCell);
    region.bottom = std::min(height, (y1 + 1) * kCell);
    const double diff = sum.xx - sum.yy;
    region.angle = 0.5 * std::atan2(2 * sum.xy, diff);
    region.coherence = std::sqrt(diff * diff + 4 * sum.xy * sum.xy) / (sum.xx + sum.yy + 1e-9);
    region.strong_pixels = sum.edges;
    regions.push_back(region);
  }
  std::sort(regions.begin(), regions.end(), [](const LabelRegion& a, const LabelRegion& b) {
    return a.strong_pixels > b.strong_pixels;
  });
  if (regions.size() > static_cast<std::size_t>(max_regions)) {
    regions.resize(static_cast<std::size_t>(max_regions));
  }
  return regions;
}

}  // namespace dockgate::drivers
