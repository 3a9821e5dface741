#include "tests/support/postgres_server.h"

#include <pwd.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "common/storage/postgres_database.h"

namespace gzedu::testing {
namespace {

std::string BinDir() {
  const char* dir = std::getenv("GZEDU_PG_BINDIR");
  return dir != nullptr ? dir : "/usr/lib/postgresql/15/bin";
}

// Runs `argv` as user postgres when we are root (PostgreSQL refuses root).
std::vector<std::string> AsPostgres(std::vector<std::string> argv) {
  if (geteuid() != 0) return argv;
  std::vector<std::string> wrapped = {"setpriv",        "--reuid=postgres", "--regid=postgres",
                                      "--clear-groups", "--reset-env",      "--"};
  wrapped.insert(wrapped.end(), argv.begin(), argv.end());
  return wrapped;
}

std::string NewDatabaseOn(const std::string& base_url) {
  static std::atomic<int> counter{0};
  const std::string name = "gzedu_test_" + std::to_string(getpid()) + "_" + std::to_string(counter++) + "_" +
                           std::to_string(std::chrono::steady_clock::now().time_since_epoch().count() % 100000);
  PostgresConnection admin(base_url + "/postgres", nullptr);
  const absl::Status status = admin.Exec("CREATE DATABASE " + name);
  EXPECT_TRUE(status.ok()) << "CREATE DATABASE on " << base_url << ": " << status;
  return base_url + "/" + name;
}

}  // namespace

PostgresServer::PostgresServer() : port_(FreeLoopbackPort()) {
  char pattern[] = "/tmp/gzedu-pg-XXXXXX";
  dir_ = mkdtemp(pattern);
  if (geteuid() == 0) {
    const passwd* user = getpwnam("postgres");
    if (user == nullptr) {
      ADD_FAILURE() << "running as root, and there is no user postgres to run PostgreSQL as";
      return;
    }
    if (chown(dir_.c_str(), user->pw_uid, user->pw_gid) != 0) ADD_FAILURE() << "chown " << dir_;
  }
  std::string out, err;
  const int code = RunCommand(AsPostgres({BinDir() + "/initdb", "-D", dir_ + "/data", "-U", "postgres", "-A", "trust",
                                          "-E", "UTF8", "--no-locale", "--no-sync"}),
                              &out, &err);
  if (code != 0) {
    ADD_FAILURE() << "initdb failed (" << code << "): " << err;
    return;
  }
  Start();
}

PostgresServer::~PostgresServer() {
  Stop();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

void PostgresServer::Start() {
  // Durability settings off: a throwaway test cluster; visibility and
  // locking, what the tests check, do not depend on them.
  process_ = std::make_unique<Subprocess>(
      AsPostgres({BinDir() + "/postgres", "-D", dir_ + "/data", "-p", std::to_string(port_), "-c",
                  "listen_addresses=127.0.0.1", "-k", dir_, "-c", "fsync=off", "-c", "synchronous_commit=off", "-c",
                  "full_page_writes=off", "-c", "max_connections=200"}));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    PostgresConnection probe(Url("postgres"), nullptr);
    if (probe.EnsureConnected().ok()) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ADD_FAILURE() << "postgres did not start on port " << port_ << ": " << process_->stderr_text();
}

void PostgresServer::Stop() {
  if (process_) process_->Stop(SIGINT);
  process_.reset();
}

std::string PostgresServer::Url(const std::string& database) const {
  return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/" + database;
}

std::string PostgresServer::CreateDatabase() {
  const std::string base = Url("");
  return NewDatabaseOn(base.substr(0, base.size() - 1));
}

std::string FreshPostgresDatabase() {
  const char* shared = std::getenv("GZEDU_TEST_POSTGRES_URL");
  if (shared != nullptr && *shared != '\0') return NewDatabaseOn(shared);
  static PostgresServer own;  // stopped when the process exits
  return own.CreateDatabase();
}

}  // namespace gzedu::testing
