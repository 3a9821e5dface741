#ifndef GZEDU_COMMON_DOMAIN_BOUND_MESSAGES_H_
#define GZEDU_COMMON_DOMAIN_BOUND_MESSAGES_H_

// The wording of every refusal of a value beyond a documented bound
// (common/domain/input_bounds.h) or finer than its documented precision, so
// the same value is refused in the same words whichever path it enters by
// (gzedu evaluate-file, the registry, the district returns), in English and
// in Chinese (common/status/localized_text.h).

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/status/localized_text.h"

namespace gzedu::bounds {

// A number as a reader would write it: no exponent below 10^21 for whole
// numbers, at most six decimals below 10^15.
inline std::string FormatNumber(double value) {
  if (!std::isfinite(value)) return std::isnan(value) ? "NaN" : (value > 0 ? "infinity" : "-infinity");
  char text[400];
  if (std::fabs(value) < 1e15) {
    std::snprintf(text, sizeof text, "%.6f", value);
    std::string shown = text;
    while (shown.back() == '0') shown.pop_back();
    if (shown.back() == '.') shown.pop_back();
    if (shown != "0" && shown != "-0") return shown;
    if (value == 0) return "0";
  } else if (std::fabs(value) < 1e21 && value == std::floor(value)) {
    std::snprintf(text, sizeof text, "%.0f", value);
    return text;
  }
  std::snprintf(text, sizeof text, "%.10g", value);
  return text;
}

// Fen as yuan: 12345 -> "123.45", 100 -> "1".
inline std::string FormatFenAsYuan(int64_t fen) {
  const bool negative = fen < 0;
  const uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(fen) : static_cast<uint64_t>(fen);
  std::string text = absl::StrCat(negative ? "-" : "", magnitude / 100);
  const int cents = static_cast<int>(magnitude % 100);
  if (cents != 0) absl::StrAppend(&text, cents < 10 ? ".0" : ".", cents % 10 == 0 && cents >= 10 ? cents / 10 : cents);
  return text;
}

// "2147483647 is above the limit of 100000 students per section",
// "2147483647 超过上限 100000（每个学段单元的学生数）": `what` says what the
// limit counts, in English after the limit and in Chinese in parentheses.
inline LocalizedText AboveLimit(int64_t value, int64_t limit, const LocalizedText& what) {
  return {absl::StrCat(value, " is above the limit of ", limit, " ", what.en),
          absl::StrCat(value, " 超过上限 ", limit, "（", what.zh, "）")};
}
inline LocalizedText AboveLimit(double value, double limit, const LocalizedText& what) {
  return {absl::StrCat(FormatNumber(value), " is above the limit of ", FormatNumber(limit), " ", what.en),
          absl::StrCat(FormatNumber(value), " 超过上限 ", FormatNumber(limit), "（", what.zh, "）")};
}
// An amount of money beyond the limit of any one amount (10^12 yuan),
// given as the yuan the caller wrote: "1e+20 yuan is above the limit of
// 1000000000000 yuan (10^12 yuan) for any one amount".
inline LocalizedText AmountAboveLimit(absl::string_view yuan_text, int64_t limit_fen) {
  return {absl::StrCat(yuan_text, " yuan is above the limit of ", FormatFenAsYuan(limit_fen),
                       " yuan (10^12 yuan) for any one amount"),
          absl::StrCat(yuan_text, " 元超过单笔金额的上限 ", FormatFenAsYuan(limit_fen), " 元（一万亿元）")};
}

// True when `value` has at most two decimals (hundredths), the documented
// precision of areas, multimedia rooms and yuan. Tolerates the binary
// representation error of a decimal literal such as 0.1.
inline bool HasAtMostTwoDecimals(double value) {
  if (!std::isfinite(value)) return false;
  const double hundredths = value * 100;
  // The error of a decimal literal times 100 stays within a few units in the
  // last place: 1e-15 of the value (0.1 of a hundredth at 10^12 yuan).
  return std::fabs(hundredths - std::round(hundredths)) <= 1e-6 + std::fabs(hundredths) * 1e-15;
}
// "12.345 has more than two decimals (m² are kept to hundredths)"; `unit`
// in Chinese names the quantity ("面积", "金额").
inline LocalizedText TooManyDecimals(double value, const LocalizedText& unit) {
  return {absl::StrCat(FormatNumber(value), " has more than two decimals (", unit.en, " are kept to hundredths)"),
          absl::StrCat(FormatNumber(value), " 超过两位小数（", unit.zh, "只保留到 0.01）")};
}

}  // namespace gzedu::bounds

#endif  // GZEDU_COMMON_DOMAIN_BOUND_MESSAGES_H_
