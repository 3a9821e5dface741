#ifndef GZEDU_TESTS_SUPPORT_SUBPROCESS_H_
#define GZEDU_TESTS_SUPPORT_SUBPROCESS_H_

#include <sys/types.h>

#include <string>
#include <vector>

namespace gzedu::testing {

// A child process for integration tests: started with arguments, stdout
// captured through a pipe, stderr into a temporary file (so a chatty server
// never blocks on a full pipe while the test is busy elsewhere). Not
// thread-safe.
class Subprocess {
 public:
  // Starts `argv[0]` with `argv`; aborts the test program if fork fails.
  explicit Subprocess(const std::vector<std::string>& argv);
  ~Subprocess();  // kills (SIGKILL) and reaps the child if still running

  // Reads stdout until a line starting with `prefix` arrives and returns it
  // (without the newline); empty if stdout closes first or `timeout_ms`
  // passes.
  std::string WaitForLine(const std::string& prefix, int timeout_ms = 20000);

  // Sends `signal` and waits for the child; returns its exit status as
  // waitpid reports it.
  int Stop(int signal);
  // Waits for the child to exit by itself; returns its exit code (or 128 +
  // signal), and collects the rest of its output.
  int Wait();

  const std::string& stdout_text() const { return stdout_; }
  // Everything the child wrote to stderr so far.
  const std::string& stderr_text();
  pid_t pid() const { return pid_; }

 private:
  void Drain(int timeout_ms);

  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string stderr_path_;
  std::string stdout_;
  std::string stderr_;
  size_t stdout_scanned_ = 0;
};

// The value of `key=` in a line of space-separated key=value words, e.g.
// WordValue("listening grpc=127.0.0.1:5 metrics=...", "grpc") is
// "127.0.0.1:5"; empty when absent.
std::string WordValue(const std::string& line, const std::string& key);

// Runs a command to completion; returns its exit code and fills the
// outputs.
int RunCommand(const std::vector<std::string>& argv, std::string* out, std::string* err);

// A loopback port the kernel had free a moment ago.
int FreeLoopbackPort();

// GET http://HOST:PORT/path over a plain socket; returns the body, or an
// empty string on failure.
std::string HttpGet(const std::string& host_port, const std::string& path);

// A fresh directory under $TMPDIR, removed with its contents on
// destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace gzedu::testing

#endif  // GZEDU_TESTS_SUPPORT_SUBPROCESS_H_
