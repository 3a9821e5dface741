#ifndef GZEDU_SERVICES_INDICATOR_EVALUATION_SOURCES_GRPC_SOURCE_READER_H_
#define GZEDU_SERVICES_INDICATOR_EVALUATION_SOURCES_GRPC_SOURCE_READER_H_

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include <grpcpp/channel.h>

#include "common/domain/cache.h"
#include "gzedu/funding/v1/funding.grpc.pb.h"
#include "gzedu/registry/v1/registry.grpc.pb.h"
#include "gzedu/rotation/v1/rotation.grpc.pb.h"
#include "services/indicator_evaluation/domain/source_reader.h"

namespace gzedu::indicators {

// Reads the sources over their public gRPC contracts: the registry's
// schools and school-year records, the rotation service's staffing per
// section and G11 summary, the ledger's funding summary. Every call has a
// deadline and is retried with backoff on UNAVAILABLE; a source that stays
// down gives UNAVAILABLE naming it. A call made while serving a call passes
// that call's request id on (x-request-id), so one request can be followed
// through every service's log. Reads are cached (cache-aside) under
// keys holding the source's change version, so a cached read is never
// stale. Thread-safe.
class GrpcSourceReader : public SourceReader {
 public:
  struct Options {
    std::chrono::milliseconds deadline{10000};
    int attempts = 4;
    std::chrono::milliseconds first_backoff{50};
  };
  // `cache` (not owned) may be null.
  GrpcSourceReader(std::shared_ptr<grpc::Channel> registry, std::shared_ptr<grpc::Channel> rotation,
                   std::shared_ptr<grpc::Channel> ledger, Cache* cache, Options options);

  absl::StatusOr<InputVersions> LatestVersions() override;
  absl::StatusOr<SourceData> ReadDistrict(const std::string& district_code, int32_t school_year) override;
  absl::StatusOr<std::vector<SourceChange>> ChangesSince(const std::string& source, int64_t since_version,
                                                         int32_t limit, int64_t* latest_version) override;

  // Cancels every call in flight and makes every later one fail at once with
  // UNAVAILABLE: for shutting down while a source hangs.
  void CancelAll();

 private:
  // Calls `call(context)` with a deadline, retrying on UNAVAILABLE.
  template <typename Call>
  absl::Status WithRetry(const std::string& what, Call call);
  // One ListChanges page of a source.
  template <typename Response, typename Request, typename Stub>
  absl::StatusOr<Response> ListChanges(Stub& stub, int64_t since_version, int32_t limit, const std::string& what);
  // A cached response of `key`, or the call's, cached.
  template <typename Response, typename Call>
  absl::StatusOr<Response> Cached(const std::string& key, const std::string& what, Call call);

  std::unique_ptr<registry::v1::SchoolRegistryService::Stub> registry_;
  std::unique_ptr<rotation::v1::TeacherRotationService::Stub> rotation_;
  std::unique_ptr<funding::v1::FundingLedgerService::Stub> ledger_;
  Cache* cache_;
  const Options options_;
  std::mutex mutex_;
  std::condition_variable cancelled_cv_;
  bool cancelled_ = false;
  std::set<grpc::ClientContext*> in_flight_;
};

}  // namespace gzedu::indicators

#endif  // GZEDU_SERVICES_INDICATOR_EVALUATION_SOURCES_GRPC_SOURCE_READER_H_
