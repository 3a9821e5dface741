#include "common/domain/fingerprint.h"

#include <openssl/sha.h>

#include <cstring>

namespace gzedu {

Fingerprint& Fingerprint::Add(absl::string_view text) {
  Add(static_cast<int64_t>(text.size()));
  bytes_.append(text.data(), text.size());
  return *this;
}

Fingerprint& Fingerprint::Add(int64_t value) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    bytes_.push_back(static_cast<char>((static_cast<uint64_t>(value) >> shift) & 0xFF));
  }
  return *this;
}

Fingerprint& Fingerprint::Add(double value) {
  // -0.0 and 0.0 are the same amount.
  if (value == 0.0) value = 0.0;
  uint64_t bits = 0;
  std::memcpy(&bits, &value, sizeof bits);
  return Add(static_cast<int64_t>(bits));
}

Fingerprint& Fingerprint::Add(bool value) {
  bytes_.push_back(value ? '\1' : '\0');
  return *this;
}

std::string Fingerprint::Hex() const {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes_.data()), bytes_.size(), digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * SHA256_DIGEST_LENGTH);
  for (unsigned char byte : digest) {
    hex.push_back(kHex[byte >> 4]);
    hex.push_back(kHex[byte & 0xF]);
  }
  return hex;
}

}  // namespace gzedu
