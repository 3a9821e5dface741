#ifndef GZEDU_SERVICES_INDICATOR_EVALUATION_GRPC_ENCODED_SNAPSHOTS_H_
#define GZEDU_SERVICES_INDICATOR_EVALUATION_GRPC_ENCODED_SNAPSHOTS_H_

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>

#include <grpcpp/support/slice.h>

#include "gzedu/indicators/v1/indicators.pb.h"
#include "services/indicator_evaluation/domain/evaluation_repository.h"

namespace gzedu::indicators {

// The wire form of the snapshots served last, one per district-year,
// conventions and report language, in both views: a snapshot read again
// (dashboards poll the same few) is sent as the bytes encoded the first
// time, neither converted nor serialized again. Both views are encoded
// together, from one conversion, the first time the snapshot is served in
// either, and held under the snapshot's identity (input versions, version,
// evaluation time): an entry is replaced as soon as a different snapshot of
// its district-year is served, so neither view outlives its snapshot.
// Thread-safe.
class EncodedSnapshots {
 public:
  static constexpr size_t kMaxEntries = 4096;

  // `snapshot` as ToProto(snapshot, language) would fill a
  // DistrictEvaluation, cut to `view` (BasicView for
  // EVALUATION_VIEW_BASIC; the whole message for FULL and UNSPECIFIED),
  // serialized as field 1 of a message (tag, length, message): the whole of
  // an EvaluateDistrictResponse, of a GetEvaluationResponse that is not
  // stale, and one evaluation of an EvaluateCityResponse (whose slices, one
  // per district, are sent one after the other). The slice shares the
  // memoised bytes (no copy). `view` must be a value of the enum.
  grpc::Slice EvaluationField(const Snapshot& snapshot, v1::ReportLanguage language, v1::EvaluationView view);

 private:
  using Key = std::tuple<std::string, int32_t, std::string, int>;
  struct Entry {
    InputVersions input_versions;
    int64_t version = 0;
    int64_t evaluated_at_unix_ms = 0;
    grpc::Slice full;
    grpc::Slice basic;
  };

  std::mutex mutex_;
  std::map<Key, Entry> entries_;
};

}  // namespace gzedu::indicators

#endif  // GZEDU_SERVICES_INDICATOR_EVALUATION_GRPC_ENCODED_SNAPSHOTS_H_
