// SPDX-License-Identifier: Apache-2.0
// The ZXing adapter on zint labels: alone, and rotated / scaled / blurred / noised inside a
// photo-sized frame with several codes; bad files give errors, never a crash.
#include <gtest/gtest.h>
#include <stb/stb_image.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

#include "drivers/camera/barcode_decoder.hpp"
#include "drivers/camera/gray_warp.hpp"
#include "drivers/camera/label_regions.hpp"
#include "tests/drivers/camera_images.hpp"
#include "tests/support/temp_dir.hpp"

namespace dockgate::drivers {
namespace {

using test::dock_labels;
using test::LabelSpec;

const DecodedCode* find_text(const std::vector<DecodedCode>& codes, const std::string& text) {
  auto it = std::find_if(codes.begin(), codes.end(),
                         [&](const DecodedCode& c) { return c.text == text; });
  return it == codes.end() ? nullptr : &*it;
}

TEST(BarcodeDecoder, ReadsEachDockLabelWithFormatSymbologyIdAndText) {
  dockgate::test::TempDir dir("camera-decoder");
  const BarcodeDecoder decoder;
  for (const LabelSpec& spec : dock_labels()) {
    const std::string path = dir.file(spec.name + ".png");
    test::make_label(path, spec.zint_args);
    const auto result = decoder.decode_file(path);
    ASSERT_FALSE(result.error) << spec.name << ": " << *result.error;
    ASSERT_EQ(result.codes.size(), 1u) << spec.name;
    EXPECT_EQ(result.codes[0].format, spec.format);
    EXPECT_EQ(result.codes[0].symbology_id, spec.symbology_id);
    EXPECT_EQ(result.codes[0].text, spec.text);
    EXPECT_GT(result.width, 0);
  }
}

TEST(BarcodeDecoder, FindsEveryLabelInANoisyRotatedCameraFrame) {
  dockgate::test::TempDir dir("camera-decoder");
  std::vector<test::Placement> placements{{"", 60, 80, 6, 130, 30},
                                          {"", 700, 120, -12, 100, 20},
                                          {"", 900, 420, 90, 100, 20},
                                          {"", 80, 420, 3, 120, 20},
                                          {"", 480, 480, -4, 100, 20}};
  for (std::size_t i = 0; i < dock_labels().size(); ++i) {
    placements[i].label_path = dir.file(dock_labels()[i].name + ".png");
    test::make_label(placements[i].label_path, dock_labels()[i].zint_args);
  }
  const std::string scene = dir.file("scene.png");
  test::make_scene(scene, placements);

  const auto result = BarcodeDecoder().decode_file(scene);
  ASSERT_FALSE(result.error) << *result.error;
  EXPECT_EQ(result.width, 1280);
  EXPECT_EQ(result.height, 720);
  EXPECT_EQ(result.codes.size(), dock_labels().size());
  for (std::size_t i = 0; i < dock_labels().size(); ++i) {
    const LabelSpec& spec = dock_labels()[i];
    const DecodedCode* code = find_text(result.codes, spec.text);
    ASSERT_NE(code, nullptr) << spec.name << " not found";
    EXPECT_EQ(code->format, spec.format);
    EXPECT_EQ(code->symbology_id, spec.symbology_id);
    // Corners lie inside the frame, near where the label was placed.
    for (const auto& p : code->corners) {
      EXPECT_GE(p.x, placements[i].x - 20) << spec.name;
      EXPECT_GE(p.y, placements[i].y - 20) << spec.name;
      EXPECT_LT(p.x, 1280);
      EXPECT_LT(p.y, 720);
    }
  }
}

TEST(BarcodeDecoder, FormatsRestrictWhatIsReported) {
  dockgate::test::TempDir dir("camera-decoder");
  const auto& qr = dock_labels()[2];
  const auto& sscc = dock_labels()[0];
  test::make_label(dir.file("qr.png"), qr.zint_args);
  test::make_label(dir.file("sscc.png"), sscc.zint_args);
  test::make_scene(dir.file("scene.png"), {{dir.file("qr.png"), 100, 100, 0, 100, 20},
                                           {dir.file("sscc.png"), 600, 300, 0, 100, 20}});
  const auto result = BarcodeDecoder({"QRCode"}).decode_file(dir.file("scene.png"));
  ASSERT_FALSE(result.error);
  ASSERT_EQ(result.codes.size(), 1u);
  EXPECT_EQ(result.codes[0].text, qr.text);
  EXPECT_EQ(BarcodeDecoder({"Code128"}).decode_file(dir.file("scene.png")).codes.size(), 1u);
}

TEST(BarcodeDecoder, ImageWithoutCodeIsNotAnError) {
  dockgate::test::TempDir dir("camera-decoder");
  test::make_scene(dir.file("empty.png"), {}, 640, 480);
  const auto result = BarcodeDecoder().decode_file(dir.file("empty.png"));
  EXPECT_FALSE(result.error);
  EXPECT_TRUE(result.codes.empty());
  EXPECT_EQ(result.width, 640);
}

TEST(BarcodeDecoder, CorruptMissingAndTruncatedFilesGiveErrors) {
  dockgate::test::TempDir dir("camera-decoder");
  dockgate::test::write_file(dir.file("text.png"), "this is not an image\n");
  dockgate::test::write_file(dir.file("empty.jpg"), "");
  test::make_scene(dir.file("full.png"), {}, 640, 480);
  const std::string full = dockgate::test::read_file(dir.file("full.png"));
  dockgate::test::write_file(dir.file("half.png"), full.substr(0, full.size() / 2));

  const BarcodeDecoder decoder;
  for (const char* name : {"text.png", "empty.jpg", "half.png", "missing.png"}) {
    const auto result = decoder.decode_file(dir.file(name));
    ASSERT_TRUE(result.error) << name;
    EXPECT_FALSE(result.error->empty());
    EXPECT_TRUE(result.codes.empty());
  }
}

TEST(BarcodeDecoder, UnknownFormatIsRejected) {
  EXPECT_THROW(BarcodeDecoder({"QRCode", "Barcode3000"}), std::invalid_argument);
  EXPECT_TRUE(BarcodeDecoder::is_known_format("DataMatrix"));
  EXPECT_TRUE(BarcodeDecoder::is_known_format("ean-13"));
  EXPECT_FALSE(BarcodeDecoder::is_known_format("Barcode3000"));
  EXPECT_FALSE(BarcodeDecoder::is_known_format(""));
}

// Labels that ZXing 1.4 misses in a whole frame and the region pass reads (checked against
// the decoder before the region pass: it found none of these four). Same pipeline as
// bench/make-decode-set: zint label, white border, scaled, rotated, blurred, noised.
struct HardCase {
  std::string name;
  std::vector<std::string> zint_args;
  std::string format;
  std::string text;
  test::Placement at;  // label_path filled in by the test
  int width;
  int height;
  double blur;
};

const std::vector<HardCase>& hard_cases() {
  static const std::vector<HardCase> cases{
      // Long ITF-14 tilted 16 degrees: no image row crosses all its bars.
      {"itf14-tilted",
       {"-b", "89", "-d", "1540014128876"},
       "ITF",
       "15400141288763",
       {"", 500, 300, 16, 200, 20},
       1920,
       1080,
       0.5},
      // Small (2.4 px modules), blurred EAN-13 tilted 12 degrees: needs the sharpening.
      {"ean13-blurred",
       {"-b", "13", "-d", "590123412345"},
       "EAN-13",
       "5901234123457",
       {"", 900, 450, 12, 120, 20},
       1280,
       720,
       1.4},
      // GS1 DataMatrix away from the frame's centre row and column.
      {"datamatrix-off-centre",
       {"-b", "71", "--gs1", "--quietzones", "-d", "[00]340123450000000420"},
       "DataMatrix",
       "00340123450000000420",
       {"", 200, 800, -10, 150, 20},
       1920,
       1080,
       0.6},
      // GS1-128 tilted -18 degrees in a 720p frame.
      {"gs1-128-tilted",
       {"-b", "16", "--gs1", "--height=50", "-d", "[00]340123450000000420"},
       "Code128",
       "00340123450000000420",
       {"", 500, 300, -18, 120, 20},
       1280,
       720,
       0.6},
  };
  return cases;
}

TEST(BarcodeDecoder, RegionPassReadsTiltedBlurredAndOffCentreLabels) {
  dockgate::test::TempDir dir("camera-decoder");
  const BarcodeDecoder decoder;
  for (const HardCase& c : hard_cases()) {
    test::Placement at = c.at;
    at.label_path = dir.file(c.name + "-label.png");
    test::make_label(at.label_path, c.zint_args);
    const std::string scene = dir.file(c.name + ".png");
    test::make_scene(scene, {at}, c.width, c.height, c.blur, 0.4);
    const auto result = decoder.decode_file(scene);
    ASSERT_FALSE(result.error) << c.name << ": " << *result.error;
    ASSERT_EQ(result.codes.size(), 1u) << c.name;
    EXPECT_EQ(result.codes[0].format, c.format) << c.name;
    EXPECT_EQ(result.codes[0].text, c.text) << c.name;
    // Corners map back from the deskewed / enlarged crop into frame pixels near the label.
    for (const auto& p : result.codes[0].corners) {
      EXPECT_GE(p.x, at.x - 20) << c.name;
      EXPECT_GE(p.y, at.y - 20) << c.name;
      EXPECT_LT(p.x, c.width) << c.name;
      EXPECT_LT(p.y, c.height) << c.name;
    }
  }
}

// A PNG made by the test helpers as 8-bit grey pixels (stb, as the decoder loads files).
GrayImage load_gray(const std::string& path) {
  int width = 0;
  int height = 0;
  int channels = 0;
  unsigned char* data = stbi_load(path.c_str(), &width, &height, &channels, 1);
  if (data == nullptr) throw std::runtime_error("cannot load " + path);
  GrayImage image{width, height, {data, data + static_cast<std::ptrdiff_t>(width) * height}};
  stbi_image_free(data);
  return image;
}

TEST(LabelRegions, FindsTiltedOneDCodeWithItsAngleAndTwoDCodeAsIncoherent) {
  dockgate::test::TempDir dir("camera-regions");
  const HardCase& itf = hard_cases()[0];
  const HardCase& dm = hard_cases()[2];
  test::make_label(dir.file("itf.png"), itf.zint_args);
  test::make_label(dir.file("dm.png"), dm.zint_args);
  test::make_scene(
      dir.file("scene.png"),
      {{dir.file("itf.png"), 100, 100, 16, 150, 20}, {dir.file("dm.png"), 900, 400, 0, 200, 20}},
      1280, 720, 0.5, 0.4);
  const GrayImage frame = load_gray(dir.file("scene.png"));
  const auto regions = find_label_regions(frame.pixels.data(), frame.width, frame.height);
  ASSERT_EQ(regions.size(), 2u);
  const auto& first = regions[0].left < regions[1].left ? regions[0] : regions[1];
  const auto& second = regions[0].left < regions[1].left ? regions[1] : regions[0];
  // ITF-14 near (100, 100): bars' normal turned 16 degrees clockwise (y down).
  EXPECT_GE(first.left, 100);  // inside the label: its white corners hold no edges
  EXPECT_LE(first.left, 200);
  EXPECT_GE(first.top, 100);
  EXPECT_LE(first.top, 200);
  EXPECT_GT(first.coherence, 0.6);
  EXPECT_NEAR(first.angle * 180 / std::numbers::pi, 16.0, 3.0);
  // DataMatrix near (900, 400): edges in both directions.
  EXPECT_GE(second.left, 880);
  EXPECT_LE(second.left, 940);
  EXPECT_LT(second.coherence, 0.4);
}

TEST(LabelRegions, PlainNoiseAndBadInputGiveNoRegion) {
  dockgate::test::TempDir dir("camera-regions");
  test::make_scene(dir.file("empty.png"), {}, 1280, 720, 0.5, 0.5);
  const GrayImage frame = load_gray(dir.file("empty.png"));
  EXPECT_TRUE(find_label_regions(frame.pixels.data(), frame.width, frame.height).empty());
  EXPECT_TRUE(find_label_regions(nullptr, 1280, 720).empty());
  EXPECT_TRUE(find_label_regions(frame.pixels.data(), -1, 720).empty());
  EXPECT_TRUE(find_label_regions(frame.pixels.data(), 40, 40).empty());  // under 3x3 cells
  EXPECT_TRUE(find_label_regions(frame.pixels.data(), 1280, 720, 0).empty());
}

TEST(GrayWarp, RotationMapsBackToTheSourceAndOutsideIsWhite) {
  // 40x20 source: left half black, right half 200.
  std::vector<unsigned char> src(40 * 20, 0);
  for (int y = 0; y < 20; ++y) {
    for (int x = 20; x < 40; ++x) src[static_cast<std::size_t>(y * 40 + x)] = 200;
  }
  // A quarter turn: the output is 20 wide, 40 tall; its x axis runs down the source.
  const BoxWarp warp(0, 0, 40, 20, std::numbers::pi / 2, 1.0);
  const GrayImage out = warp.apply(src.data(), 40, 20);
  ASSERT_EQ(out.width, 20);
  ASSERT_EQ(out.height, 40);
  EXPECT_EQ(warp.to_source(10, 20), (std::pair<int, int>{20, 10}));   // centre stays
  EXPECT_EQ(warp.to_source(10, 0), (std::pair<int, int>{40, 10}));    // top = source right
  EXPECT_EQ(out.pixels[static_cast<std::size_t>(5 * 20 + 10)], 200);  // source x 35
  EXPECT_EQ(out.pixels[static_cast<std::size_t>(30 * 20 + 10)], 0);   // source x 10: black
  // Twice the size, unrotated: a box sticking out of the source is white outside.
  const BoxWarp big(30, 0, 50, 20, 0.0, 2.0);
  const GrayImage enlarged = big.apply(src.data(), 40, 20);
  ASSERT_EQ(enlarged.width, 40);
  EXPECT_EQ(enlarged.pixels[static_cast<std::size_t>(20 * 40 + 5)], 200);
  EXPECT_EQ(enlarged.pixels[static_cast<std::size_t>(20 * 40 + 35)], 255);
  // Unusable boxes and scales give an empty image, never a crash.
  EXPECT_TRUE(BoxWarp(10, 0, 10, 20, 0, 1).apply(src.data(), 40, 20).pixels.empty());
  EXPECT_TRUE(BoxWarp(0, 0, 40, 20, 0, 0).apply(src.data(), 40, 20).pixels.empty());
  EXPECT_TRUE(BoxWarp(0, 0, 40, 20, 0, 100).apply(src.data(), 40, 20).pixels.empty());
  EXPECT_TRUE(BoxWarp(0, 0, 40, 20, 0, 1).apply(nullptr, 40, 20).pixels.empty());
}

TEST(GrayWarp, SharpenRowsSteepensAnEdgeAndClamps) {
  GrayImage img{5, 1, {100, 100, 150, 200, 200}};
  sharpen_rows(img, 2.0);
  // The ramp's ends overshoot (clamped to 0..255), its middle stays.
  EXPECT_EQ(img.pixels, (std::vector<unsigned char>{100, 0, 150, 255, 200}));
}

}  // namespace
}  // namespace dockgate::drivers
