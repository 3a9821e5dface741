#ifndef GZEDU_SERVICES_SCHOOL_REGISTRY_DOMAIN_SCHOOL_REPOSITORY_H_
#define GZEDU_SERVICES_SCHOOL_REGISTRY_DOMAIN_SCHOOL_REPOSITORY_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/domain/requests.h"
#include "services/school_registry/domain/school.h"

namespace gzedu::registry {

using gzedu::RequestRecord;
using gzedu::WriteSummary;

// One write transaction of the registry's store. Everything put through it
// becomes visible to readers together at Commit(), or never: destroying it
// uncommitted rolls it all back. Transactions are serialised: while one is
// open, BeginWrite() on the same repository waits. Not thread-safe; one
// request owns one transaction.
//
// Every method returns Unavailable when the store cannot be reached (the
// caller may retry the whole request) and Internal for anything else.
class RegistryWriteTransaction : public RequestLog {
 public:
  // Hints, not reads: the schools and school-year records the caller is
  // about to look up, so a store that pays a round trip per statement can
  // read them at once and answer FindSchool and FindSchoolYearRecord from
  // memory. The defaults do nothing.
  virtual absl::Status PrefetchSchools(const std::vector<std::string>& school_codes) {
    (void)school_codes;
    return absl::OkStatus();
  }
  virtual absl::Status PrefetchSchoolYearRecords(const std::vector<SchoolYearKey>& keys) {
    (void)keys;
    return absl::OkStatus();
  }
  virtual absl::StatusOr<std::optional<School>> FindSchool(absl::string_view school_code) = 0;
  virtual absl::StatusOr<std::optional<SchoolYearRecord>> FindSchoolYearRecord(const SchoolYearKey& key) = 0;
  // The school years recorded for a school, ascending.
  virtual absl::StatusOr<std::vector<int32_t>> ListSchoolYears(absl::string_view school_code) = 0;

  // Appends `change` to the feed with the next change version, which it
  // returns; `change.change_version` is ignored. Versions start at 1 and
  // increase by one per change.
  virtual absl::StatusOr<int64_t> AppendChange(const Change& change) = 0;

  // Create or replace; the entity's change_version must already be set.
  virtual absl::Status PutSchool(const School& school) = 0;
  virtual absl::Status PutSchoolYearRecord(const SchoolYearRecord& record) = 0;
  // Remove; removing what is not there is not an error.
  virtual absl::Status DeleteSchool(absl::string_view school_code) = 0;
  virtual absl::Status DeleteSchoolYearRecord(const SchoolYearKey& key) = 0;

  // Makes every write durable and visible. On error nothing was written.
  virtual absl::Status Commit() = 0;
};

// Filters and position of a page of school-year records.
struct RecordQuery {
  std::string district_code;  // empty: every district
  int32_t school_year = 0;    // 0: every year
  std::optional<SchoolYearKey> after;
  int32_t limit = 100;
};

// The registry's store: schools, school-year records, the change feed and
// processed requests. Implementations are thread-safe. Reads see only
// committed writes. Every method returns Unavailable when the store cannot be
// reached and Internal for anything else.
class SchoolRepository {
 public:
  virtual ~SchoolRepository() = default;

  virtual absl::StatusOr<std::unique_ptr<RegistryWriteTransaction>> BeginWrite() = 0;

  virtual absl::StatusOr<std::optional<School>> GetSchool(absl::string_view school_code) = 0;
  // Schools in school_code order, after `after_code` (exclusive; empty for
  // the start), of `district_code` unless it is empty, at most `limit`.
  virtual absl::StatusOr<std::vector<School>> ListSchools(absl::string_view district_code, absl::string_view after_code,
                                                          int32_t limit) = 0;
  // Records in (school_code, school_year) order matching `query`.
  virtual absl::StatusOr<std::vector<SchoolYearRecord>> ListSchoolYearRecords(const RecordQuery& query) = 0;
  // Changes with a version above `since_version`, ascending, at most `limit`.
  virtual absl::StatusOr<std::vector<Change>> ListChanges(int64_t since_version, int32_t limit) = 0;
  // The newest committed change version; 0 when there is none.
  virtual absl::StatusOr<int64_t> LatestChangeVersion() = 0;
  // OkStatus when the store answers a trivial query.
  virtual absl::Status CheckHealth() = 0;
};

}  // namespace gzedu::registry

#endif  // GZEDU_SERVICES_SCHOOL_REGISTRY_DOMAIN_SCHOOL_REPOSITORY_H_
