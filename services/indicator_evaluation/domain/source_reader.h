#ifndef GZEDU_SERVICES_INDICATOR_EVALUATION_DOMAIN_SOURCE_READER_H_
#define GZEDU_SERVICES_INDICATOR_EVALUATION_DOMAIN_SOURCE_READER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/indicator_evaluation/domain/evaluation_repository.h"
#include "services/indicator_evaluation/engine/model.h"

namespace gzedu::indicators {

// What the three source services hold about one district-year, as engine
// input: schools with their sections (students, classes, facilities),
// teacher counts per section, funding per school, and the facts the
// sources compute (G11 rotation counts, the payroll average pay).
struct SourceData {
  engine::DistrictInput input;
  // The sources' latest change versions, read before the data (so the data
  // is at least as new as the versions; returns_version is left 0).
  InputVersions versions;
};

// A district (and, when the change says, a school year) that a source
// change touched.
struct SourceChange {
  std::string district_code;
  int32_t school_year = 0;  // 0: every year of the district may be affected
  int64_t change_version = 0;
};

// The evaluation service's port to the registry, rotation and ledger
// services. Thread-safe. Every call may return Unavailable (a source is
// down after retries) or DeadlineExceeded.
class SourceReader {
 public:
  virtual ~SourceReader() = default;
  // The sources' latest change versions (returns_version left 0).
  virtual absl::StatusOr<InputVersions> LatestVersions() = 0;
  // Everything the sources hold about `district_code` in `school_year`.
  virtual absl::StatusOr<SourceData> ReadDistrict(const std::string& district_code, int32_t school_year) = 0;
  // The changes of `source` ("registry", "rotation", "ledger") after
  // `since_version`, at most `limit`; `latest_version` is the source's
  // latest.
  virtual absl::StatusOr<std::vector<SourceChange>> ChangesSince(const std::string& source, int64_t since_version,
                                                                 int32_t limit, int64_t* latest_version) = 0;
};

}  // namespace gzedu::indicators

#endif  // GZEDU_SERVICES_INDICATOR_EVALUATION_DOMAIN_SOURCE_READER_H_
