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
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace gzedu {
namespace {

TEST(FieldViolationsTest, OkWhenNothingWasAdded) {
  FieldViolations violations;
  EXPECT_TRUE(violations.ToStatus("bad").ok());
}

TEST(FieldViolationsTest, CarriesEveryViolationInOrder) {
  FieldViolations violations;
  violations.Add("schools[0].school_code", "must be 10 digits");
  violations.Add("schools[3].students", "must be >= 0: not -1");
  const absl::Status status = violations.ToStatus("invalid request");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(GetFieldViolations(status), violations.list());
  EXPECT_NE(std::string(status.message()).find("2 violations"), std::string::npos);
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

TEST(ToGrpcStatusTest, AttachesBadRequestWithEveryViolation) {
  const std::vector<FieldViolation> violations = {{"records[1].school_year", "must be between 2000 and 2100"},
                                                  {"request_id", "must be 1 to 128 characters"}};
  const grpc::Status status = ToGrpcStatus(InvalidArgumentWithViolations("invalid", violations));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  google::rpc::Status rich;
  ASSERT_TRUE(rich.ParseFromString(status.error_details()));
  EXPECT_EQ(rich.code(), static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
  ASSERT_EQ(rich.details_size(), 1);
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(rich.details(0).UnpackTo(&bad_request));
  ASSERT_EQ(bad_request.field_violations_size(), 2);
  EXPECT_EQ(bad_request.field_violations(0).field(), "records[1].school_year");
  EXPECT_EQ(FieldViolationsFromGrpcStatus(status), violations);
}

TEST(ToGrpcStatusTest, AListTooLongForTrailersEndsWithACountOfTheRest) {
  std::vector<FieldViolation> violations;
  for (int i = 0; i < 500; ++i) {
    violations.push_back({"schools[" + std::to_string(i) + "].district_code", "is not one of the 11 districts"});
  }
  const grpc::Status status = ToGrpcStatus(InvalidArgumentWithViolations("invalid", violations));
  EXPECT_LE(status.error_details().size(), kMaxErrorDetailsBytes);
  const std::vector<FieldViolation> listed = FieldViolationsFromGrpcStatus(status);
  ASSERT_GT(listed.size(), 10u);
  ASSERT_LT(listed.size(), 500u);
  EXPECT_EQ(listed.front(), violations.front());
  EXPECT_EQ(listed.back().field, kMoreViolationsField);
  EXPECT_NE(listed.back().description.find(std::to_string(500 - (listed.size() - 1)) + " more violations"),
            std::string::npos)
      << listed.back().description;
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
