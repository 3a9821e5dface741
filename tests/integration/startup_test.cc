// Start-up refuses what cannot work, through the real binaries: a gRPC,
// metrics or health port already in use by another server ends the start
// with a non-zero exit and a message naming the address, for every server
// binary and for `gzedu serve`; the server already there keeps answering
// alone.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <csignal>
#include <string>
#include <vector>

#include "gzedu/registry/v1/registry.grpc.pb.h"
#include "tests/support/server_process.h"

namespace gzedu {
namespace {

using gzedu::testing::ServerProcess;
using gzedu::testing::Subprocess;
using gzedu::testing::TempDir;
namespace rv1 = gzedu::registry::v1;

// How a start attempt ended.
struct StartOutcome {
  bool listening = false;  // it announced that it serves
  int exit_code = 0;       // when it did not: its exit code
  std::string stderr_text;
};

// Starts `argv` and waits until it either announces that it listens (then
// stops it) or exits by itself.
StartOutcome TryStart(const std::vector<std::string>& argv) {
  Subprocess process(argv);
  StartOutcome outcome;
  outcome.listening = !process.WaitForLine("listening ").empty();
  if (outcome.listening) {
    process.Stop(SIGTERM);
  } else {
    outcome.exit_code = process.Wait();
  }
  outcome.stderr_text = process.stderr_text();
  return outcome;
}

// The number of schools `address` lists.
int CountSchools(const std::string& address) {
  auto stub = rv1::SchoolRegistryService::NewStub(grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  rv1::ListSchoolsRequest request;
  rv1::ListSchoolsResponse response;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  const grpc::Status status = stub->ListSchools(&context, request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return response.schools_size();
}

class StartupTest : public ::testing::Test {
 protected:
  StartupTest()
      : first_(GZEDU_REGISTRY_BINARY, dir_.path() + "/first.db", {"--health-listen=127.0.0.1:0"}),
        health_address_(gzedu::testing::WordValue(
            first_.process().stdout_text().substr(0, first_.process().stdout_text().find('\n')), "health")) {}

  // The arguments of `binary` with its own database, on the given addresses.
  std::vector<std::string> Server(const std::string& binary, const std::string& name, const std::string& listen,
                                  const std::string& metrics_listen, const std::string& health_listen = "") const {
    std::vector<std::string> argv = {binary, "--listen=" + listen, "--metrics-listen=" + metrics_listen,
                                     "--database=sqlite://" + dir_.path() + "/" + name + ".db"};
    if (!health_listen.empty()) argv.push_back("--health-listen=" + health_listen);
    return argv;
  }

  // Expects `outcome` to be a refused start naming `address`.
  static void ExpectRefused(const StartOutcome& outcome, const std::string& address, const std::string& what) {
    EXPECT_FALSE(outcome.listening) << what << ": started on a port in use";
    EXPECT_NE(outcome.exit_code, 0) << what;
    EXPECT_NE(outcome.stderr_text.find(address), std::string::npos) << what << ": " << outcome.stderr_text;
  }

  TempDir dir_;
  ServerProcess first_;
  std::string health_address_;
};

TEST_F(StartupTest, EveryServerRefusesAGrpcPortInUse) {
  ASSERT_FALSE(first_.grpc_address().empty());
  const std::string busy = first_.grpc_address();
  ExpectRefused(TryStart(Server(GZEDU_REGISTRY_BINARY, "registry", busy, "127.0.0.1:0")), busy, "registry");
  ExpectRefused(TryStart(Server(GZEDU_ROTATION_BINARY, "rotation", busy, "127.0.0.1:0")), busy, "rotation");
  ExpectRefused(TryStart(Server(GZEDU_LEDGER_BINARY, "ledger", busy, "127.0.0.1:0")), busy, "ledger");
  ExpectRefused(TryStart(Server(GZEDU_EVALUATION_BINARY, "evaluation", busy, "127.0.0.1:0")), busy, "evaluation");
  ExpectRefused(TryStart({GZEDU_CLI_BINARY, "serve", "--listen=" + busy, "--metrics-listen=127.0.0.1:0",
                          "--data-dir=" + dir_.path() + "/serve"}),
                busy, "gzedu serve");
  first_.Stop(SIGTERM);
}

TEST_F(StartupTest, EveryServerRefusesAMetricsPortInUse) {
  ASSERT_FALSE(first_.metrics_address().empty());
  const std::string busy = first_.metrics_address();
  ExpectRefused(TryStart(Server(GZEDU_REGISTRY_BINARY, "registry", "127.0.0.1:0", busy)), busy, "registry");
  ExpectRefused(TryStart(Server(GZEDU_ROTATION_BINARY, "rotation", "127.0.0.1:0", busy)), busy, "rotation");
  ExpectRefused(TryStart(Server(GZEDU_LEDGER_BINARY, "ledger", "127.0.0.1:0", busy)), busy, "ledger");
  ExpectRefused(TryStart(Server(GZEDU_EVALUATION_BINARY, "evaluation", "127.0.0.1:0", busy)), busy, "evaluation");
  ExpectRefused(TryStart({GZEDU_CLI_BINARY, "serve", "--listen=127.0.0.1:0", "--metrics-listen=" + busy,
                          "--data-dir=" + dir_.path() + "/serve"}),
                busy, "gzedu serve");
  first_.Stop(SIGTERM);
}

TEST_F(StartupTest, AServerRefusesAHealthPortInUse) {
  ASSERT_FALSE(health_address_.empty()) << first_.process().stdout_text();
  // Another server's health port, and another server's gRPC port.
  for (const std::string& busy : {health_address_, first_.grpc_address()}) {
    ExpectRefused(TryStart(Server(GZEDU_REGISTRY_BINARY, "registry", "127.0.0.1:0", "127.0.0.1:0", busy)), busy,
                  "registry --health-listen=" + busy);
    ExpectRefused(TryStart(Server(GZEDU_LEDGER_BINARY, "ledger", "127.0.0.1:0", "127.0.0.1:0", busy)), busy,
                  "ledger --health-listen=" + busy);
  }
  first_.Stop(SIGTERM);
}

TEST_F(StartupTest, TheServerAlreadyOnThePortKeepsAnsweringAlone) {
  ASSERT_FALSE(first_.grpc_address().empty());
  // A registry with a school of its own tries the first one's port; had it
  // shared the port, some of the calls below would reach its database.
  ServerProcess other(GZEDU_REGISTRY_BINARY, dir_.path() + "/other.db");
  rv1::UpsertSchoolsRequest request;
  request.set_request_id("one-school");
  rv1::School* school = request.add_schools();
  school->set_school_code("3144011401");
  school->set_name("另一所学校");
  school->set_district_code("440114");
  school->set_school_type(rv1::SCHOOL_TYPE_PRIMARY);
  school->set_ownership(rv1::OWNERSHIP_PUBLIC);
  school->set_locale(rv1::LOCALE_URBAN);
  rv1::UpsertSchoolsResponse response;
  grpc::ClientContext context;
  ASSERT_TRUE(rv1::SchoolRegistryService::NewStub(other.channel())->UpsertSchools(&context, request, &response).ok());
  other.Stop(SIGTERM);

  const std::string busy = first_.grpc_address();
  Subprocess second({GZEDU_REGISTRY_BINARY, "--listen=" + busy, "--metrics-listen=127.0.0.1:0",
                     "--database=sqlite://" + dir_.path() + "/other.db"});
  const bool second_listening = !second.WaitForLine("listening ").empty();
  EXPECT_FALSE(second_listening) << "a second registry started on " << busy;
  for (int i = 0; i < 20; ++i) EXPECT_EQ(CountSchools(busy), 0) << "call " << i << " reached the second registry";
  if (second_listening) second.Stop(SIGTERM);
  first_.Stop(SIGTERM);
}

}  // namespace
}  // namespace gzedu
