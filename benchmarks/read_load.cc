// read_load: the read calls dashboards poll, measured from outside with a C++
// gRPC client against a real `gzedu serve` (started here on port 0 with a
// temporary data directory) holding the bundled city, next to the gRPC
// health check on the same server as the bare-gRPC baseline.
//
// Two clients, each call (the baseline included) made by both:
//  - generic: grpc::GenericStub; each request serialized once, each response
//    received as bytes and checked without being parsed into messages (its
//    top-level fields walked: e.g. EvaluateCity's 11 `evaluations`), so the
//    ratio to the health check measures the server (and the transport);
//  - parsing: the generated stubs, every response parsed into messages, as
//    a typical client; on these 2 cores the client's parsing of a large
//    response then weighs on the ratio as much as the server.
// For each call: `--seconds` (3) of `--threads` (16) client threads, each
// with one call in flight on one of two channels (so 2 channels × 8 calls in
// flight), then the same with one call in flight. Prints calls/s, the ratio
// to the health check's, and p50/p99/max latency.
//
//   read_load [--gzedu=PATH] [--bundle=DIR] [--seconds=3] [--threads=16]
//             [--client=both|generic|parsing]   (both: one table each, generic first)
//             [--target=HOST:PORT]   (an already running, already imported suite)
//             [--only=TEXT]          (only the calls whose name contains TEXT, and the baseline)
//             [--calls=N]            (N calls of each instead of --seconds: fixed work)
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/support/proto_buffer_reader.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "benchmarks/serve_suite.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gzedu/indicators/v1/indicators.grpc.pb.h"
#include "gzedu/registry/v1/registry.grpc.pb.h"

namespace {

namespace iv1 = ::gzedu::indicators::v1;
namespace rv1 = ::gzedu::registry::v1;
namespace hv1 = ::grpc::health::v1;
using Clock = std::chrono::steady_clock;

struct Result {
  double calls_per_second = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  double max_ms = 0;
  int64_t failures = 0;
};

double Percentile(std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  return sorted[std::min(sorted.size() - 1, static_cast<size_t>(p / 100 * sorted.size()))];
}

// `call(thread, i)` (thread in [0, threads), the i-th call overall) returns
// whether the call succeeded; run by `threads` threads for `seconds`, or,
// when `calls` is above 0, until `calls` calls are made (a fixed amount of
// work, for counting instructions: `perf stat` or `valgrind
// --tool=callgrind` on the server).
Result Measure(int threads, double seconds, int64_t calls, const std::function<bool(int, int64_t)>& call) {
  std::vector<std::vector<double>> latencies(threads);
  std::vector<int64_t> failures(threads, 0);
  const Clock::time_point begin = Clock::now();
  const Clock::time_point end =
      begin + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (int64_t i = t;; i += threads) {
        const Clock::time_point start = Clock::now();
        if (calls > 0 ? i >= calls : start >= end) break;
        if (!call(t, i)) ++failures[t];
        latencies[t].push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
      }
    });
  }
  for (std::thread& w : workers) w.join();
  std::vector<double> all;
  Result result;
  for (int t = 0; t < threads; ++t) {
    all.insert(all.end(), latencies[t].begin(), latencies[t].end());
    result.failures += failures[t];
  }
  std::sort(all.begin(), all.end());
  const double elapsed_s = calls > 0 ? std::chrono::duration<double>(Clock::now() - begin).count() : seconds;
  result.calls_per_second = static_cast<double>(all.size()) / elapsed_s;
  result.p50_ms = Percentile(all, 50);
  result.p99_ms = Percentile(all, 99);
  result.max_ms = all.empty() ? 0 : all.back();
  return result;
}

// A response's top-level fields, walked without parsing them into
// messages: how many times field 1 occurs (a repeated field's entries, or
// one singular message) and, when it is a varint, its last value. False when
// the bytes are not a well-formed message.
struct TopLevel {
  int field1_count = 0;
  uint64_t field1_varint = 0;
};
bool WalkTopLevel(grpc::ByteBuffer* bytes, TopLevel* top) {
  using google::protobuf::internal::WireFormatLite;
  grpc::ProtoBufferReader reader(bytes);
  google::protobuf::io::CodedInputStream in(&reader);
  while (const uint32_t tag = in.ReadTag()) {
    const int field = static_cast<int>(WireFormatLite::GetTagFieldNumber(tag));
    if (field == 1) ++top->field1_count;
    switch (WireFormatLite::GetTagWireType(tag)) {
      case WireFormatLite::WIRETYPE_VARINT: {
        uint64_t value = 0;
        if (!in.ReadVarint64(&value)) return false;
        if (field == 1) top->field1_varint = value;
        break;
      }
      case WireFormatLite::WIRETYPE_LENGTH_DELIMITED: {
        uint32_t length = 0;
        if (!in.ReadVarint32(&length) || !in.Skip(static_cast<int>(length))) return false;
        break;
      }
      case WireFormatLite::WIRETYPE_FIXED64:
        if (!in.Skip(8)) return false;
        break;
      case WireFormatLite::WIRETYPE_FIXED32:
        if (!in.Skip(4)) return false;
        break;
      default:
        return false;
    }
  }
  return in.ConsumedEntireMessage();
}

// A request serialized once.
grpc::ByteBuffer Serialized(const google::protobuf::Message& message) {
  grpc::Slice slice(message.SerializeAsString());
  return grpc::ByteBuffer(&slice, 1);
}

std::string Flag(int argc, char** argv, const std::string& name, const std::string& fallback) {
  const std::string prefix = "--" + name + "=";
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind(prefix, 0) == 0) return arg.substr(prefix.size());
  }
  return fallback;
}

}  // namespace

constexpr char kUsage[] =
    "read_load: the reads dashboards poll against a real `gzedu serve` (started here with the bundled city), "
    "next to the gRPC health check\n"
    "  --gzedu=PATH      the gzedu binary to start (default: this build's, " GZEDU_CLI_BINARY
    ")\n"
    "  --bundle=DIR      the dataset to import (default: the bundled city)\n"
    "  --target=H:P      an already running, already imported suite instead\n"
    "  --client=both|generic|parsing   which client makes the calls (default both, a table each)\n"
    "  --only=TEXT       only the calls whose name contains TEXT, and the baseline\n"
    "  --seconds=3 --threads=16 --calls=N   how long, how many in flight, or N calls of each\n";

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::printf("%s", kUsage);
      return 0;
    }
    bool known = false;
    for (const char* name : {"gzedu", "bundle", "target", "client", "only", "seconds", "threads", "calls"}) {
      if (arg.rfind(std::string("--") + name + "=", 0) == 0) known = true;
    }
    if (!known) {
      std::fprintf(stderr, "read_load: unknown argument %s\n%s", arg.c_str(), kUsage);
      return 2;
    }
  }
  const std::string gzedu = Flag(argc, argv, "gzedu", GZEDU_CLI_BINARY);
  const std::string bundle = Flag(argc, argv, "bundle", std::string(GZEDU_SOURCE_DIR) + "/data/guangzhou");
  const double seconds = std::stod(Flag(argc, argv, "seconds", "3"));
  const int threads = std::stoi(Flag(argc, argv, "threads", "16"));
  const int64_t calls_each = std::stoll(Flag(argc, argv, "calls", "0"));

  const std::filesystem::path data_dir =
      std::filesystem::temp_directory_path() / ("gzedu-read-load-" + std::to_string(getpid()));
  std::filesystem::create_directories(data_dir);
  int exit_code = 0;
  {
    const std::string target = Flag(argc, argv, "target", "");
    std::optional<gzedu::benchmarks::Suite> suite;
    std::string address = target;
    if (target.empty()) {
      suite.emplace(gzedu, data_dir.string());
      address = suite->address();
      std::printf("gzedu serve at %s; importing %s\n", address.c_str(), bundle.c_str());
      const std::string command = gzedu + " import bundle " + bundle + " --quiet --target=" + address + " > /dev/null";
      if (std::system(command.c_str()) != 0) {
        std::fprintf(stderr, "import failed\n");
        return 1;
      }
    }
    // Two channels (separate connections), as two client processes would have.
    std::vector<std::shared_ptr<grpc::Channel>> channels;
    for (int i = 0; i < 2; ++i) {
      grpc::ChannelArguments args;
      args.SetInt("gzedu.channel", i);  // distinct arguments: distinct connections
      channels.push_back(grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args));
    }
    std::vector<std::unique_ptr<hv1::Health::Stub>> health;
    std::vector<std::unique_ptr<rv1::SchoolRegistryService::Stub>> registry;
    std::vector<std::unique_ptr<iv1::IndicatorEvaluationService::Stub>> evaluation;
    for (const auto& channel : channels) {
      health.push_back(hv1::Health::NewStub(channel));
      registry.push_back(rv1::SchoolRegistryService::NewStub(channel));
      evaluation.push_back(iv1::IndicatorEvaluationService::NewStub(channel));
    }

    // The schools of Huadu, and a warm city evaluation.
    std::vector<std::string> codes;
    {
      rv1::ListSchoolsRequest request;
      request.set_district_code("440114");
      request.set_page_size(1000);
      rv1::ListSchoolsResponse response;
      grpc::ClientContext context;
      if (!registry[0]->ListSchools(&context, request, &response).ok() || response.schools_size() == 0) {
        std::fprintf(stderr, "ListSchools failed\n");
        return 1;
      }
      for (const rv1::School& s : response.schools()) codes.push_back(s.school_code());
      iv1::EvaluateCityRequest city;
      city.set_school_year(2024);
      iv1::EvaluateCityResponse city_response;
      grpc::ClientContext city_context;
      if (!evaluation[0]->EvaluateCity(&city_context, city, &city_response).ok()) {
        std::fprintf(stderr, "EvaluateCity failed\n");
        return 1;
      }
    }

    const auto deadline = [](grpc::ClientContext& context) {
      context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    };

    // Each call once: its method, its requests (one for most, one per school
    // for GetSchool), how many times field 1 must occur at the top level of
    // its response (and for the health check the value: SERVING), and the
    // same call made with the generated stub, its response parsed.
    struct Call {
      const char* name;
      std::string method;
      std::vector<grpc::ByteBuffer> requests;
      int field1_count;
      std::optional<uint64_t> field1_varint;
      std::function<bool(int, int64_t)> parsed;
    };
    std::vector<Call> calls;
    {
      hv1::HealthCheckRequest request;
      calls.push_back({"Health/Check (baseline)",
                       "/grpc.health.v1.Health/Check",
                       {Serialized(request)},
                       1,
                       hv1::HealthCheckResponse::SERVING,
                       [&, request](int c, int64_t) {
                         hv1::HealthCheckResponse response;
                         grpc::ClientContext context;
                         deadline(context);
                         return health[c]->Check(&context, request, &response).ok();
                       }});
    }
    {
      std::vector<grpc::ByteBuffer> requests;
      for (const std::string& code : codes) {
        rv1::GetSchoolRequest request;
        request.set_school_code(code);
        requests.push_back(Serialized(request));
      }
      calls.push_back({"GetSchool", "/gzedu.registry.v1.SchoolRegistryService/GetSchool", requests, 1, std::nullopt,
                       [&](int c, int64_t i) {
                         rv1::GetSchoolRequest request;
                         request.set_school_code(codes[static_cast<size_t>(i) % codes.size()]);
                         rv1::GetSchoolResponse response;
                         grpc::ClientContext context;
                         deadline(context);
                         return registry[c]->GetSchool(&context, request, &response).ok();
                       }});
    }
    {
      rv1::ListSchoolsRequest request;
      request.set_district_code("440114");
      request.set_page_size(100);
      calls.push_back({"ListSchools (100 per page)",
                       "/gzedu.registry.v1.SchoolRegistryService/ListSchools",
                       {Serialized(request)},
                       static_cast<int>(std::min<size_t>(100, codes.size())),
                       std::nullopt,
                       [&, request](int c, int64_t) {
                         rv1::ListSchoolsResponse response;
                         grpc::ClientContext context;
                         deadline(context);
                         return registry[c]->ListSchools(&context, request, &response).ok();
                       }});
    }
    const std::string evaluation_service = "/gzedu.indicators.v1.IndicatorEvaluationService/";
    {
      iv1::GetEvaluationRequest request;
      request.set_district_code("440114");
      request.set_school_year(2024);
      calls.push_back({"GetEvaluation",
                       evaluation_service + "GetEvaluation",
                       {Serialized(request)},
                       1,
                       std::nullopt,
                       [&, request](int c, int64_t) {
                         iv1::GetEvaluationResponse response;
                         grpc::ClientContext context;
                         deadline(context);
                         return evaluation[c]->GetEvaluation(&context, request, &response).ok();
                       }});
    }
    {
      iv1::EvaluateDistrictRequest request;
      request.set_district_code("440114");
      request.set_school_year(2024);
      calls.push_back({"EvaluateDistrict (nothing changed)",
                       evaluation_service + "EvaluateDistrict",
                       {Serialized(request)},
                       1,
                       std::nullopt,
                       [&, request](int c, int64_t) {
                         iv1::EvaluateDistrictResponse response;
                         grpc::ClientContext context;
                         deadline(context);
                         return evaluation[c]->EvaluateDistrict(&context, request, &response).ok();
                       }});
    }
    for (const auto& [name, view] : {std::pair{"EvaluateCity (warm)", iv1::EVALUATION_VIEW_UNSPECIFIED},
                                     std::pair{"EvaluateCity (warm), BASIC view", iv1::EVALUATION_VIEW_BASIC}}) {
      iv1::EvaluateCityRequest request;
      request.set_school_year(2024);
      request.set_view(view);
      calls.push_back({name,
                       evaluation_service + "EvaluateCity",
                       {Serialized(request)},
                       11,
                       std::nullopt,
                       [&, request](int c, int64_t) {
                         iv1::EvaluateCityResponse response;
                         grpc::ClientContext context;
                         deadline(context);
                         return evaluation[c]->EvaluateCity(&context, request, &response).ok() &&
                                response.evaluations_size() == 11;
                       }});
    }

    // The generic client: one completion queue per client thread, on which
    // that thread waits for its own call (as the generated stub's blocking
    // call does on a queue of its own).
    std::vector<std::unique_ptr<grpc::GenericStub>> generic;
    for (const auto& channel : channels) generic.push_back(std::make_unique<grpc::GenericStub>(channel));
    std::vector<std::unique_ptr<grpc::CompletionQueue>> queues;
    for (int t = 0; t < threads; ++t) queues.push_back(std::make_unique<grpc::CompletionQueue>());
    const auto generic_call = [&](const Call& call, int t, int64_t i) {
      grpc::ClientContext context;
      deadline(context);
      grpc::ByteBuffer response;
      grpc::Status status;
      grpc::CompletionQueue* queue = queues[static_cast<size_t>(t)].get();
      std::unique_ptr<grpc::GenericClientAsyncResponseReader> reader = generic[t % 2]->PrepareUnaryCall(
          &context, call.method, call.requests[static_cast<size_t>(i) % call.requests.size()], queue);
      reader->StartCall();
      reader->Finish(&response, &status, reader.get());
      void* tag = nullptr;
      bool ok = false;
      if (!queue->Next(&tag, &ok) || tag != reader.get() || !ok || !status.ok()) return false;
      TopLevel top;
      return WalkTopLevel(&response, &top) && top.field1_count == call.field1_count &&
             (!call.field1_varint || top.field1_varint == *call.field1_varint);
    };

    const std::string client = Flag(argc, argv, "client", "both");
    std::vector<std::string> clients;
    if (client == "both" || client == "generic") clients.push_back("generic");
    if (client == "both" || client == "parsing") clients.push_back("parsing");
    if (clients.empty()) {
      std::fprintf(stderr, "--client must be both, generic or parsing\n");
      return 2;
    }
    const std::string only = Flag(argc, argv, "only", "");
    for (const std::string& kind : clients) {
      std::printf("\n%s client: %s\n", kind.c_str(),
                  kind == "generic" ? "responses received as bytes, checked, not parsed (the ratio measures the server)"
                                    : "the generated stubs, every response parsed into messages");
      for (int in_flight : {threads, 1}) {
        std::printf("\n%d call%s in flight, %.0f s each\n", in_flight, in_flight == 1 ? "" : "s", seconds);
        std::printf("%-36s %10s %8s %9s %9s %9s %8s\n", "call", "calls/s", "vs health", "p50 ms", "p99 ms", "max ms",
                    "failed");
        double baseline = 0;
        for (const Call& call : calls) {
          if (baseline != 0 && !only.empty() && std::string(call.name).find(only) == std::string::npos) continue;
          const Result r = Measure(in_flight, seconds, calls_each, [&](int t, int64_t i) {
            return kind == "generic" ? generic_call(call, t, i) : call.parsed(t % 2, i);
          });
          if (baseline == 0) baseline = r.calls_per_second;
          std::printf("%-36s %10.0f %8.2fx %9.2f %9.2f %9.2f %8lld\n", call.name, r.calls_per_second,
                      r.calls_per_second / baseline, r.p50_ms, r.p99_ms, r.max_ms,
                      static_cast<long long>(r.failures));  // NOLINT(runtime/int)
          if (r.failures > 0) exit_code = 1;
        }
      }
    }
  }
  std::filesystem::remove_all(data_dir);
  return exit_code;
}
