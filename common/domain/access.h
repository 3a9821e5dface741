#ifndef GZEDU_COMMON_DOMAIN_ACCESS_H_
#define GZEDU_COMMON_DOMAIN_ACCESS_H_

#include <set>
#include <string>

#include "absl/strings/str_join.h"
#include "common/status/field_violations.h"

namespace gzedu {

// The districts a request may write, decided at the transport edge from the
// caller's principal (a district writer's districts, or the whole city for an
// administrator and when authentication is off). The domain checks every row
// of a batch against it, inside the write transaction, so a batch touching a
// district outside the scope is refused whole, naming the rows.
struct AccessScope {
  bool whole_city = true;
  std::set<std::string> districts;

  static AccessScope WholeCity() { return AccessScope{}; }
  static AccessScope Districts(std::set<std::string> codes) { return AccessScope{false, std::move(codes)}; }

  bool Allows(const std::string& district_code) const { return whole_city || districts.count(district_code) > 0; }
  std::string Describe() const { return whole_city ? "the whole city" : absl::StrJoin(districts, ", "); }

  // Adds a violation at `field` unless `district_code` is in scope.
  void Check(const std::string& district_code, const std::string& field, const std::string& what,
             FieldViolations& violations) const {
    if (Allows(district_code)) return;
    violations.Add(field,
                   what + " is in district " + district_code + ", outside the caller's scope (" + Describe() + ")");
  }
};

}  // namespace gzedu

#endif  // GZEDU_COMMON_DOMAIN_ACCESS_H_
