// The cost of one access log line: RpcCall::Finish of a read that succeeded
// (the line every GetSchool, ListSchools or GetEvaluation writes), and a
// Log call with fields, each written to /dev/null.
#include <fcntl.h>
#include <unistd.h>

#include <benchmark/benchmark.h>

#include "absl/status/status.h"
#include "common/grpc/rpc_call.h"
#include "common/logging/log.h"

namespace {

void BM_RpcCallFinish(benchmark::State& state) {
  for (auto _ : state) {
    gzedu::RpcCall call(nullptr, "GetSchool");
    benchmark::DoNotOptimize(call.Finish(absl::OkStatus()));
  }
}
BENCHMARK(BM_RpcCallFinish);

void BM_LogWithFields(benchmark::State& state) {
  for (auto _ : state) {
    gzedu::Log(gzedu::LogLevel::kInfo, "rpc",
               {{"method", "ListSchools"}, {"code", "OK"}, {"duration_ms", 0.123}, {"principal", "区教育局"}});
  }
}
BENCHMARK(BM_LogWithFields);

}  // namespace

int main(int argc, char** argv) {
  // The lines go nowhere, so the terminal's speed is not measured.
  const int null_fd = open("/dev/null", O_WRONLY);
  if (null_fd < 0 || dup2(null_fd, STDERR_FILENO) < 0) return 1;
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  return 0;
}
