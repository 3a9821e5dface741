#include "common/grpc/unary_reactions.h"

#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"

namespace gzedu {

absl::Status RequestNotParsed(absl::string_view message_name) {
  return absl::InvalidArgumentError(absl::StrCat("the request is not a valid ", message_name));
}

grpc::ServerUnaryReactor* FinishNow(grpc::ServerUnaryReactor* reactor, RpcCall& call, const absl::Status& status) {
  reactor->Finish(call.Finish(status));
  return reactor;
}

grpc::ServerUnaryReactor* FinishOnPool(HandlerPool& pool, grpc::ServerUnaryReactor* reactor, RpcCall call,
                                       std::function<absl::Status()> answer, absl::string_view busy_message) {
  auto held = std::make_shared<RpcCall>(std::move(call));
  const bool queued = pool.Submit([reactor, held, answer = std::move(answer)] {
    held->EnterThread();  // this pool thread's lines name the call
    const absl::Status status = answer();
    reactor->Finish(held->Finish(status));
    held->LeaveThread();
  });
  if (!queued) {
    held->EnterThread();
    reactor->Finish(held->Finish(absl::ResourceExhaustedError(std::string(busy_message))));
    held->LeaveThread();
  }
  return reactor;
}

}  // namespace gzedu
