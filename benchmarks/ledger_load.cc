// Load tool for the funding ledger (issue: at least 10,000 transfers per
// second posted in batches of 100 on SQLite, durable).
//
// Starts the ledger in this process on a loopback port with a SQLite file in
// a temporary directory (synchronous=FULL: every acknowledged batch is on
// disk) and, when DATABASE names one (an empty PostgreSQL database), on
// PostgreSQL too (where batches posted at the same time may share one
// COMMIT, each acknowledged only after it), then posts through its gRPC stub from 1 and from 4
// concurrent clients, verifies the journal afterwards, and prints the
// figures of both side by side.
//
//   cmake --build build --target ledger_load && build/benchmarks/ledger_load [--verbose] [TRANSFERS [DATABASE]]
//
// The ledger's log lines (an audit record per batch) go to servers.log in
// the temporary directory, kept when the run fails; --verbose shows them.
#include <grpcpp/grpcpp.h>
#include <stdlib.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmarks/server_log.h"
#include "common/grpc/server_runner.h"
#include "common/logging/log.h"
#include "common/storage/sql_database.h"
#include "gzedu/funding/v1/funding.grpc.pb.h"
#include "services/funding_ledger/domain/funding_ledger.h"
#include "services/funding_ledger/grpc/funding_ledger_grpc_service.h"
#include "services/funding_ledger/storage/sql_ledger_repository.h"

namespace {

namespace v1 = gzedu::funding::v1;
using Clock = std::chrono::steady_clock;
constexpr int kBatch = 100;
constexpr int kAccounts = 200;

double Seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

// Posts `count` transfers in batches of 100 with ids "<prefix>-<n>"; false
// on any failure.
bool PostMany(v1::FundingLedgerService::Stub& stub, const std::string& prefix, int count) {
  for (int begin = 0; begin < count; begin += kBatch) {
    v1::PostTransfersRequest request;
    request.set_request_id(prefix + "-batch-" + std::to_string(begin));
    for (int i = begin; i < std::min(count, begin + kBatch); ++i) {
      v1::Transfer* t = request.add_transfers();
      t->set_transfer_id(prefix + "-" + std::to_string(i));
      t->set_debit_account_id("treasury");
      t->set_credit_account_id("school-" + std::to_string(i % kAccounts));
      t->set_amount_fen(100 + i % 997);
      t->set_school_year(2024);
      t->set_purpose("operating funds");
    }
    v1::PostTransfersResponse response;
    grpc::ClientContext context;
    const grpc::Status status = stub.PostTransfers(&context, request, &response);
    if (!status.ok()) {
      std::fprintf(gzedu::benchmarks::Terminal(), "PostTransfers failed: %s\n", status.error_message().c_str());
      return false;
    }
  }
  return true;
}

struct Figures {
  double one_client_per_second = 0;
  double four_clients_per_second = 0;
  double verify_seconds = 0;
  int64_t entries = 0;
};

// Opens the ledger on `database`, posts `transfers` from 1 and then from 4
// clients, and verifies the journal; false on any failure.
bool Run(const std::string& database, int transfers, Figures& figures) {
  auto repository = gzedu::funding::SqlLedgerRepository::Open(database, nullptr);
  if (!repository.ok()) {
    std::fprintf(gzedu::benchmarks::Terminal(), "%s\n", repository.status().ToString().c_str());
    return false;
  }
  // A ledger that already holds this tool's transfers would answer every
  // batch as a replay, at replay speed: figures of nothing.
  const absl::StatusOr<int64_t> written = (*repository)->LatestChangeVersion();
  if (!written.ok() || *written != 0) {
    std::fprintf(gzedu::benchmarks::Terminal(), "%s\n",
                 written.ok() ? absl::StrCat("the database is not empty (", *written,
                                             " changes already written): give ledger_load an empty database")
                                    .c_str()
                              : written.status().ToString().c_str());
    return false;
  }
  gzedu::funding::FundingLedger ledger(repository->get());
  gzedu::funding::FundingLedgerGrpcService service(&ledger);
  gzedu::Metrics metrics;
  gzedu::GrpcServerRunner runner;
  gzedu::ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.metrics_listen = "127.0.0.1:0";
  options.service_names = {"gzedu.funding.v1.FundingLedgerService"};
  if (!runner.Start(options, {&service}, metrics).ok()) return false;
  auto channel =
      grpc::CreateChannel("127.0.0.1:" + std::to_string(runner.grpc_port()), grpc::InsecureChannelCredentials());
  auto stub = v1::FundingLedgerService::NewStub(channel);

  v1::CreateAccountsRequest open;
  open.set_request_id("open");
  v1::Account* treasury = open.add_accounts();
  treasury->set_account_id("treasury");
  treasury->set_district_code("440114");
  treasury->set_purpose(v1::ACCOUNT_PURPOSE_OTHER);
  for (int i = 0; i < kAccounts; ++i) {
    v1::Account* a = open.add_accounts();
    a->set_account_id("school-" + std::to_string(i));
    a->set_district_code("440114");
    a->set_school_code("21440114" + std::to_string(10 + i % 90));
    a->set_purpose(v1::ACCOUNT_PURPOSE_SCHOOL_OPERATING);
  }
  v1::CreateAccountsResponse opened;
  grpc::ClientContext open_context;
  if (!stub->CreateAccounts(&open_context, open, &opened).ok()) return false;

  auto start = Clock::now();
  if (!PostMany(*stub, "one", transfers)) return false;
  figures.one_client_per_second = transfers / Seconds(start);

  constexpr int kClients = 4;
  std::atomic<bool> ok{true};
  start = Clock::now();
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      auto own = v1::FundingLedgerService::NewStub(channel);
      if (!PostMany(*own, "many" + std::to_string(c), transfers / kClients)) ok = false;
    });
  }
  for (std::thread& t : clients) t.join();
  if (!ok) return false;
  figures.four_clients_per_second = transfers / Seconds(start);

  start = Clock::now();
  v1::VerifyJournalResponse verified;
  grpc::ClientContext verify_context;
  if (!stub->VerifyJournal(&verify_context, v1::VerifyJournalRequest(), &verified).ok()) return false;
  figures.verify_seconds = Seconds(start);
  figures.entries = verified.entries_checked();
  runner.Shutdown(std::chrono::milliseconds(100));
  if (!verified.ok())
    std::fprintf(gzedu::benchmarks::Terminal(), "VerifyJournal: %s\n", verified.first_problem().c_str());
  return verified.ok();
}

}  // namespace

int main(int argc, char** argv) {
  const bool verbose = gzedu::benchmarks::TakeVerboseFlag(argc, argv);
  const int transfers = gzedu::benchmarks::CountArgument(
      argc, argv, 100000,
      "ledger_load [--verbose] [TRANSFERS [DATABASE]]: transfers posted in batches of 100 from 1 client, then 4, "
      "on SQLite and, given DATABASE (an empty PostgreSQL database), on PostgreSQL\n");
  gzedu::SetLogLevel(gzedu::LogLevel::kError);
  char dir_template[] = "/tmp/gzedu-ledger-load-XXXXXX";
  const std::string dir = mkdtemp(dir_template);
  gzedu::benchmarks::ServerLog server_log(dir, verbose);
  std::vector<std::string> databases = {"sqlite:" + dir + "/ledger.db"};
  if (argc > 2) databases.push_back(argv[2]);
  std::printf(
      "%d transfers in batches of %d from 1 client, then %d more from 4; each batch atomic and on disk when "
      "acknowledged\n",
      transfers, kBatch, transfers);
  std::printf("%-12s %16s %16s %24s\n", "storage", "1 client/s", "4 clients/s", "VerifyJournal");
  bool ok = true;
  for (const std::string& database : databases) {
    Figures f;
    if (!Run(database, transfers, f)) {
      std::fprintf(gzedu::benchmarks::Terminal(), "failed on %s\n", gzedu::RedactDatabaseUrl(database).c_str());
      ok = false;
      continue;
    }
    std::printf("%-12s %16.0f %16.0f %10lld entries %5.2f s\n",
                database.rfind("sqlite", 0) == 0 ? "SQLite" : "PostgreSQL", f.one_client_per_second,
                f.four_clients_per_second, static_cast<long long>(f.entries), f.verify_seconds);
    std::fflush(stdout);
  }
  if (!ok && !server_log.path().empty()) {
    std::fprintf(gzedu::benchmarks::Terminal(), "the servers' log lines: %s\n", server_log.path().c_str());
    return 1;
  }
  std::filesystem::remove_all(dir);
  return ok ? 0 : 1;
}
