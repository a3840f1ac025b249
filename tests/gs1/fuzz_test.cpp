// SPDX-License-Identifier: Apache-2.0
// Robustness: random and mutated inputs through every parser must neither crash nor hang,
// and every result must be self-consistent (deterministic seeds, a few thousand inputs).
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "agent/gs1/ai_table.hpp"
#include "agent/gs1/parse.hpp"

namespace dockgate::gs1 {
namespace {

// Re-encodes a result in the bracketed form, escaping '(' as the parser expects.
std::string bracketed(const ParseResult& r) {
  std::string out;
  for (const auto& e : r.ais) {
    out += "(" + e.ai + ")";
    for (const char c : e.value) {
      if (c == '(') out += '\\';
      out += c;
    }
  }
  return out;
}

void expect_consistent(const ParseResult& r, const std::string& input) {
  if (r.ok()) {
    ASSERT_FALSE(r.ais.empty()) << "ok but no AIs for input of " << input.size() << " bytes";
    for (const auto& e : r.ais) ASSERT_NE(lookup_ai(e.ai), nullptr) << e.ai;
    // Whatever parsed must parse again, identically, from its bracketed rendering.
    const ParseResult again = parse_element_string(bracketed(r));
    ASSERT_TRUE(again.ok()) << again.error;
    ASSERT_EQ(again.ais.size(), r.ais.size());
    for (std::size_t i = 0; i < r.ais.size(); ++i) {
      EXPECT_EQ(again.ais[i].ai, r.ais[i].ai);
      EXPECT_EQ(again.ais[i].value, r.ais[i].value);
    }
  } else {
    ASSERT_TRUE(r.ais.empty());
    for (const char c : r.error) {
      ASSERT_TRUE(c >= 0x20 && c <= 0x7E) << "raw byte " << static_cast<int>(c) << " in error";
    }
  }
}

void run_all(const std::string& input) {
  expect_consistent(parse_element_string(input), input);
  expect_consistent(parse_digital_link(input), input);
  expect_consistent(parse_retail(input), input);
  (void)looks_like_uri(input);
  (void)is_gs1_symbology(input);
  (void)check_digit_valid(input);
  const char cd = check_digit(input);
  EXPECT_TRUE(cd == '\0' || (cd >= '0' && cd <= '9'));
  const std::string uri = digital_link("01", input, {{"21", input}});
  for (const char c : uri) ASSERT_TRUE(c > 0x20 && c < 0x7F);
}

std::string random_string(std::mt19937& rng, std::string_view alphabet, std::size_t max_len) {
  std::uniform_int_distribution<std::size_t> len_dist(0, max_len);
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  std::string s(len_dist(rng), '\0');
  for (char& c : s) c = alphabet[pick(rng)];
  return s;
}

TEST(Fuzz, RandomBytes) {
  std::mt19937 rng(20240611);
  std::string all_bytes;
  for (int b = 0; b < 256; ++b) all_bytes += static_cast<char>(b);
  for (int i = 0; i < 2000; ++i) run_all(random_string(rng, all_bytes, 64));
}

TEST(Fuzz, GrammarShapedStrings) {
  // Digits, GS and brackets dominate so the parsers get past the first AI often.
  std::mt19937 rng(7);
  const std::string alphabet =
      std::string("0123456789012345678901234567890123456789\x1d\x1d()\\AZaz-/%?&=:");
  for (int i = 0; i < 3000; ++i) run_all(random_string(rng, alphabet, 80));
  const std::string uri_alphabet = "0123456789/0123456789/?&=%2Fxhttps:";
  for (int i = 0; i < 2000; ++i) {
    run_all("https://e.x/" + random_string(rng, uri_alphabet, 60));
  }
}

TEST(Fuzz, MutatedValidInputs) {
  const std::vector<std::string> seeds = {
      std::string("0109506000134352") + "10ABC123\x1d" + "21XYZ",
      std::string("00340123450000000420") + "0104012345111118",
      "(01)09506000134352(10)ABC(17)251231",
      "https://example.com/some/prefix/01/09506000134352/10/ABC/21/XYZ?17=251231",
      "https://id.gs1.org/414/4012345000016/254/DOOR03",
      "]E04012345111118",
      "8006095060001343520102" + std::string("8013") + "1987654Ad4X4bL5ttr2310c2K"};
  std::mt19937 rng(99);
  std::uniform_int_distribution<int> byte(0, 255);
  std::size_t accepted = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string s = seeds[static_cast<std::size_t>(i) % seeds.size()];
    const int edits = 1 + i % 3;
    for (int e = 0; e < edits && !s.empty(); ++e) {
      std::uniform_int_distribution<std::size_t> pos(0, s.size() - 1);
      const std::size_t p = pos(rng);
      switch (byte(rng) % 3) {
        case 0:
          s[p] = static_cast<char>(byte(rng));
          break;
        case 1:
          s.erase(p, 1);
          break;
        default:
          s.insert(p, 1, static_cast<char>(byte(rng)));
          break;
      }
    }
    run_all(s);
    accepted += parse_element_string(s).ok() || parse_digital_link(s).ok() ? 1 : 0;
  }
  // Some mutations stay valid (e.g. a changed batch letter): the parsers are not just
  // rejecting everything.
  EXPECT_GT(accepted, 50U);
}

TEST(Fuzz, LongInputsStayLinear) {
  // 1 MB of digits / separators: must finish quickly (no quadratic rescans, no recursion).
  const std::string digits(1 << 20, '9');
  EXPECT_FALSE(parse_element_string(digits).ok());
  std::string many;
  for (int i = 0; i < 20000; ++i) many += "10A\x1d";
  many += "10A";
  EXPECT_TRUE(parse_element_string(many).ok());
  EXPECT_FALSE(parse_digital_link("https://e.x/" + std::string(1 << 20, '/')).ok());
}

}  // namespace
}  // namespace dockgate::gs1
