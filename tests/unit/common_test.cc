#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>

#include "common/domain/districts.h"
#include "common/domain/fingerprint.h"
#include "common/domain/text.h"
#include "common/grpc/handler_pool.h"
#include "common/grpc/status_conversion.h"
#include "common/status/field_violations.h"
#include "common/status/status_text.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gzedu/common/v1/errors.pb.h"

namespace gzedu {
namespace {

TEST(FieldViolationsTest, OkWhenNothingWasAdded) {
  FieldViolations violations;
  EXPECT_TRUE(violations.ToStatus({"bad", "有误"}).ok());
}

TEST(FieldViolationsTest, CarriesEveryViolationInOrder) {
  FieldViolations violations;
  violations.Add("schools[0].school_code", "must be 10 digits", "必须是 10 位数字");
  violations.Add("schools[3].students", "must be >= 0: not -1", "不能为负数：-1");
  const absl::Status status = violations.ToStatus({"invalid request", "请求有误"});
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(GetFieldViolations(status), violations.list());
  EXPECT_EQ(GetFieldViolations(status)[1].description_zh, "不能为负数：-1");
  EXPECT_NE(std::string(status.message()).find("2 violations"), std::string::npos);
  EXPECT_EQ(ChineseMessage(status), "请求有误");
}

TEST(LocalizedErrorTest, KeepsTheEnglishMessageAndCarriesTheChinese) {
  const absl::Status status = LocalizedError(absl::StatusCode::kNotFound, {"no account a", "账户 a 不存在"});
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(status.message(), "no account a");
  EXPECT_EQ(ChineseMessage(status), "账户 a 不存在");
  EXPECT_EQ(ChineseMessage(absl::NotFoundError("no account a")), std::nullopt);
  // Logs stay English; people asking for Chinese get Chinese.
  EXPECT_EQ(StatusText(status), "NOT_FOUND: no account a");
  EXPECT_EQ(StatusText(status, StatusLanguage::kChinese), "NOT_FOUND: 账户 a 不存在");
}

TEST(FieldViolationsTest, PlainStatusHasNone) {
  EXPECT_TRUE(GetFieldViolations(absl::InvalidArgumentError("x")).empty());
}

TEST(ToGrpcStatusTest, KeepsCodeAndMessage) {
  const grpc::Status status = ToGrpcStatus(absl::NotFoundError("school 1 is not registered"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(status.error_message(), "school 1 is not registered");
  EXPECT_TRUE(status.error_details().empty());
}

TEST(ToGrpcStatusTest, SendsTheChineseMessageAsALocalizedMessage) {
  const grpc::Status status =
      ToGrpcStatus(LocalizedError(absl::StatusCode::kNotFound, {"school 1 is not registered", "学校 1 未登记"}));
  EXPECT_EQ(status.error_message(), "school 1 is not registered");
  google::rpc::Status rich;
  ASSERT_TRUE(rich.ParseFromString(status.error_details()));
  ASSERT_EQ(rich.details_size(), 1);
  google::rpc::LocalizedMessage localized;
  ASSERT_TRUE(rich.details(0).UnpackTo(&localized));
  EXPECT_EQ(localized.locale(), "zh-CN");
  EXPECT_EQ(localized.message(), "学校 1 未登记");
  EXPECT_EQ(ChineseMessageFromGrpcStatus(status), "学校 1 未登记");
  EXPECT_EQ(GrpcStatusText(status, StatusLanguage::kChinese), "NOT_FOUND: 学校 1 未登记");
  EXPECT_EQ(GrpcStatusText(status), "NOT_FOUND: school 1 is not registered");
}

TEST(ToGrpcStatusTest, AttachesBadRequestWithEveryViolation) {
  const std::vector<FieldViolation> violations = {
      {"records[1].school_year", "must be between 2000 and 2100", "必须在 2000 到 2100 之间"},
      {"request_id", "must be 1 to 128 characters", "必须是 1 到 128 个字符"}};
  const grpc::Status status = ToGrpcStatus(InvalidArgumentWithViolations({"invalid", "有误"}, violations));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  google::rpc::Status rich;
  ASSERT_TRUE(rich.ParseFromString(status.error_details()));
  EXPECT_EQ(rich.code(), static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
  // The BadRequest first, as clients that know only google.rpc read it; then
  // the Chinese violations and the Chinese headline.
  ASSERT_EQ(rich.details_size(), 3);
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(rich.details(0).UnpackTo(&bad_request));
  ASSERT_EQ(bad_request.field_violations_size(), 2);
  EXPECT_EQ(bad_request.field_violations(0).field(), "records[1].school_year");
  EXPECT_EQ(bad_request.field_violations(0).description(), "must be between 2000 and 2100");
  gzedu::common::v1::LocalizedFieldViolations chinese;
  ASSERT_TRUE(rich.details(1).UnpackTo(&chinese));
  EXPECT_EQ(chinese.locale(), "zh-CN");
  ASSERT_EQ(chinese.field_violations_size(), 2);
  EXPECT_EQ(chinese.field_violations(1).field(), "request_id");
  EXPECT_EQ(chinese.field_violations(1).description(), "必须是 1 到 128 个字符");
  google::rpc::LocalizedMessage headline;
  ASSERT_TRUE(rich.details(2).UnpackTo(&headline));
  EXPECT_EQ(headline.message(), "有误");
  EXPECT_EQ(FieldViolationsFromGrpcStatus(status), violations);
}

TEST(ToGrpcStatusTest, AChineseEntryForAnotherFieldIsNotPairedWithTheEnglishOne) {
  google::rpc::BadRequest bad_request;
  auto* english = bad_request.add_field_violations();
  english->set_field("a");
  english->set_description("bad");
  gzedu::common::v1::LocalizedFieldViolations chinese;
  chinese.set_locale("zh-CN");
  auto* other = chinese.add_field_violations();
  other->set_field("b");
  other->set_description("有误");
  google::rpc::Status rich;
  rich.set_code(3);
  rich.add_details()->PackFrom(bad_request);
  rich.add_details()->PackFrom(chinese);
  const std::vector<FieldViolation> read =
      FieldViolationsFromGrpcStatus(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "x", rich.SerializeAsString()));
  ASSERT_EQ(read.size(), 1u);
  EXPECT_EQ(read[0].description, "bad");
  EXPECT_EQ(read[0].description_zh, "");
  // Written in Chinese, an entry without Chinese stays English.
  EXPECT_EQ(StatusText(absl::StatusCode::kInvalidArgument, "x", read, StatusLanguage::kChinese),
            "INVALID_ARGUMENT: x\n  a: bad");
}

TEST(ToGrpcStatusTest, AListTooLongForTrailersEndsWithACountOfTheRest) {
  std::vector<FieldViolation> violations;
  for (int i = 0; i < 500; ++i) {
    violations.push_back({"schools[" + std::to_string(i) + "].district_code", "is not one of the 11 districts",
                          "不是广州市 11 个区的区代码之一"});
  }
  const grpc::Status status = ToGrpcStatus(InvalidArgumentWithViolations({"invalid", "有误"}, violations));
  EXPECT_LE(status.error_details().size(), kMaxErrorDetailsBytes);
  const std::vector<FieldViolation> listed = FieldViolationsFromGrpcStatus(status);
  ASSERT_GT(listed.size(), 10u);
  ASSERT_LT(listed.size(), 500u);
  EXPECT_EQ(listed.front(), violations.front());
  EXPECT_EQ(listed.back().field, kMoreViolationsField);
  EXPECT_NE(listed.back().description.find(std::to_string(500 - (listed.size() - 1)) + " more violations"),
            std::string::npos)
      << listed.back().description;
  EXPECT_NE(listed.back().description_zh.find("另有 " + std::to_string(500 - (listed.size() - 1)) + " 个问题未列出"),
            std::string::npos)
      << listed.back().description_zh;
}

TEST(ToGrpcStatusTest, OkIsOk) { EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok()); }

TEST(DistrictsTest, KnowsTheElevenDistrictsAndNothingElse) {
  EXPECT_EQ(kDistricts.size(), 11u);
  ASSERT_NE(FindDistrict("440114"), nullptr);
  EXPECT_EQ(FindDistrict("440114")->name_en, "Huadu");
  EXPECT_EQ(FindDistrict("440100"), nullptr);  // the city is not a district
  EXPECT_EQ(FindDistrict("440116"), nullptr);  // no such district
}

TEST(TextTest, IsDigitsChecksLengthAndCharacters) {
  EXPECT_TRUE(IsDigits("2144011401", 10));
  EXPECT_FALSE(IsDigits("214401140", 10));
  EXPECT_FALSE(IsDigits("21440114O1", 10));
  EXPECT_FALSE(IsDigits("", 10));
}

TEST(TextTest, CountsCodePointsOfValidUtf8) {
  EXPECT_EQ(Utf8PrintableLength("花都区第一小学"), 7u);
  EXPECT_EQ(Utf8PrintableLength("School 1"), 8u);
  EXPECT_EQ(Utf8PrintableLength(""), 0u);
}

TEST(TextTest, RejectsInvalidUtf8AndControlCharacters) {
  EXPECT_FALSE(Utf8PrintableLength("\xE8\x8A").has_value());      // truncated
  EXPECT_FALSE(Utf8PrintableLength("\xC0\xAF").has_value());      // overlong '/'
  EXPECT_FALSE(Utf8PrintableLength("\xED\xA0\x80").has_value());  // surrogate
  EXPECT_FALSE(Utf8PrintableLength("\xFF").has_value());
  EXPECT_FALSE(Utf8PrintableLength("a\nb").has_value());
}

TEST(TextTest, RequestIdsArePrintableAsciiWithoutSpaces) {
  EXPECT_TRUE(IsValidRequestId("import-1f2e-0"));
  EXPECT_FALSE(IsValidRequestId(""));
  EXPECT_FALSE(IsValidRequestId("has space"));
  EXPECT_FALSE(IsValidRequestId(std::string(129, 'a')));
  EXPECT_TRUE(IsValidRequestId(std::string(128, 'a')));
}

TEST(FingerprintTest, IsStableAndSensitiveToFieldBoundaries) {
  EXPECT_EQ(Fingerprint().Add(absl::string_view("ab")).Hex(), Fingerprint().Add(absl::string_view("ab")).Hex());
  EXPECT_NE(Fingerprint().Add(absl::string_view("ab")).Add(absl::string_view("c")).Hex(),
            Fingerprint().Add(absl::string_view("a")).Add(absl::string_view("bc")).Hex());
  EXPECT_NE(Fingerprint().Add(int64_t{1}).Hex(), Fingerprint().Add(int64_t{2}).Hex());
  EXPECT_EQ(Fingerprint().Add(0.0).Hex(), Fingerprint().Add(-0.0).Hex());
  EXPECT_EQ(Fingerprint().Hex().size(), 64u);
}

TEST(HandlerPoolTest, RunsWhatItQueuedRefusesBeyondItsQueueAndFinishesOnDestruction) {
  std::mutex mutex;
  std::condition_variable cv;
  bool release = false;
  bool started = false;
  std::atomic<int> ran{0};
  {
    HandlerPool pool(/*threads=*/1, /*max_queued=*/2);
    // The one thread is held by the first task, so the next two wait.
    ASSERT_TRUE(pool.Submit([&] {
      std::unique_lock<std::mutex> lock(mutex);
      started = true;
      cv.notify_all();
      cv.wait(lock, [&] { return release; });
      ++ran;
    }));
    {
      std::unique_lock<std::mutex> lock(mutex);
      cv.wait(lock, [&] { return started; });
    }
    EXPECT_TRUE(pool.Submit([&] { ++ran; }));
    EXPECT_TRUE(pool.Submit([&] { ++ran; }));
    EXPECT_FALSE(pool.Submit([&] { ran += 100; }));  // the queue is full: not run
    {
      std::lock_guard<std::mutex> lock(mutex);
      release = true;
    }
    cv.notify_all();
  }  // the destructor runs what was queued
  EXPECT_EQ(ran.load(), 3);
}

}  // namespace
}  // namespace gzedu
