#ifndef GZEDU_TESTS_SUPPORT_POSTGRES_SERVER_H_
#define GZEDU_TESTS_SUPPORT_POSTGRES_SERVER_H_

// A real PostgreSQL 15 server for tests: a fresh cluster (initdb) in a
// temporary directory, listening on a free loopback port, trust
// authentication for user postgres. As root it runs as the system user
// `postgres` (PostgreSQL refuses root). It can be stopped and started again on
// the same port (a database outage). Not thread-safe.

#include <memory>
#include <string>

#include "tests/support/subprocess.h"

namespace gzedu::testing {

class PostgresServer {
 public:
  PostgresServer();  // initdb and Start(); a test failure if either fails
  ~PostgresServer();

  // Starts the server and waits until it accepts connections.
  void Start();
  // Fast shutdown: open sessions are ended.
  void Stop();

  // postgresql://postgres@127.0.0.1:PORT/DATABASE
  std::string Url(const std::string& database) const;
  // A new empty database on this server, as its URL.
  std::string CreateDatabase();
  // The postmaster's process id (-1 while stopped), e.g. to freeze it.
  pid_t pid() const { return process_ ? process_->pid() : -1; }

 private:
  std::string dir_;
  int port_;
  std::unique_ptr<Subprocess> process_;
};

// A new empty database on the test run's PostgreSQL server, as its URL:
// the server at GZEDU_TEST_POSTGRES_URL (postgresql://USER@HOST:PORT, which
// scripts/test starts), or else one this process starts once.
std::string FreshPostgresDatabase();

}  // namespace gzedu::testing

#endif  // GZEDU_TESTS_SUPPORT_POSTGRES_SERVER_H_
