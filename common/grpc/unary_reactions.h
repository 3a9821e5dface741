#ifndef GZEDU_COMMON_GRPC_UNARY_REACTIONS_H_
#define GZEDU_COMMON_GRPC_UNARY_REACTIONS_H_

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/proto_buffer_reader.h>
#include <grpcpp/support/server_callback.h>

#include <google/protobuf/message_lite.h>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/grpc/handler_pool.h"
#include "common/grpc/rpc_call.h"
#include "common/status/localized_text.h"

namespace gzedu {

// Helpers for unary callback-API methods with raw messages (see the school
// registry's GetSchool): parse the request, answer at once, or hand the
// blocking part to a HandlerPool.

// `message` encoded as field 1 of an enclosing message: the tag (field 1,
// length delimited), the length, the message's bytes. Answers held encoded
// (a school, a district's evaluation) are sent as such fields, alone or one
// after the other for a repeated field.
std::string EncodeAsField1(const google::protobuf::MessageLite& message);

// Parses `bytes` (left as they are) into `message`; false when they are not
// a valid encoding of it.
template <typename Message>
bool ParseRawRequest(const grpc::ByteBuffer& bytes, Message* message) {
  grpc::ByteBuffer copy(bytes);  // shares the slices; deserializing consumes it
  return grpc::SerializationTraits<Message>::Deserialize(&copy, message).ok();
}

// INVALID_ARGUMENT for a request that does not parse as `message_name`
// (English and Chinese).
absl::Status RequestNotParsed(absl::string_view message_name);

// Finishes `reactor` with `status` through `call` (logged, converted) now,
// in the calling thread.
grpc::ServerUnaryReactor* FinishNow(grpc::ServerUnaryReactor* reactor, RpcCall& call, const absl::Status& status);

// How long a call may wait in a HandlerPool's queue: as long as a store
// call may take (the storage layer's 5 s budget), so a call queued behind
// reads of a hung store is refused about when those are, not a budget later.
inline constexpr std::chrono::milliseconds kMaxHandlerQueueWait{5000};

// Runs `answer` (which fills the response and returns the call's status) on
// `pool`, the call's log lines naming it there, then finishes `reactor`;
// RESOURCE_EXHAUSTED with `busy_message` at once when the pool's queue is
// full; UNAVAILABLE without running `answer` when the call waited
// `max_queue_wait` for a thread (a store read's pool: kMaxHandlerQueueWait;
// std::nullopt: as long as it takes).
grpc::ServerUnaryReactor* FinishOnPool(HandlerPool& pool, grpc::ServerUnaryReactor* reactor, RpcCall call,
                                       std::function<absl::Status()> answer, const LocalizedText& busy_message,
                                       std::optional<std::chrono::milliseconds> max_queue_wait);

}  // namespace gzedu

#endif  // GZEDU_COMMON_GRPC_UNARY_REACTIONS_H_
