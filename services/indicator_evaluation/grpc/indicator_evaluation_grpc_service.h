#ifndef GZEDU_SERVICES_INDICATOR_EVALUATION_GRPC_INDICATOR_EVALUATION_GRPC_SERVICE_H_
#define GZEDU_SERVICES_INDICATOR_EVALUATION_GRPC_INDICATOR_EVALUATION_GRPC_SERVICE_H_

#include <functional>

#include "gzedu/indicators/v1/indicators.grpc.pb.h"
#include "services/indicator_evaluation/domain/indicator_evaluation.h"
#include "services/indicator_evaluation/domain/watch_hub.h"
#include "services/indicator_evaluation/grpc/encoded_snapshots.h"

namespace gzedu::indicators {

// The gRPC adapter of gzedu.indicators.v1.IndicatorEvaluationService: each
// unary method converts, delegates to IndicatorEvaluation and converts the
// status. WatchIndicators uses the callback API: one write in flight per
// stream, fed from the stream's bounded queue in the WatchHub, so an open
// stream holds no thread. Thread-safe.
class IndicatorEvaluationGrpcService final : public v1::IndicatorEvaluationService::WithCallbackMethod_WatchIndicators<
                                                 v1::IndicatorEvaluationService::Service> {
 public:
  // None owned. `on_watchers_changed` (may be null) is told +1 when a
  // stream opens and -1 when it ends.
  IndicatorEvaluationGrpcService(IndicatorEvaluation* evaluation, WatchHub* hub,
                                 std::function<void(int)> on_watchers_changed);

  grpc::Status ListIndicatorDefinitions(grpc::ServerContext* context,
                                        const v1::ListIndicatorDefinitionsRequest* request,
                                        v1::ListIndicatorDefinitionsResponse* response) override;
  grpc::Status UpsertDistrictReturns(grpc::ServerContext* context, const v1::UpsertDistrictReturnsRequest* request,
                                     v1::UpsertDistrictReturnsResponse* response) override;
  grpc::Status EvaluateDistrict(grpc::ServerContext* context, const v1::EvaluateDistrictRequest* request,
                                v1::EvaluateDistrictResponse* response) override;
  grpc::Status EvaluateCity(grpc::ServerContext* context, const v1::EvaluateCityRequest* request,
                            v1::EvaluateCityResponse* response) override;
  grpc::Status GetEvaluation(grpc::ServerContext* context, const v1::GetEvaluationRequest* request,
                             v1::GetEvaluationResponse* response) override;
  grpc::Status EvaluateScenario(grpc::ServerContext* context, const v1::EvaluateScenarioRequest* request,
                                v1::EvaluateScenarioResponse* response) override;
  grpc::Status RenderEvaluationReport(grpc::ServerContext* context, const v1::RenderEvaluationReportRequest* request,
                                      v1::RenderEvaluationReportResponse* response) override;
  grpc::ServerWriteReactor<v1::WatchIndicatorsResponse>* WatchIndicators(
      grpc::CallbackServerContext* context, const v1::WatchIndicatorsRequest* request) override;

 private:
  IndicatorEvaluation* evaluation_;
  WatchHub* hub_;
  std::function<void(int)> on_watchers_changed_;
  EncodedSnapshots encoded_;
};

}  // namespace gzedu::indicators

#endif  // GZEDU_SERVICES_INDICATOR_EVALUATION_GRPC_INDICATOR_EVALUATION_GRPC_SERVICE_H_
