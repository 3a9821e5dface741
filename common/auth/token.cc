#include "common/auth/token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/domain/districts.h"
#include "common/status/localized_text.h"

namespace gzedu {
namespace {

constexpr int64_t kAllowedClockSkewSeconds = 300;

using nlohmann::json;

std::string Sign(const std::string& key, const std::string& signing_input) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size(), digest, &length);
  return std::string(reinterpret_cast<const char*>(digest), length);
}

std::string Encode(const std::string& bytes) {
  std::string out;
  absl::WebSafeBase64Escape(bytes, &out);  // base64url without padding
  return out;
}

absl::Status Refused(absl::string_view why, absl::string_view why_zh) {
  return LocalizedError(absl::StatusCode::kUnauthenticated,
                        {absl::StrCat("token refused: ", why), absl::StrCat("令牌被拒：", why_zh)});
}

}  // namespace

std::string RoleName(Role role) {
  switch (role) {
    case Role::kDistrictWriter:
      return "district-writer";
    case Role::kReader:
      return "reader";
    case Role::kAdmin:
      return "admin";
  }
  return "";
}

bool ParseRole(const std::string& name, Role* role) {
  for (Role r : {Role::kDistrictWriter, Role::kReader, Role::kAdmin}) {
    if (RoleName(r) == name) {
      *role = r;
      return true;
    }
  }
  return false;
}

absl::StatusOr<std::string> ReadSigningKeyFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  if (in) text << in.rdbuf();
  if (!in || in.bad()) return absl::InvalidArgumentError(absl::StrCat("cannot read ", path));
  std::string key(absl::StripTrailingAsciiWhitespace(text.str()));
  if (key.size() < kMinimumSigningKeyBytes) {
    return absl::InvalidArgumentError(absl::StrCat(path, " holds ", key.size(), " bytes; a signing key needs at least ",
                                                   kMinimumSigningKeyBytes,
                                                   " (make one with `openssl rand -base64 48 > FILE`)"));
  }
  return key;
}

absl::StatusOr<std::string> IssueToken(const std::string& key, const Principal& p) {
  if (key.empty()) return absl::InvalidArgumentError("the signing key is empty");
  if (p.subject.empty()) return absl::InvalidArgumentError("the subject is empty");
  if (p.expires_at_unix_s <= p.issued_at_unix_s) return absl::InvalidArgumentError("the token would expire at once");
  if (p.not_before_unix_s != 0 && p.not_before_unix_s >= p.expires_at_unix_s) {
    return absl::InvalidArgumentError("the token would expire before it becomes valid");
  }
  if (!p.whole_city && p.district_codes.empty()) {
    return absl::InvalidArgumentError("name the districts, or give the whole city");
  }
  for (const std::string& code : p.district_codes) {
    if (FindDistrict(code) == nullptr) return absl::InvalidArgumentError(absl::StrCat("unknown district ", code));
  }
  const json header = {{"alg", "HS256"}, {"typ", "JWT"}};
  json claims = {
      {"sub", p.subject}, {"role", RoleName(p.role)}, {"iat", p.issued_at_unix_s}, {"exp", p.expires_at_unix_s}};
  if (p.not_before_unix_s != 0) claims["nbf"] = p.not_before_unix_s;
  if (p.whole_city) {
    claims["districts"] = "*";
  } else {
    claims["districts"] = std::vector<std::string>(p.district_codes.begin(), p.district_codes.end());
  }
  const std::string signing_input = absl::StrCat(Encode(header.dump()), ".", Encode(claims.dump()));
  return absl::StrCat(signing_input, ".", Encode(Sign(key, signing_input)));
}

absl::StatusOr<Principal> VerifyToken(const std::string& key, const std::string& token, int64_t now_unix_s) {
  const std::vector<std::string> parts = absl::StrSplit(token, '.');
  if (parts.size() != 3)
    return Refused("not a JSON Web Token (three dot-separated parts)", "不是 JWT 令牌（应为以点分隔的三段）");
  std::string header_text, claims_text, signature;
  if (!absl::WebSafeBase64Unescape(parts[0], &header_text) || !absl::WebSafeBase64Unescape(parts[1], &claims_text) ||
      !absl::WebSafeBase64Unescape(parts[2], &signature)) {
    return Refused("not base64url", "不是 base64url 编码");
  }
  // The signature first: nothing of an unsigned token is believed.
  const std::string expected = Sign(key, absl::StrCat(parts[0], ".", parts[1]));
  if (key.empty() || signature.size() != expected.size() ||
      CRYPTO_memcmp(signature.data(), expected.data(), expected.size()) != 0) {
    return Refused("bad signature", "签名无效");
  }
  const json header = json::parse(header_text, nullptr, /*allow_exceptions=*/false);
  // Types are checked before values are read: nlohmann's value() throws on a
  // type mismatch (the token fuzzer's first find).
  if (!header.is_object() || !header.contains("alg") || !header["alg"].is_string() ||
      header["alg"].get<std::string>() != "HS256") {
    return Refused("algorithm is not HS256", "签名算法不是 HS256");
  }
  const json claims = json::parse(claims_text, nullptr, /*allow_exceptions=*/false);
  if (!claims.is_object()) return Refused("claims are not a JSON object", "声明不是 JSON 对象");
  Principal p;
  if (!claims.contains("sub") || !claims["sub"].is_string() || claims["sub"].get<std::string>().empty()) {
    return Refused("no subject", "没有持有人");
  }
  p.subject = claims["sub"].get<std::string>();
  if (!claims.contains("role") || !claims["role"].is_string() ||
      !ParseRole(claims["role"].get<std::string>(), &p.role)) {
    return Refused("unknown role", "角色未知");
  }
  if (!claims.contains("exp") || !claims["exp"].is_number_integer()) return Refused("no expiry", "没有有效期");
  p.expires_at_unix_s = claims["exp"].get<int64_t>();
  if (claims.contains("iat")) {
    if (!claims["iat"].is_number_integer()) return Refused("issue time is not a number of seconds", "签发时间不是秒数");
    p.issued_at_unix_s = claims["iat"].get<int64_t>();
  }
  if (now_unix_s >= p.expires_at_unix_s) return Refused("expired", "已过期");
  if (claims.contains("nbf")) {
    if (!claims["nbf"].is_number_integer()) return Refused("not-before is not a number of seconds", "生效时间不是秒数");
    p.not_before_unix_s = claims["nbf"].get<int64_t>();
    // Its issuer said when it starts to count; unlike "iat", no clock-skew
    // leeway: a token meant for later is not taken early.
    if (now_unix_s < p.not_before_unix_s)
      return Refused("not valid yet (nbf is in the future)", "尚未生效（生效时间在将来）");
  }
  // A token from the future (beyond a few minutes of clock skew), or one
  // expiring before it was issued, was not made by IssueToken.
  if (p.issued_at_unix_s > now_unix_s + kAllowedClockSkewSeconds)
    return Refused("issued in the future", "签发时间在将来");
  if (p.expires_at_unix_s <= p.issued_at_unix_s) return Refused("expires before it was issued", "过期时间早于签发时间");
  const json& districts = claims.contains("districts") ? claims["districts"] : json();
  if (districts.is_string() && districts.get<std::string>() == "*") {
    p.whole_city = true;
  } else if (districts.is_array() && !districts.empty()) {
    for (const json& d : districts) {
      if (!d.is_string() || FindDistrict(d.get<std::string>()) == nullptr)
        return Refused("unknown district in scope", "权限范围中有未知的区");
      p.district_codes.insert(d.get<std::string>());
    }
  } else {
    return Refused("no district scope", "没有区的权限范围");
  }
  return p;
}

}  // namespace gzedu
