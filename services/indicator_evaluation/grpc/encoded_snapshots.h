#ifndef GZEDU_SERVICES_INDICATOR_EVALUATION_GRPC_ENCODED_SNAPSHOTS_H_
#define GZEDU_SERVICES_INDICATOR_EVALUATION_GRPC_ENCODED_SNAPSHOTS_H_

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>

#include "gzedu/indicators/v1/indicators.pb.h"
#include "services/indicator_evaluation/domain/evaluation_repository.h"

namespace gzedu::indicators {

// The contract form of the snapshots served last, one per district-year,
// conventions and report language: a snapshot read again (dashboards poll
// the same few) is copied from its encoded form instead of being converted
// again. An entry is replaced as soon as a different snapshot of its
// district-year is served. Thread-safe.
class EncodedSnapshots {
 public:
  static constexpr size_t kMaxEntries = 4096;

  // Fills `out` with `snapshot` as ToProto(snapshot, language, out) would.
  void Encode(const Snapshot& snapshot, indicators::v1::ReportLanguage language,
              indicators::v1::DistrictEvaluation* out);

 private:
  using Key = std::tuple<std::string, int32_t, std::string, int>;
  struct Entry {
    InputVersions input_versions;
    int64_t version = 0;
    int64_t evaluated_at_unix_ms = 0;
    std::shared_ptr<const indicators::v1::DistrictEvaluation> encoded;
  };

  std::mutex mutex_;
  std::map<Key, Entry> entries_;
};

}  // namespace gzedu::indicators

#endif  // GZEDU_SERVICES_INDICATOR_EVALUATION_GRPC_ENCODED_SNAPSHOTS_H_
