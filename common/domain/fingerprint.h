#ifndef GZEDU_COMMON_DOMAIN_FINGERPRINT_H_
#define GZEDU_COMMON_DOMAIN_FINGERPRINT_H_

#include <cstdint>
#include <string>
#include "absl/strings/string_view.h"

namespace gzedu {

// Builds a canonical byte string from typed fields and hashes it (SHA-256),
// so that two requests can be compared by content: the idempotency check
// needs "same request id, same content?" long after the first request's
// bytes are gone. Every value is written with its length or fixed width, so
// different field sequences never produce the same bytes. Not thread-safe.
class Fingerprint {
 public:
  Fingerprint& Add(absl::string_view text);
  Fingerprint& Add(int64_t value);
  Fingerprint& Add(double value);
  Fingerprint& Add(bool value);

  // The lowercase hex SHA-256 of everything added so far.
  std::string Hex() const;

 private:
  std::string bytes_;
};

}  // namespace gzedu

#endif  // GZEDU_COMMON_DOMAIN_FINGERPRINT_H_
