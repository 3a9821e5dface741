#ifndef GZEDU_COMMON_STATUS_TEXTS_H_
#define GZEDU_COMMON_STATUS_TEXTS_H_

// The descriptions of the violations that recur across the services, each in
// English and Chinese (LocalizedText), so a repeated shape is written once
// and worded the same everywhere. Chinese terms follow docs/indicators.md
// and the CLI: 学校标识码, 区代码, 学年, 学段, 在校生数, 班级数, 分 (fen), 元.

#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/status/localized_text.h"

namespace gzedu::texts {

// "must be >= 0".
inline LocalizedText MustBeNonNegative() { return {"must be >= 0", "不能为负数"}; }
// "must be > 0".
inline LocalizedText MustBePositive() { return {"must be > 0", "必须大于 0"}; }
// "must not be empty" (a required text or list).
inline LocalizedText MustNotBeEmpty() { return {"must not be empty", "不能为空"}; }
// "is required" (a required message or choice).
inline LocalizedText IsRequired() { return {"is required", "为必填项"}; }
// "must be a finite number".
inline LocalizedText MustBeFinite() { return {"must be a finite number", "必须是有限的数值"}; }
// "must be between LOW and HIGH" (inclusive).
inline LocalizedText MustBeBetween(int64_t low, int64_t high) {
  return {absl::StrCat("must be between ", low, " and ", high), absl::StrCat("必须在 ", low, " 到 ", high, " 之间")};
}
// "must hold 1 to MAX schools": a batch's size; `noun` names what it holds,
// its Chinese with the measure word ("所学校", "条记录").
inline LocalizedText MustHoldOneTo(int64_t max, const LocalizedText& noun) {
  return {absl::StrCat("must hold 1 to ", max, " ", noun.en), absl::StrCat("必须包含 1 到 ", max, " ", noun.zh)};
}
// A write's request id (common/domain/text.h IsValidRequestId).
inline LocalizedText InvalidRequestId() {
  return {"must be 1 to 128 printable ASCII characters without spaces", "必须是 1 到 128 个可打印的半角字符，不含空格"};
}
// A page token this service did not issue.
inline LocalizedText InvalidPageToken() { return {"is not a token this service issued", "不是本服务签发的分页令牌"}; }
// A 10-digit national school identifier (学校标识码).
inline LocalizedText InvalidSchoolCode() {
  return {"must be a 10-digit school identifier", "必须是 10 位数字的学校标识码"};
}
// One of Guangzhou's 11 district codes.
inline LocalizedText NotAGuangzhouDistrict() {
  return {"must be one of the 11 Guangzhou district codes (440103 ... 440118)",
          "必须是广州市 11 个区的区代码之一（440103 … 440118）"};
}
// The same, naming the code given.
inline LocalizedText NotAGuangzhouDistrict(absl::string_view code) {
  return {absl::StrCat("'", code, "' is not one of Guangzhou's 11 district codes (440103 ... 440118)"),
          absl::StrCat("“", code, "”不是广州市 11 个区的区代码之一（440103 … 440118）")};
}
// A school year (学年), named by the calendar year it starts in.
inline LocalizedText InvalidSchoolYear(int64_t low, int64_t high) {
  return {absl::StrCat("must be between ", low, " and ", high, " (the calendar year the school year starts in)"),
          absl::StrCat("必须在 ", low, " 到 ", high, " 之间（学年开始的公历年份）")};
}
// A stage (学段).
inline LocalizedText InvalidStage() {
  return {"must be STAGE_PRIMARY or STAGE_JUNIOR", "必须是小学（STAGE_PRIMARY）或初中（STAGE_JUNIOR）"};
}
// A calendar date.
inline LocalizedText InvalidDate() {
  return {"must be a date YYYY-MM-DD", "必须是日期，写作 年-月-日（如 2024-09-01）"};
}
// The page size of a List call.
inline LocalizedText InvalidPageSize(int64_t default_size, int64_t max) {
  return {absl::StrCat("must be between 0 (default ", default_size, ") and ", max),
          absl::StrCat("必须在 0（默认 ", default_size, "）到 ", max, " 之间")};
}
// A report language.
inline LocalizedText InvalidReportLanguage() {
  return {"must be REPORT_LANGUAGE_ZH, REPORT_LANGUAGE_EN or unspecified",
          "必须是 REPORT_LANGUAGE_ZH、REPORT_LANGUAGE_EN 或不填"};
}

// The headline of a refused request: "invalid UpsertSchools request",
// "写入学校的请求有误"; `request_zh` names the request in Chinese.
inline LocalizedText InvalidRequest(absl::string_view rpc, absl::string_view request_zh) {
  return {absl::StrCat("invalid ", rpc, " request"), absl::StrCat(request_zh, "的请求有误")};
}
// The headline of a request touching districts outside the caller's scope.
inline LocalizedText OutsideScope(absl::string_view rpc, absl::string_view request_zh) {
  return {absl::StrCat(rpc, " outside the caller's scope"), absl::StrCat(request_zh, "超出调用方的权限范围")};
}

}  // namespace gzedu::texts

#endif  // GZEDU_COMMON_STATUS_TEXTS_H_
