// StatusText and GrpcStatusText: the one way a status is written for people
// (issue 16: "INVALID_ARGUMENT: : ..." printed the message twice).
#include <gtest/gtest.h>

#include "common/grpc/status_conversion.h"
#include "common/status/field_violations.h"
#include "common/status/status_text.h"

namespace gzedu {
namespace {

TEST(StatusTextTest, IsTheCodeNameThenTheMessage) {
  EXPECT_EQ(StatusText(absl::NotFoundError("school 2144011401 not found")), "NOT_FOUND: school 2144011401 not found");
  EXPECT_EQ(StatusText(absl::UnavailableError("")), "UNAVAILABLE");
  EXPECT_EQ(StatusText(absl::OkStatus()), "OK");
  // gRPC's own cancellation says its code's name as its message: once.
  EXPECT_EQ(GrpcStatusText(grpc::Status(grpc::StatusCode::CANCELLED, "CANCELLED")), "CANCELLED");
}

TEST(StatusTextTest, ListsEachViolationOnceOnALineOfItsOwn) {
  const absl::Status status = InvalidArgumentWithViolations(
      {"2 rows refused", "2 行被拒"}, {{"schools[0].district_code", "999999 is not a district", "999999 不是区代码"},
                                       {"schools[1].name", "empty", "为空"}});
  const std::string text = StatusText(status);
  EXPECT_EQ(text,
            "INVALID_ARGUMENT: 2 rows refused\n"
            "  schools[0].district_code: 999999 is not a district\n"
            "  schools[1].name: empty");
  // The payload's separators never reach the text, as absl's ToString
  // would print them.
  EXPECT_EQ(text.find('\x1f'), std::string::npos);
  EXPECT_EQ(text.find("type.gzedu"), std::string::npos);
}

TEST(StatusTextTest, WritesAReceivedGrpcStatusTheSameWayWithItsMessageOnce) {
  const absl::Status status =
      StatusWithViolations(absl::StatusCode::kPermissionDenied, {"outside your districts", "超出你的区"},
                           {{"accounts[2].district_code", "440103 is not yours", "440103 不属于你"}});
  const grpc::Status received = ToGrpcStatus(status);
  const std::string text = GrpcStatusText(received);
  EXPECT_EQ(text, "PERMISSION_DENIED: outside your districts\n  accounts[2].district_code: 440103 is not yours");
  EXPECT_EQ(text, StatusText(status));
  // Without details, the message is kept whole.
  EXPECT_EQ(GrpcStatusText(grpc::Status(received.error_code(), received.error_message())),
            "PERMISSION_DENIED: " + received.error_message());
  EXPECT_EQ(GrpcStatusText(grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "Deadline Exceeded")),
            "DEADLINE_EXCEEDED: Deadline Exceeded");
}

TEST(StatusTextTest, WritesTheHeadlineAndEachViolationInChineseWhenAsked) {
  const absl::Status status = InvalidArgumentWithViolations(
      {"2 rows refused", "2 行被拒"}, {{"schools[0].district_code", "999999 is not a district", "999999 不是区代码"},
                                       {"schools[1].name", "empty", "为空"}});
  const std::string expected =
      "INVALID_ARGUMENT: 2 行被拒\n"
      "  schools[0].district_code: 999999 不是区代码\n"
      "  schools[1].name: 为空";
  EXPECT_EQ(StatusText(status, StatusLanguage::kChinese), expected);
  // The same through the wire.
  EXPECT_EQ(GrpcStatusText(ToGrpcStatus(status), StatusLanguage::kChinese), expected);
  // A server that sent no Chinese is written in English.
  const grpc::Status received = ToGrpcStatus(status);
  EXPECT_EQ(GrpcStatusText(grpc::Status(received.error_code(), received.error_message()), StatusLanguage::kChinese),
            "INVALID_ARGUMENT: " + received.error_message());
}

TEST(StatusTextTest, AReceivedStatusWithoutAPrefixKeepsItsMessageAlone) {
  const grpc::Status received(grpc::StatusCode::NOT_FOUND, "no account nope");
  EXPECT_EQ(FromGrpcStatus(received, "").message(), "no account nope");
  EXPECT_EQ(FromGrpcStatus(received, "ledger GetAccount").message(), "ledger GetAccount: no account nope");
  // The Chinese headline passes on without the prefix.
  const grpc::Status localized =
      ToGrpcStatus(LocalizedError(absl::StatusCode::kNotFound, {"no account nope", "账户 nope 不存在"}));
  EXPECT_EQ(ChineseMessage(FromGrpcStatus(localized, "ledger GetAccount")), "账户 nope 不存在");
}

}  // namespace
}  // namespace gzedu
