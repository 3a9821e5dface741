#ifndef GZEDU_SERVICES_INDICATOR_EVALUATION_GRPC_INDICATOR_EVALUATION_GRPC_SERVICE_H_
#define GZEDU_SERVICES_INDICATOR_EVALUATION_GRPC_INDICATOR_EVALUATION_GRPC_SERVICE_H_

#include <functional>

#include "common/grpc/handler_pool.h"
#include "common/grpc/rpc_call.h"
#include "gzedu/indicators/v1/indicators.grpc.pb.h"
#include "services/indicator_evaluation/domain/indicator_evaluation.h"
#include "services/indicator_evaluation/domain/watch_hub.h"
#include "services/indicator_evaluation/grpc/encoded_snapshots.h"

namespace gzedu::indicators {

// The gRPC adapter of gzedu.indicators.v1.IndicatorEvaluationService: each
// unary method converts, delegates to IndicatorEvaluation and converts the
// status. WatchIndicators uses the callback API: one write in flight per
// stream, fed from the stream's bounded queue in the WatchHub, so an open
// stream holds no thread.
//
// The reads dashboards poll (GetEvaluation, EvaluateDistrict, EvaluateCity)
// use the callback API with raw messages: an answer at hand in memory
// (IndicatorEvaluation::CurrentAtHand) is sent inline, in the thread that
// read the request, as the bytes encoded when the snapshot was first served
// (EncodedSnapshots, which holds both views, EVALUATION_VIEW_FULL and
// _BASIC, of each snapshot), so it costs neither a thread hand-off nor a
// conversion nor a serialization; any other answer (a store read, an
// evaluation) is made on a HandlerPool thread, as a reaction must not
// block. Thread-safe.
using IndicatorEvaluationServiceBase = v1::IndicatorEvaluationService::WithRawCallbackMethod_GetEvaluation<
    v1::IndicatorEvaluationService::WithRawCallbackMethod_EvaluateDistrict<
        v1::IndicatorEvaluationService::WithRawCallbackMethod_EvaluateCity<
            v1::IndicatorEvaluationService::WithCallbackMethod_WatchIndicators<
                v1::IndicatorEvaluationService::Service>>>>;
class IndicatorEvaluationGrpcService final : public IndicatorEvaluationServiceBase {
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
  // Raw: the request is a serialized v1::EvaluateDistrictRequest, the
  // response a serialized v1::EvaluateDistrictResponse (and so on).
  grpc::ServerUnaryReactor* EvaluateDistrict(grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
                                             grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* EvaluateCity(grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
                                         grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* GetEvaluation(grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
                                          grpc::ByteBuffer* response) override;
  grpc::Status EvaluateScenario(grpc::ServerContext* context, const v1::EvaluateScenarioRequest* request,
                                v1::EvaluateScenarioResponse* response) override;
  grpc::Status RenderEvaluationReport(grpc::ServerContext* context, const v1::RenderEvaluationReportRequest* request,
                                      v1::RenderEvaluationReportResponse* response) override;
  grpc::ServerWriteReactor<v1::WatchIndicatorsResponse>* WatchIndicators(
      grpc::CallbackServerContext* context, const v1::WatchIndicatorsRequest* request) override;

 private:
  // Threads for the answers not at hand (evaluations read the sources and
  // the store; EvaluateCity evaluates its districts on threads of its own),
  // and how many such requests may wait for one.
  static constexpr size_t kHandlerThreads = 8;
  static constexpr size_t kMaxWaitingRequests = 10000;

  // Runs `answer` (which fills the response and returns the call's status)
  // on the pool, then finishes the call; RESOURCE_EXHAUSTED at once when
  // the pool's queue is full.
  grpc::ServerUnaryReactor* Offload(grpc::ServerUnaryReactor* reactor, RpcCall call,
                                    std::function<absl::Status()> answer);

  IndicatorEvaluation* evaluation_;
  WatchHub* hub_;
  std::function<void(int)> on_watchers_changed_;
  EncodedSnapshots encoded_;
  // Last: destroyed first, running what was submitted (the calls it
  // finishes still use the members above).
  HandlerPool pool_;
};

}  // namespace gzedu::indicators

#endif  // GZEDU_SERVICES_INDICATOR_EVALUATION_GRPC_INDICATOR_EVALUATION_GRPC_SERVICE_H_
