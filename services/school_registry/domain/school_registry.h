#ifndef GZEDU_SERVICES_SCHOOL_REGISTRY_DOMAIN_SCHOOL_REGISTRY_H_
#define GZEDU_SERVICES_SCHOOL_REGISTRY_DOMAIN_SCHOOL_REGISTRY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/domain/access.h"
#include "common/domain/events.h"
#include "services/school_registry/domain/school.h"
#include "services/school_registry/domain/school_repository.h"

namespace gzedu::registry {

struct SchoolPage {
  std::vector<School> schools;
  std::string next_page_token;  // empty on the last page
};

struct SchoolYearRecordPage {
  std::vector<SchoolYearRecord> records;
  std::string next_page_token;  // empty on the last page
};

// Where a ListSchools page starts and how long it is, from a valid request.
struct SchoolPageQuery {
  std::string district_code;  // empty: every district
  std::string after_code;     // empty: from the first school
  int32_t limit = 0;          // the page size asked for, 1 to kMaxPageSize
};

struct ChangePage {
  std::vector<Change> changes;
  int64_t latest_version = 0;
};

// The school registry's use cases: validation, idempotency by request id,
// atomic batches and the change feed, over a SchoolRepository. Holds no state
// of its own, so it is thread-safe when the repository is. Does not own the
// repository, which must outlive it.
//
// Errors: InvalidArgument (with every field violation attached, see
// GetFieldViolations) for a bad request, in which case nothing is written;
// AlreadyExists for a request id used before with other content; NotFound for
// a missing school; Unavailable and Internal from the repository.
class SchoolRegistry {
 public:
  explicit SchoolRegistry(SchoolRepository* repository) : repository_(repository) {}
  // Announces every committed write to `publisher` (not owned; may be
  // null). Set before serving.
  void set_event_publisher(EventPublisher* publisher) { publisher_ = publisher; }

  // Writes are checked against `scope` row by row (the district a school is
  // written to and, for a school already registered, the district it is in):
  // PERMISSION_DENIED naming every row outside it, and nothing written.
  absl::StatusOr<WriteSummary> UpsertSchools(const std::string& request_id, const std::vector<School>& schools,
                                             bool dry_run, const AccessScope& scope = AccessScope::WholeCity());
  absl::StatusOr<School> GetSchool(const std::string& school_code);
  absl::StatusOr<SchoolPage> ListSchools(const std::string& district_code, int32_t page_size,
                                         const std::string& page_token);
  absl::StatusOr<WriteSummary> DeleteSchool(const std::string& request_id, const std::string& school_code,
                                            const AccessScope& scope = AccessScope::WholeCity());

  // The parts of GetSchool and ListSchools that do not read the store, for
  // an adapter that answers from a copy it keeps exact (see
  // ObservedSchoolRepository), so both answers check and say the same.
  // InvalidArgument with every violation for a bad GetSchool request.
  static absl::Status CheckGetSchool(const std::string& school_code);
  // NotFound, as GetSchool says of a school that is not registered.
  static absl::Status SchoolNotFound(const std::string& school_code);
  // The page a valid ListSchools request asks for; InvalidArgument with
  // every violation otherwise.
  static absl::StatusOr<SchoolPageQuery> ParseListSchools(const std::string& district_code, int32_t page_size,
                                                          const std::string& page_token);
  // The next_page_token of a page whose last school is `last_school_code`.
  static std::string SchoolPageToken(const std::string& last_school_code);
  absl::StatusOr<WriteSummary> UpsertSchoolYearRecords(const std::string& request_id,
                                                       const std::vector<SchoolYearRecord>& records, bool dry_run,
                                                       const AccessScope& scope = AccessScope::WholeCity());
  absl::StatusOr<SchoolYearRecordPage> ListSchoolYearRecords(const std::string& district_code, int32_t school_year,
                                                             int32_t page_size, const std::string& page_token);
  absl::StatusOr<ChangePage> ListChanges(int64_t since_version, int32_t page_size);

 private:
  SchoolRepository* repository_;
  EventPublisher* publisher_ = nullptr;
};

}  // namespace gzedu::registry

#endif  // GZEDU_SERVICES_SCHOOL_REGISTRY_DOMAIN_SCHOOL_REGISTRY_H_
