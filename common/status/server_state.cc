#include "common/status/server_state.h"

#include "absl/strings/cord.h"

namespace gzedu {
namespace {

constexpr char kServerStateUrl[] = "type.gzedu/server-state";

}  // namespace

absl::Status MarkServerState(absl::Status status) {
  if (!status.ok()) status.SetPayload(kServerStateUrl, absl::Cord("1"));
  return status;
}

bool IsServerStateRefusal(const absl::Status& status) {
  return !status.ok() && status.GetPayload(kServerStateUrl).has_value();
}

}  // namespace gzedu
