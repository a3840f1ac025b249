// SPDX-License-Identifier: Apache-2.0
// Test images for the camera driver, generated at test time with zint (the labels) and
// ImageMagick's convert (rotation, scaling, blur, noise, composition into a camera frame).
#pragma once

#include <string>
#include <vector>

namespace dockgate::drivers::test {

/// Runs a tool (args[0] looked up in $PATH) and waits up to 30 s. Throws std::runtime_error
/// naming the command when it fails or hangs.
void run_tool(const std::vector<std::string>& args);

/// zint symbol into `path` (PNG): `zint_args` such as {"-b", "16", "--gs1", "-d", "[00]..."}.
void make_label(const std::string& path, const std::vector<std::string>& zint_args);

/// One label placed into a frame: white border of `border` px, scaled by `scale_percent`,
/// rotated by `degrees` (corners filled white: a label on a box), top-left at (x, y).
struct Placement {
  std::string label_path;
  int x = 0;
  int y = 0;
  int degrees = 0;
  int scale_percent = 100;
  int border = 20;
};

/// A `width` x `height` grey "photo" with the labels composited in, then blurred (sigma
/// `blur`, pixels) and with Gaussian noise of strength `noise` (ImageMagick -attenuate).
void make_scene(const std::string& path, const std::vector<Placement>& labels, int width = 1280,
                int height = 720, double blur = 0.7, double noise = 0.4);

/// Standard dock labels used across the camera tests: zint arguments and expected values.
struct LabelSpec {
  std::string name;
  std::vector<std::string> zint_args;
  std::string format;        ///< as reported by ZXing
  std::string symbology_id;  ///< AIM identifier
  std::string text;          ///< decoded content (GS = 0x1D)
};
const std::vector<LabelSpec>& dock_labels();

}  // namespace dockgate::drivers::test
