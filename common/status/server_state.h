#ifndef GZEDU_COMMON_STATUS_SERVER_STATE_H_
#define GZEDU_COMMON_STATUS_SERVER_STATE_H_

#include "absl/status/status.h"

namespace gzedu {

// A refusal that says what state the server is in, not that this call met a
// fault: UNAVAILABLE while it waits for its database or the migration lock,
// while its sources are not connected yet, while it shuts down. The access
// log writes such a call at warning (the server's state is reported once by
// readiness and its own lines), where other UNAVAILABLE answers are errors.
// The mark is a payload: it survives being passed along unchanged, not a
// trip over gRPC.
absl::Status MarkServerState(absl::Status status);

// Whether `status` carries the mark.
bool IsServerStateRefusal(const absl::Status& status);

}  // namespace gzedu

#endif  // GZEDU_COMMON_STATUS_SERVER_STATE_H_
