#include "common/grpc/unary_reactions.h"

#include <chrono>
#include <memory>
#include <string>
#include <utility>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include "absl/strings/str_cat.h"
#include "common/status/localized_text.h"

namespace gzedu {

std::string EncodeAsField1(const google::protobuf::MessageLite& message) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream out(&stream);
    constexpr uint32_t kField1LengthDelimited = (1 << 3) | 2;
    out.WriteTag(kField1LengthDelimited);
    out.WriteVarint32(static_cast<uint32_t>(message.ByteSizeLong()));
    message.SerializeWithCachedSizes(&out);
  }
  return bytes;
}

absl::Status RequestNotParsed(absl::string_view message_name) {
  return LocalizedError(absl::StatusCode::kInvalidArgument, {absl::StrCat("the request is not a valid ", message_name),
                                                             absl::StrCat("请求不是有效的 ", message_name, " 消息")});
}

grpc::ServerUnaryReactor* FinishNow(grpc::ServerUnaryReactor* reactor, RpcCall& call, const absl::Status& status) {
  reactor->Finish(call.Finish(status));
  return reactor;
}

grpc::ServerUnaryReactor* FinishOnPool(HandlerPool& pool, grpc::ServerUnaryReactor* reactor, RpcCall call,
                                       std::function<absl::Status()> answer, const LocalizedText& busy_message,
                                       std::optional<std::chrono::milliseconds> max_queue_wait) {
  auto held = std::make_shared<RpcCall>(std::move(call));
  const auto queued_at = std::chrono::steady_clock::now();
  const bool queued = pool.Submit([reactor, held, queued_at, max_queue_wait, answer = std::move(answer)] {
    held->EnterThread();  // this pool thread's lines name the call
    // A call that waited its whole budget behind slow ones (a hung store) is
    // refused now rather than given a budget of its own on top.
    const auto waited = std::chrono::steady_clock::now() - queued_at;
    const absl::Status status =
        max_queue_wait.has_value() && waited >= *max_queue_wait
            ? LocalizedError(
                  absl::StatusCode::kUnavailable,
                  {absl::StrCat("waited ", std::chrono::duration_cast<std::chrono::milliseconds>(waited).count(),
                                " ms for a handler thread behind slower calls (is the store answering?)"),
                   absl::StrCat("等待处理线程 ", std::chrono::duration_cast<std::chrono::milliseconds>(waited).count(),
                                " 毫秒，前面的调用过慢（存储是否可用？）")})
            : answer();
    reactor->Finish(held->Finish(status));
    held->LeaveThread();
  });
  if (!queued) {
    held->EnterThread();
    reactor->Finish(held->Finish(LocalizedError(absl::StatusCode::kResourceExhausted, busy_message)));
    held->LeaveThread();
  }
  return reactor;
}

}  // namespace gzedu
