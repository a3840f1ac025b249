// SPDX-License-Identifier: Apache-2.0
// GS1 Application Identifier table (GS General Specifications section 3, figure 3.2-1).
// Component formats follow the GS1 Barcode Syntax Dictionary, release 2026-01-27.
// Code lists (ISO 3166 countries, ISO 4217 currencies, media and package types, coupon
// structures, GS1 Company Prefix positions) are checked for format only.
#include "agent/gs1/ai_table.hpp"

#include <algorithm>

namespace dockgate::gs1 {
namespace {

using L = Lint;

// Table-building helpers named after the specification notation: N6 = N(6), N..8 = Nv(8).
constexpr AiComponent N(std::uint8_t len, Lint lint = L::kNone) {
  return {Cset::kNumeric, len, len, lint, false};
}
constexpr AiComponent Nv(std::uint8_t max, Lint lint = L::kNone) {
  return {Cset::kNumeric, 1, max, lint, false};
}
constexpr AiComponent X(std::uint8_t len, Lint lint = L::kNone) {
  return {Cset::kCset82, len, len, lint, false};
}
constexpr AiComponent Xv(std::uint8_t max, Lint lint = L::kNone) {
  return {Cset::kCset82, 1, max, lint, false};
}
constexpr AiComponent Yv(std::uint8_t max, Lint lint = L::kNone) {
  return {Cset::kCset39, 1, max, lint, false};
}
constexpr AiComponent Zv(std::uint8_t max, Lint lint = L::kNone) {
  return {Cset::kBase64Url, 1, max, lint, false};
}
constexpr AiComponent Opt(AiComponent c) {
  c.optional = true;
  return c;
}

constexpr std::uint8_t kP = kPredefined;
constexpr std::uint8_t kA = kDataAttribute;
constexpr std::uint8_t kD = kDecimal;

// clang-format off
constexpr AiInfo kTable[] = {
    {"00", "00", "SSCC", kP | kA, {N(18, L::kCheckDigit)}},
    {"01", "01", "GTIN", kP | kA, {N(14, L::kCheckDigit)}},
    {"02", "02", "CONTENT", kP | kA, {N(14, L::kCheckDigit)}},
    {"03", "03", "MTO GTIN", kP, {N(14, L::kCheckDigit)}},
    {"10", "10", "BATCH/LOT", kA, {Xv(20)}},
    {"11", "11", "PROD DATE", kP | kA, {N(6, L::kDateYymmd0)}},
    {"12", "12", "DUE DATE", kP | kA, {N(6, L::kDateYymmd0)}},
    {"13", "13", "PACK DATE", kP | kA, {N(6, L::kDateYymmd0)}},
    {"15", "15", "BEST BEFORE or BEST BY", kP | kA, {N(6, L::kDateYymmd0)}},
    {"16", "16", "SELL BY", kP | kA, {N(6, L::kDateYymmd0)}},
    {"17", "17", "USE BY or EXPIRY", kP | kA, {N(6, L::kDateYymmd0)}},
    {"20", "20", "VARIANT", kP | kA, {N(2)}},
    {"21", "21", "SERIAL", 0, {Xv(20)}},
    {"22", "22", "CPV", 0, {Xv(20)}},
    {"235", "235", "TPX", 0, {Xv(28)}},
    {"240", "240", "ADDITIONAL ID", kA, {Xv(30)}},
    {"241", "241", "CUST. PART No.", kA, {Xv(30)}},
    {"242", "242", "MTO VARIANT", kA, {Nv(6)}},
    {"243", "243", "PCN", kA, {Xv(20)}},
    {"250", "250", "SECONDARY SERIAL", kA, {Xv(30)}},
    {"251", "251", "REF. TO SOURCE", kA, {Xv(30)}},
    {"253", "253", "GDTI", kA, {N(13, L::kCheckDigit), Opt(Xv(17))}},
    {"254", "254", "GLN EXTENSION COMPONENT", 0, {Xv(20)}},
    {"255", "255", "GCN", kA, {N(13, L::kCheckDigit), Opt(Nv(12))}},
    {"30", "30", "VAR. COUNT", kA, {Nv(8)}},
    {"3100", "3105", "NET WEIGHT (kg)", kP | kA | kD, {N(6)}},
    {"3110", "3115", "LENGTH (m)", kP | kA | kD, {N(6)}},
    {"3120", "3125", "WIDTH (m)", kP | kA | kD, {N(6)}},
    {"3130", "3135", "HEIGHT (m)", kP | kA | kD, {N(6)}},
    {"3140", "3145", "AREA (m²)", kP | kA | kD, {N(6)}},
    {"3150", "3155", "NET VOLUME (l)", kP | kA | kD, {N(6)}},
    {"3160", "3165", "NET VOLUME (m³)", kP | kA | kD, {N(6)}},
    {"3200", "3205", "NET WEIGHT (lb)", kP | kA | kD, {N(6)}},
    {"3210", "3215", "LENGTH (in)", kP | kA | kD, {N(6)}},
    {"3220", "3225", "LENGTH (ft)", kP | kA | kD, {N(6)}},
    {"3230", "3235", "LENGTH (yd)", kP | kA | kD, {N(6)}},
    {"3240", "3245", "WIDTH (in)", kP | kA | kD, {N(6)}},
    {"3250", "3255", "WIDTH (ft)", kP | kA | kD, {N(6)}},
    {"3260", "3265", "WIDTH (yd)", kP | kA | kD, {N(6)}},
    {"3270", "3275", "HEIGHT (in)", kP | kA | kD, {N(6)}},
    {"3280", "3285", "HEIGHT (ft)", kP | kA | kD, {N(6)}},
    {"3290", "3295", "HEIGHT (yd)", kP | kA | kD, {N(6)}},
    {"3300", "3305", "GROSS WEIGHT (kg)", kP | kA | kD, {N(6)}},
    {"3310", "3315", "LENGTH (m), log", kP | kA | kD, {N(6)}},
    {"3320", "3325", "WIDTH (m), log", kP | kA | kD, {N(6)}},
    {"3330", "3335", "HEIGHT (m), log", kP | kA | kD, {N(6)}},
    {"3340", "3345", "AREA (m²), log", kP | kA | kD, {N(6)}},
    {"3350", "3355", "VOLUME (l), log", kP | kA | kD, {N(6)}},
    {"3360", "3365", "VOLUME (m³), log", kP | kA | kD, {N(6)}},
    {"3370", "3375", "KG PER m²", kP | kA | kD, {N(6)}},
    {"3400", "3405", "GROSS WEIGHT (lb)", kP | kA | kD, {N(6)}},
    {"3410", "3415", "LENGTH (in), log", kP | kA | kD, {N(6)}},
    {"3420", "3425", "LENGTH (ft), log", kP | kA | kD, {N(6)}},
    {"3430", "3435", "LENGTH (yd), log", kP | kA | kD, {N(6)}},
    {"3440", "3445", "WIDTH (in), log", kP | kA | kD, {N(6)}},
    {"3450", "3455", "WIDTH (ft), log", kP | kA | kD, {N(6)}},
    {"3460", "3465", "WIDTH (yd), log", kP | kA | kD, {N(6)}},
    {"3470", "3475", "HEIGHT (in), log", kP | kA | kD, {N(6)}},
    {"3480", "3485", "HEIGHT (ft), log", kP | kA | kD, {N(6)}},
    {"3490", "3495", "HEIGHT (yd), log", kP | kA | kD, {N(6)}},
    {"3500", "3505", "AREA (in²)", kP | kA | kD, {N(6)}},
    {"3510", "3515", "AREA (ft²)", kP | kA | kD, {N(6)}},
    {"3520", "3525", "AREA (yd²)", kP | kA | kD, {N(6)}},
    {"3530", "3535", "AREA (in²), log", kP | kA | kD, {N(6)}},
    {"3540", "3545", "AREA (ft²), log", kP | kA | kD, {N(6)}},
    {"3550", "3555", "AREA (yd²), log", kP | kA | kD, {N(6)}},
    {"3560", "3565", "NET WEIGHT (tr oz)", kP | kA | kD, {N(6)}},
    {"3570", "3575", "NET VOLUME (oz)", kP | kA | kD, {N(6)}},
    {"3600", "3605", "NET VOLUME (qt (US))", kP | kA | kD, {N(6)}},
    {"3610", "3615", "NET VOLUME (gal.)", kP | kA | kD, {N(6)}},
    {"3620", "3625", "VOLUME (qt (US)), log", kP | kA | kD, {N(6)}},
    {"3630", "3635", "VOLUME (gal (US)), log", kP | kA | kD, {N(6)}},
    {"3640", "3645", "NET VOLUME (in³)", kP | kA | kD, {N(6)}},
    {"3650", "3655", "NET VOLUME (ft³)", kP | kA | kD, {N(6)}},
    {"3660", "3665", "NET VOLUME (yd³)", kP | kA | kD, {N(6)}},
    {"3670", "3675", "VOLUME (in³), log", kP | kA | kD, {N(6)}},
    {"3680", "3685", "VOLUME (ft³), log", kP | kA | kD, {N(6)}},
    {"3690", "3695", "VOLUME (yd³), log", kP | kA | kD, {N(6)}},
    {"37", "37", "COUNT", kA, {Nv(8)}},
    {"3900", "3909", "AMOUNT", kA | kD, {Nv(15)}},
    {"3910", "3919", "AMOUNT", kA | kD, {N(3), Nv(15)}},
    {"3920", "3929", "PRICE", kA | kD, {Nv(15)}},
    {"3930", "3939", "PRICE", kA | kD, {N(3), Nv(15)}},
    {"3940", "3943", "PRCNT OFF", kA | kD, {N(4)}},
    {"3950", "3955", "PRICE/UoM", kA | kD, {N(6)}},
    {"400", "400", "ORDER NUMBER", kA, {Xv(30)}},
    {"401", "401", "GINC", kA, {Xv(30)}},
    {"402", "402", "GSIN", kA, {N(17, L::kCheckDigit)}},
    {"403", "403", "ROUTE", kA, {Xv(30)}},
    {"410", "410", "SHIP TO LOC", kP | kA, {N(13, L::kCheckDigit)}},
    {"411", "411", "BILL TO", kP | kA, {N(13, L::kCheckDigit)}},
    {"412", "412", "PURCHASE FROM", kP | kA, {N(13, L::kCheckDigit)}},
    {"413", "413", "SHIP FOR LOC", kP | kA, {N(13, L::kCheckDigit)}},
    {"414", "414", "LOC No.", kP | kA, {N(13, L::kCheckDigit)}},
    {"415", "415", "PAY TO", kP | kA, {N(13, L::kCheckDigit)}},
    {"416", "416", "PROD/SERV LOC", kP | kA, {N(13, L::kCheckDigit)}},
    {"417", "417", "PARTY", kP | kA, {N(13, L::kCheckDigit)}},
    {"420", "420", "SHIP TO POST", kA, {Xv(20)}},
    {"421", "421", "SHIP TO POST", kA, {N(3), Xv(9)}},
    {"422", "422", "ORIGIN", kA, {N(3)}},
    {"423", "423", "COUNTRY - INITIAL PROCESS", kA, {N(3), Opt(N(3)), Opt(N(3)), Opt(N(3)), Opt(N(3))}},
    {"424", "424", "COUNTRY - PROCESS", kA, {N(3)}},
    {"425", "425", "COUNTRY - DISASSEMBLY", kA, {N(3), Opt(N(3)), Opt(N(3)), Opt(N(3)), Opt(N(3))}},
    {"426", "426", "COUNTRY - FULL PROCESS", kA, {N(3)}},
    {"427", "427", "ORIGIN SUBDIVISION", kA, {Xv(3)}},
    {"4300", "4300", "SHIP TO COMP", kA, {Xv(35, L::kPercentEncoded)}},
    {"4301", "4301", "SHIP TO NAME", kA, {Xv(35, L::kPercentEncoded)}},
    {"4302", "4302", "SHIP TO ADD1", kA, {Xv(70, L::kPercentEncoded)}},
    {"4303", "4303", "SHIP TO ADD2", kA, {Xv(70, L::kPercentEncoded)}},
    {"4304", "4304", "SHIP TO SUB", kA, {Xv(70, L::kPercentEncoded)}},
    {"4305", "4305", "SHIP TO LOC", kA, {Xv(70, L::kPercentEncoded)}},
    {"4306", "4306", "SHIP TO REG", kA, {Xv(70, L::kPercentEncoded)}},
    {"4307", "4307", "SHIP TO COUNTRY", kA, {X(2)}},
    {"4308", "4308", "SHIP TO PHONE", kA, {Xv(30)}},
    {"4309", "4309", "SHIP TO GEO", kA, {N(10, L::kLatitude), N(10, L::kLongitude)}},
    {"4310", "4310", "RTN TO COMP", kA, {Xv(35, L::kPercentEncoded)}},
    {"4311", "4311", "RTN TO NAME", kA, {Xv(35, L::kPercentEncoded)}},
    {"4312", "4312", "RTN TO ADD1", kA, {Xv(70, L::kPercentEncoded)}},
    {"4313", "4313", "RTN TO ADD2", kA, {Xv(70, L::kPercentEncoded)}},
    {"4314", "4314", "RTN TO SUB", kA, {Xv(70, L::kPercentEncoded)}},
    {"4315", "4315", "RTN TO LOC", kA, {Xv(70, L::kPercentEncoded)}},
    {"4316", "4316", "RTN TO REG", kA, {Xv(70, L::kPercentEncoded)}},
    {"4317", "4317", "RTN TO COUNTRY", kA, {X(2)}},
    {"4318", "4318", "RTN TO POST", kA, {Xv(20)}},
    {"4319", "4319", "RTN TO PHONE", kA, {Xv(30)}},
    {"4320", "4320", "SRV DESCRIPTION", kA, {Xv(35, L::kPercentEncoded)}},
    {"4321", "4321", "DANGEROUS GOODS", kA, {N(1, L::kYesNo)}},
    {"4322", "4322", "AUTH TO LEAVE", kA, {N(1, L::kYesNo)}},
    {"4323", "4323", "SIG REQUIRED", kA, {N(1, L::kYesNo)}},
    {"4324", "4324", "NOT BEF DEL DT", kA, {N(6, L::kDateYymmd0), N(4, L::kTimeHhmi)}},
    {"4325", "4325", "NOT AFT DEL DT", kA, {N(6, L::kDateYymmd0), N(4, L::kTimeHhmi)}},
    {"4326", "4326", "REL DATE", kA, {N(6, L::kDateYymmdd)}},
    {"4330", "4330", "MAX TEMP F.", kA, {N(6), Opt(X(1, L::kHyphen))}},
    {"4331", "4331", "MAX TEMP C.", kA, {N(6), Opt(X(1, L::kHyphen))}},
    {"4332", "4332", "MIN TEMP F.", kA, {N(6), Opt(X(1, L::kHyphen))}},
    {"4333", "4333", "MIN TEMP C.", kA, {N(6), Opt(X(1, L::kHyphen))}},
    {"7001", "7001", "NSN", kA, {N(13)}},
    {"7002", "7002", "MEAT CUT", kA, {Xv(30)}},
    {"7003", "7003", "EXPIRY TIME", kA, {N(6, L::kDateYymmdd), N(4, L::kTimeHhmi)}},
    {"7004", "7004", "ACTIVE POTENCY", kA, {Nv(4)}},
    {"7005", "7005", "CATCH AREA", kA, {Xv(12)}},
    {"7006", "7006", "FIRST FREEZE DATE", kA, {N(6, L::kDateYymmdd)}},
    {"7007", "7007", "HARVEST DATE", kA, {N(6, L::kDateYymmdd), Opt(N(6, L::kDateYymmdd))}},
    {"7008", "7008", "AQUATIC SPECIES", kA, {Xv(3)}},
    {"7009", "7009", "FISHING GEAR TYPE", kA, {Xv(10)}},
    {"7010", "7010", "PROD METHOD", kA, {Xv(2)}},
    {"7011", "7011", "TEST BY DATE", kA, {N(6, L::kDateYymmdd), Opt(N(4, L::kTimeHhmi))}},
    {"7020", "7020", "REFURB LOT", kA, {Xv(20)}},
    {"7021", "7021", "FUNC STAT", kA, {Xv(20)}},
    {"7022", "7022", "REV STAT", kA, {Xv(20)}},
    {"7023", "7023", "GIAI - ASSEMBLY", kA, {Xv(30)}},
    {"7030", "7030", "PROCESSOR # 0", kA, {N(3), Xv(27)}},
    {"7031", "7031", "PROCESSOR # 1", kA, {N(3), Xv(27)}},
    {"7032", "7032", "PROCESSOR # 2", kA, {N(3), Xv(27)}},
    {"7033", "7033", "PROCESSOR # 3", kA, {N(3), Xv(27)}},
    {"7034", "7034", "PROCESSOR # 4", kA, {N(3), Xv(27)}},
    {"7035", "7035", "PROCESSOR # 5", kA, {N(3), Xv(27)}},
    {"7036", "7036", "PROCESSOR # 6", kA, {N(3), Xv(27)}},
    {"7037", "7037", "PROCESSOR # 7", kA, {N(3), Xv(27)}},
    {"7038", "7038", "PROCESSOR # 8", kA, {N(3), Xv(27)}},
    {"7039", "7039", "PROCESSOR # 9", kA, {N(3), Xv(27)}},
    {"7040", "7040", "UIC+EXT", 0, {N(1), X(1), X(1), X(1, L::kImporterIndex)}},
    {"7041", "7041", "UFRGT UNIT TYPE", 0, {Xv(4)}},
    {"710", "710", "NHRN PZN", kA, {Xv(20)}},
    {"711", "711", "NHRN CIP", kA, {Xv(20)}},
    {"712", "712", "NHRN CN", kA, {Xv(20)}},
    {"713", "713", "NHRN DRN", kA, {Xv(20)}},
    {"714", "714", "NHRN AIM", kA, {Xv(20)}},
    {"715", "715", "NHRN NDC", kA, {Xv(20)}},
    {"716", "716", "NHRN AIC", kA, {Xv(20)}},
    {"717", "717", "NHRN SRN", kA, {Xv(20)}},
    {"7230", "7230", "CERT # 1", kA, {X(2), Xv(28)}},
    {"7231", "7231", "CERT # 2", kA, {X(2), Xv(28)}},
    {"7232", "7232", "CERT # 3", kA, {X(2), Xv(28)}},
    {"7233", "7233", "CERT # 4", kA, {X(2), Xv(28)}},
    {"7234", "7234", "CERT # 5", kA, {X(2), Xv(28)}},
    {"7235", "7235", "CERT # 6", kA, {X(2), Xv(28)}},
    {"7236", "7236", "CERT # 7", kA, {X(2), Xv(28)}},
    {"7237", "7237", "CERT # 8", kA, {X(2), Xv(28)}},
    {"7238", "7238", "CERT # 9", kA, {X(2), Xv(28)}},
    {"7239", "7239", "CERT # 10", kA, {X(2), Xv(28)}},
    {"7240", "7240", "PROTOCOL", kA, {Xv(20)}},
    {"7241", "7241", "AIDC MEDIA TYPE", kA, {N(2)}},
    {"7242", "7242", "VCN", kA, {Xv(25)}},
    {"7250", "7250", "DOB", kA, {N(8, L::kDateYyyymmdd)}},
    {"7251", "7251", "DOB TIME", kA, {N(8, L::kDateYyyymmdd), N(4, L::kTimeHhmi)}},
    {"7252", "7252", "BIO SEX", kA, {N(1, L::kIso5218)}},
    {"7253", "7253", "FAMILY NAME", kA, {Xv(40, L::kPercentEncoded)}},
    {"7254", "7254", "GIVEN NAME", kA, {Xv(40, L::kPercentEncoded)}},
    {"7255", "7255", "SUFFIX", kA, {Xv(10)}},
    {"7256", "7256", "FULL NAME", kA, {Xv(90, L::kPercentEncoded)}},
    {"7257", "7257", "PERSON ADDR", kA, {Xv(70, L::kPercentEncoded)}},
    {"7258", "7258", "BIRTH SEQUENCE", kA, {X(3)}},
    {"7259", "7259", "BABY", kA, {Xv(40, L::kPercentEncoded)}},
    {"8001", "8001", "DIMENSIONS", kA, {N(4, L::kNonZero), N(5, L::kNonZero), N(3, L::kNonZero), N(1, L::kWinding), N(1)}},
    {"8002", "8002", "CMT No.", kA, {Xv(20)}},
    {"8003", "8003", "GRAI", kA, {N(1, L::kZero), N(13, L::kCheckDigit), Opt(Xv(16))}},
    {"8004", "8004", "GIAI", kA, {Xv(30)}},
    {"8005", "8005", "PRICE PER UNIT", kA, {N(6)}},
    {"8006", "8006", "ITIP", kA, {N(14, L::kCheckDigit), N(4, L::kPieceOfTotal)}},
    {"8007", "8007", "IBAN", kA, {Xv(34, L::kIban)}},
    {"8008", "8008", "PROD TIME", kA, {N(6, L::kDateYymmdd), N(2, L::kHour), Opt(N(2, L::kMinute)), Opt(N(2, L::kSecond))}},
    {"8009", "8009", "OPTSEN", kA, {Xv(50)}},
    {"8010", "8010", "CPID", kA, {Yv(30)}},
    {"8011", "8011", "CPID SERIAL", 0, {Nv(12, L::kNoZeroPrefix)}},
    {"8012", "8012", "VERSION", kA, {Xv(20)}},
    {"8013", "8013", "GMN", kA, {Xv(25, L::kCheckPair)}},
    {"8014", "8014", "MUDI", 0, {Xv(25, L::kCheckPairNonDigit)}},
    {"8017", "8017", "GSRN - PROVIDER", kA, {N(18, L::kCheckDigit)}},
    {"8018", "8018", "GSRN - RECIPIENT", kA, {N(18, L::kCheckDigit)}},
    {"8019", "8019", "SRIN", 0, {Nv(10)}},
    {"8020", "8020", "REF No.", 0, {Xv(25)}},
    {"8026", "8026", "ITIP CONTENT", kA, {N(14, L::kCheckDigit), N(4, L::kPieceOfTotal)}},
    {"8030", "8030", "DIGSIG", kA, {Zv(90)}},
    {"8040", "8040", "IMEI", 0, {N(15)}},
    {"8041", "8041", "IMEI2", 0, {N(15)}},
    {"8042", "8042", "ESIM", 0, {N(32)}},
    {"8043", "8043", "PSIM", 0, {N(18), Opt(Nv(2))}},
    {"8110", "8110", "", kA, {Xv(70)}},
    {"8111", "8111", "POINTS", kA, {N(4)}},
    {"8112", "8112", "", kA, {Xv(70)}},
    {"8200", "8200", "PRODUCT URL", 0, {Xv(70)}},
    {"90", "90", "INTERNAL", kA, {Xv(30)}},
    {"91", "99", "INTERNAL", kA, {Xv(90)}},
};
// clang-format on

constexpr bool table_sorted() {
  for (std::size_t i = 1; i < std::size(kTable); ++i) {
    if (!(kTable[i - 1].last < kTable[i].first)) return false;
  }
  return true;
}
static_assert(table_sorted(), "AI table must be sorted and free of overlaps");

bool in_range(const AiInfo& info, std::string_view ai) {
  return ai.size() == info.first.size() && info.first <= ai && ai <= info.last;
}

}  // namespace

std::size_t AiInfo::component_count() const {
  return static_cast<std::size_t>(std::count_if(components.begin(), components.end(),
                                                [](const AiComponent& c) { return c.max > 0; }));
}

std::size_t AiInfo::min_length() const {
  std::size_t n = 0;
  for (const auto& c : components) {
    if (c.max > 0 && !c.optional) n += c.min;
  }
  return n;
}

std::size_t AiInfo::max_length() const {
  std::size_t n = 0;
  for (const auto& c : components) n += c.max;
  return n;
}

bool AiInfo::numeric() const {
  return std::all_of(components.begin(), components.end(),
                     [](const AiComponent& c) { return c.max == 0 || c.cset == Cset::kNumeric; });
}

bool AiInfo::has_check_digit() const {
  return std::any_of(components.begin(), components.end(),
                     [](const AiComponent& c) { return c.lint == L::kCheckDigit; });
}

bool AiInfo::has_date() const {
  return std::any_of(components.begin(), components.end(), [](const AiComponent& c) {
    return c.lint == L::kDateYymmd0 || c.lint == L::kDateYymmdd || c.lint == L::kDateYyyymmdd;
  });
}

std::span<const AiInfo> ai_table() {
  return kTable;
}

const AiInfo* lookup_ai(std::string_view ai) {
  if (ai.size() < 2 || ai.size() > 4) return nullptr;
  // A linear scan: lexical order mixes AI lengths ("3100" < "37"), and 224 entries of
  // short string compares cost well under a microsecond per scan.
  const auto* it = std::find_if(std::begin(kTable), std::end(kTable),
                                [&](const AiInfo& info) { return in_range(info, ai); });
  return it == std::end(kTable) ? nullptr : it;
}

const AiInfo* match_ai_prefix(std::string_view data, std::size_t& ai_length) {
  for (std::size_t len = 2; len <= 4 && len <= data.size(); ++len) {
    if (const AiInfo* info = lookup_ai(data.substr(0, len))) {
      ai_length = len;
      return info;
    }
  }
  ai_length = 0;
  return nullptr;
}

int decimal_places(std::string_view ai) {
  const AiInfo* info = lookup_ai(ai);
  if (info == nullptr || !info->decimal()) return -1;
  return ai.back() - '0';
}

bool predefined_length_prefix(std::string_view ai) {
  if (ai.size() < 2 || ai[0] < '0' || ai[0] > '9' || ai[1] < '0' || ai[1] > '9') return false;
  const int p = (ai[0] - '0') * 10 + (ai[1] - '0');
  return p <= 4 || (p >= 11 && p <= 20) || (p >= 31 && p <= 36) || p == 41;
}

}  // namespace dockgate::gs1
