#ifndef GZEDU_TESTS_SUPPORT_SERVER_PROCESS_H_
#define GZEDU_TESTS_SUPPORT_SERVER_PROCESS_H_

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "tests/support/subprocess.h"

namespace gzedu::testing {

// One of the project's server binaries, started on port 0 with a SQLite
// file (or a database URL: postgresql://...), and a channel to it. Not
// thread-safe.
class ServerProcess {
 public:
  ServerProcess(const std::string& binary, const std::string& database_path,
                const std::vector<std::string>& extra_args = {}) {
    std::vector<std::string> argv = {
        binary, "--metrics-listen=127.0.0.1:0",
        "--database=" + (database_path.rfind("postgresql://", 0) == 0 ? database_path : "sqlite://" + database_path)};
    // Loopback on port 0 unless the caller chose the address.
    bool listen_given = false;
    for (const std::string& arg : extra_args) listen_given = listen_given || arg.rfind("--listen=", 0) == 0;
    if (!listen_given) argv.push_back("--listen=127.0.0.1:0");
    argv.insert(argv.end(), extra_args.begin(), extra_args.end());
    process_ = std::make_unique<Subprocess>(argv);
    const std::string line = process_->WaitForLine("listening ");
    grpc_address_ = WordValue(line, "grpc");
    metrics_address_ = WordValue(line, "metrics");
    if (grpc_address_.empty()) {
      ADD_FAILURE() << binary << " did not start: " << process_->stderr_text();
      return;
    }
    channel_ = grpc::CreateChannel(grpc_address_, grpc::InsecureChannelCredentials());
  }

  std::shared_ptr<grpc::Channel> channel() const { return channel_; }
  const std::string& grpc_address() const { return grpc_address_; }
  const std::string& metrics_address() const { return metrics_address_; }
  Subprocess& process() { return *process_; }

  // Closes the test's connection (an open one would hold a graceful
  // shutdown for its whole grace period), signals the server and waits.
  int Stop(int signal) {
    channel_.reset();
    return process_->Stop(signal);
  }

 private:
  std::unique_ptr<Subprocess> process_;
  std::string grpc_address_;
  std::string metrics_address_;
  std::shared_ptr<grpc::Channel> channel_;
};

}  // namespace gzedu::testing

#endif  // GZEDU_TESTS_SUPPORT_SERVER_PROCESS_H_
