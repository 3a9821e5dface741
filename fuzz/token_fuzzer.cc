// Fuzzes the bearer-token parser (VerifyToken) two ways:
//  - the input as a whole token: anything not signed with the key must be
//    refused (UNAUTHENTICATED), never accepted, never a crash;
//  - the input split into a header and a payload, base64url-encoded and
//    correctly signed with the key, so the claim parsing behind the signature
//    check is reached: whatever it accepts must be a sane principal (a known
//    role, a scope, an unexpired token) that re-issues to a token verifying
//    to the same principal.
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "common/auth/token.h"

namespace {

const std::string kKey = "fuzzing-key-of-at-least-32-bytes-long!";
constexpr int64_t kNow = 1764000000;  // 2025-11-24

std::string Base64Url(const std::string& bytes) {
  static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const uint32_t n = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8) | uint8_t(bytes[i + 2]);
    for (int shift : {18, 12, 6, 0}) out.push_back(kAlphabet[(n >> shift) & 63]);
  }
  if (i + 1 == bytes.size()) {
    const uint32_t n = uint8_t(bytes[i]) << 16;
    for (int shift : {18, 12}) out.push_back(kAlphabet[(n >> shift) & 63]);
  } else if (i + 2 == bytes.size()) {
    const uint32_t n = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8);
    for (int shift : {18, 12, 6}) out.push_back(kAlphabet[(n >> shift) & 63]);
  }
  return out;
}

std::string Sign(const std::string& signing_input) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), kKey.data(), static_cast<int>(kKey.size()),
       reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size(), mac, &length);
  return Base64Url(std::string(reinterpret_cast<const char*>(mac), length));
}

void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);

  // 1. As a token: it carries no valid signature by this key unless the
  // fuzzer forged HMAC-SHA256, so it is refused.
  absl::StatusOr<gzedu::Principal> whole = gzedu::VerifyToken(kKey, input, kNow);
  Check(!whole.ok() && whole.status().code() == absl::StatusCode::kUnauthenticated);

  // 2. As header and payload of a correctly signed token.
  const size_t split = input.find('\n');
  const std::string header = split == std::string::npos ? R"({"alg":"HS256","typ":"JWT"})" : input.substr(0, split);
  const std::string payload = split == std::string::npos ? input : input.substr(split + 1);
  const std::string signing_input = Base64Url(header) + "." + Base64Url(payload);
  const std::string token = signing_input + "." + Sign(signing_input);
  absl::StatusOr<gzedu::Principal> principal = gzedu::VerifyToken(kKey, token, kNow);
  if (!principal.ok()) {
    Check(principal.status().code() == absl::StatusCode::kUnauthenticated);
    return 0;
  }
  Check(!principal->subject.empty());
  Check(principal->whole_city || !principal->district_codes.empty());
  Check(principal->expires_at_unix_s > kNow);
  gzedu::Role role;
  Check(gzedu::ParseRole(gzedu::RoleName(principal->role), &role) && role == principal->role);
  absl::StatusOr<std::string> again = gzedu::IssueToken(kKey, *principal);
  Check(again.ok());
  absl::StatusOr<gzedu::Principal> round_trip = gzedu::VerifyToken(kKey, *again, kNow);
  Check(round_trip.ok() && round_trip->subject == principal->subject && round_trip->role == principal->role &&
        round_trip->whole_city == principal->whole_city && round_trip->district_codes == principal->district_codes);
  return 0;
}
