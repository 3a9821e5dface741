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
  std::string DescribeInChinese() const { return whole_city ? "全市" : absl::StrJoin(districts, "、"); }

  // For a read of `district_code` (empty: every district): OK when the
  // caller may read it; PERMISSION_DENIED naming `field` otherwise. A caller
  // scoped to some districts must name one of them.
  absl::Status CheckRead(const std::string& district_code, const std::string& field) const {
    if (whole_city) return absl::OkStatus();
    FieldViolations outside;
    if (district_code.empty()) {
      outside.Add(field, "a caller scoped to " + Describe() + " must name one of its districts",
                  "调用方的权限范围为 " + DescribeInChinese() + "，必须指明其中一个区");
    } else {
      Check(district_code, field, {"the data asked for", "所查询的数据"}, outside);
    }
    return outside.ToPermissionDenied({"read outside the caller's scope", "读取超出调用方的权限范围"});
  }

  // Adds a violation at `field` unless `district_code` is in scope; `what`
  // names the row in both languages ("school 4401030001", "学校 4401030001").
  void Check(const std::string& district_code, const std::string& field, const LocalizedText& what,
             FieldViolations& violations) const {
    if (Allows(district_code)) return;
    violations.Add(field,
                   what.en + " is in district " + district_code + ", outside the caller's scope (" + Describe() + ")",
                   what.zh + " 属于区 " + district_code + "，超出调用方的权限范围（" + DescribeInChinese() + "）");
  }
};

}  // namespace gzedu

#endif  // GZEDU_COMMON_DOMAIN_ACCESS_H_
