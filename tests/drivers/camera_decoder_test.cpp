// The ZXing adapter on zint labels: alone, and rotated / scaled / blurred / noised inside a
// photo-sized frame with several codes; bad files give errors, never a crash.
#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>

#include "drivers/camera/barcode_decoder.hpp"
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

}  // namespace
}  // namespace dockgate::drivers
