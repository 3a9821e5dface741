// Bearer tokens: issued tokens verify to their principal; tampered,
// expired, wrongly signed, unsigned or malformed ones are refused.
#include <gtest/gtest.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <fstream>

#include "absl/strings/escaping.h"
#include "common/auth/token.h"
#include "tests/support/subprocess.h"
#include "tools/gzedu/token_command.h"

namespace gzedu {
namespace {

const std::string kKey = "0123456789abcdef0123456789abcdef-signing-key";
constexpr int64_t kNow = 1780000000;

Principal HuaduWriter() {
  Principal p;
  p.subject = "huadu-district-system";
  p.role = Role::kDistrictWriter;
  p.district_codes = {"440114"};
  p.issued_at_unix_s = kNow;
  p.expires_at_unix_s = kNow + 3600;
  return p;
}

TEST(TokenTest, AnIssuedTokenVerifiesToItsPrincipal) {
  absl::StatusOr<std::string> token = IssueToken(kKey, HuaduWriter());
  ASSERT_TRUE(token.ok()) << token.status();
  absl::StatusOr<Principal> p = VerifyToken(kKey, *token, kNow + 10);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->subject, "huadu-district-system");
  EXPECT_EQ(p->role, Role::kDistrictWriter);
  EXPECT_EQ(p->district_codes, (std::set<std::string>{"440114"}));
  EXPECT_FALSE(p->whole_city);
  EXPECT_EQ(p->expires_at_unix_s, kNow + 3600);
}

TEST(TokenTest, TheWholeCityIsAScopeOfItsOwn) {
  Principal admin = HuaduWriter();
  admin.role = Role::kAdmin;
  admin.district_codes.clear();
  admin.whole_city = true;
  absl::StatusOr<Principal> p = VerifyToken(kKey, *IssueToken(kKey, admin), kNow);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_TRUE(p->whole_city);
  EXPECT_EQ(p->role, Role::kAdmin);
}

TEST(TokenTest, ExpiredTamperedAndForeignTokensAreRefused) {
  const std::string token = *IssueToken(kKey, HuaduWriter());
  EXPECT_EQ(VerifyToken(kKey, token, kNow + 3600).status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(VerifyToken("another key of enough length......", token, kNow).status().code(),
            absl::StatusCode::kUnauthenticated);
  // A Huadu writer rewriting its scope to Liwan breaks the signature.
  const size_t first = token.find('.');
  const size_t second = token.find('.', first + 1);
  std::string claims;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(token.substr(first + 1, second - first - 1), &claims));
  const size_t at = claims.find("440114");
  ASSERT_NE(at, std::string::npos);
  claims.replace(at, 6, "440103");
  std::string forged_claims;
  absl::WebSafeBase64Escape(claims, &forged_claims);
  const std::string forged = token.substr(0, first + 1) + forged_claims + token.substr(second);
  absl::StatusOr<Principal> refused = VerifyToken(kKey, forged, kNow);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_NE(refused.status().message().find("signature"), absl::string_view::npos);
  // Unsigned ("alg": "none") and malformed tokens.
  std::string none_header;
  absl::WebSafeBase64Escape(R"({"alg":"none","typ":"JWT"})", &none_header);
  EXPECT_FALSE(VerifyToken(kKey, none_header + token.substr(first, second - first) + ".", kNow).ok());
  for (const std::string& bad : {std::string(), std::string("a.b"), std::string("a.b.c.d"), std::string("!!.??.**")}) {
    EXPECT_EQ(VerifyToken(kKey, bad, kNow).status().code(), absl::StatusCode::kUnauthenticated) << bad;
  }
}

// A token with these header and claims texts, correctly signed with kKey.
std::string SignedToken(const std::string& header, const std::string& claims) {
  std::string h, c;
  absl::WebSafeBase64Escape(header, &h);
  absl::WebSafeBase64Escape(claims, &c);
  const std::string input = h + "." + c;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), kKey.data(), static_cast<int>(kKey.size()), reinterpret_cast<const unsigned char*>(input.data()),
       input.size(), mac, &length);
  std::string signature;
  absl::WebSafeBase64Escape(std::string(reinterpret_cast<const char*>(mac), length), &signature);
  return input + "." + signature;
}

// Found by fuzz/token_fuzzer: correctly signed claims that IssueToken would
// never have made are refused, and wrongly typed fields are refusals, not
// exceptions.
TEST(TokenTest, SignedButImpossibleOrMistypedClaimsAreRefused) {
  const std::string header = R"({"alg":"HS256","typ":"JWT"})";
  ASSERT_TRUE(VerifyToken(kKey,
                          SignedToken(header, R"({"sub":"s","role":"reader","districts":"*","iat":1780000000,)"
                                              R"("exp":1780003600})"),
                          kNow)
                  .ok());
  const std::vector<std::pair<std::string, std::string>> refused = {
      {header, R"({"sub":"s","role":"reader","districts":"*","iat":3528000000,"exp":1780003600})"},  // future
      {header, R"({"sub":"s","role":"reader","districts":"*","iat":1780003700,"exp":1780003600})"},  // exp < iat
      {header, R"({"sub":"s","role":"reader","districts":"*","iat":"yesterday","exp":1780003600})"},
      {header, R"({"sub":"s","role":"reader","districts":"*","exp":"tomorrow"})"},
      {header, R"({"sub":7,"role":"reader","districts":"*","exp":1780003600})"},
      {header, R"({"sub":"s","role":["admin"],"districts":"*","exp":1780003600})"},
      {header, R"({"sub":"s","role":"reader","districts":[7],"exp":1780003600})"},
      {R"({"alg":7})", R"({"sub":"s","role":"reader","districts":"*","exp":1780003600})"},
      {R"(["HS256"])", R"({"sub":"s","role":"reader","districts":"*","exp":1780003600})"},
  };
  for (const auto& [h, claims] : refused) {
    absl::StatusOr<Principal> p = VerifyToken(kKey, SignedToken(h, claims), kNow);
    EXPECT_EQ(p.status().code(), absl::StatusCode::kUnauthenticated) << h << " " << claims;
  }
}

// "nbf": a token meant for later is refused until then, with no leeway, and
// a mistyped one is refused; IssueToken writes it when given.
TEST(TokenTest, ATokenIsRefusedBeforeItsNotBeforeTime) {
  const std::string header = R"({"alg":"HS256","typ":"JWT"})";
  const std::string future = SignedToken(
      header, R"({"sub":"s","role":"reader","districts":"*","iat":1780000000,"nbf":1780000001,"exp":1780003600})");
  absl::StatusOr<Principal> refused = VerifyToken(kKey, future, kNow);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_NE(refused.status().message().find("not valid yet"), absl::string_view::npos) << refused.status();
  absl::StatusOr<Principal> accepted = VerifyToken(kKey, future, kNow + 1);
  ASSERT_TRUE(accepted.ok()) << accepted.status();
  EXPECT_EQ(accepted->not_before_unix_s, kNow + 1);
  EXPECT_FALSE(VerifyToken(kKey,
                           SignedToken(header, R"({"sub":"s","role":"reader","districts":"*","nbf":"soon",)"
                                               R"("exp":1780003600})"),
                           kNow)
                   .ok());

  Principal later = HuaduWriter();
  later.not_before_unix_s = kNow + 600;
  const std::string issued = *IssueToken(kKey, later);
  EXPECT_FALSE(VerifyToken(kKey, issued, kNow + 599).ok());
  EXPECT_TRUE(VerifyToken(kKey, issued, kNow + 600).ok());
  later.not_before_unix_s = later.expires_at_unix_s;
  EXPECT_EQ(IssueToken(kKey, later).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(TokenTest, IssuingChecksTheClaims) {
  Principal p = HuaduWriter();
  p.district_codes = {"440199"};
  EXPECT_EQ(IssueToken(kKey, p).status().code(), absl::StatusCode::kInvalidArgument);
  p = HuaduWriter();
  p.expires_at_unix_s = p.issued_at_unix_s;
  EXPECT_EQ(IssueToken(kKey, p).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(IssueToken("", HuaduWriter()).status().code(), absl::StatusCode::kInvalidArgument);
  int64_t seconds = 0;
  EXPECT_TRUE(cli::ParseDuration("90m", &seconds));
  EXPECT_EQ(seconds, 5400);
  EXPECT_FALSE(cli::ParseDuration("1y", &seconds));
  EXPECT_FALSE(cli::ParseDuration("-1h", &seconds));
}

// The one key-file reader of servers and CLI: a key file written by
// `openssl rand -base64 48 > key` ends in a newline that is not part of the
// key, whichever program reads it.
TEST(SigningKeyFileTest, TrailingLineEndsAreNotPartOfTheKey) {
  gzedu::testing::TempDir dir;
  for (const std::string& ending : {std::string(), std::string("\n"), std::string("\r\n"), std::string("\n\n")}) {
    const std::string path = dir.path() + "/key";
    std::ofstream(path, std::ios::binary | std::ios::trunc) << kKey << ending;
    absl::StatusOr<std::string> key = ReadSigningKeyFile(path);
    ASSERT_TRUE(key.ok()) << key.status();
    EXPECT_EQ(*key, kKey) << "ending of " << ending.size() << " bytes";
  }
}

TEST(SigningKeyFileTest, AShortKeyOrAnUnreadableFileIsRefusedNamingTheFile) {
  gzedu::testing::TempDir dir;
  const std::string short_key = dir.path() + "/short.key";
  // 31 bytes, and a newline that does not count.
  std::ofstream(short_key, std::ios::binary) << std::string(31, 'k') << "\n";
  absl::StatusOr<std::string> key = ReadSigningKeyFile(short_key);
  EXPECT_EQ(key.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(key.status().message().find(short_key + " holds 31 bytes"), std::string::npos) << key.status();
  key = ReadSigningKeyFile(dir.path() + "/missing.key");
  EXPECT_EQ(key.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(key.status().message().find("cannot read " + dir.path() + "/missing.key"), std::string::npos)
      << key.status();
}

}  // namespace
}  // namespace gzedu
