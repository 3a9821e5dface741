#ifndef GZEDU_COMMON_GRPC_GRPC_LOGGING_H_
#define GZEDU_COMMON_GRPC_GRPC_LOGGING_H_

namespace gzedu {

// Routes gRPC's own messages (gpr_log: TLS handshake failures, transport
// errors) through Log, so they come out as JSON lines like every other line:
// "msg" is gRPC's message, "source" is "grpc" with its "file" and "line",
// and the level is gRPC's severity (debug, info, error), dropped below
// --log-level. gRPC first filters by its own GRPC_VERBOSITY (default ERROR).
// Idempotent and thread-safe; every server calls it when it starts.
void RouteGrpcLogsToJson();

}  // namespace gzedu

#endif  // GZEDU_COMMON_GRPC_GRPC_LOGGING_H_
