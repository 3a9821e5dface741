#ifndef GZEDU_BENCHMARKS_SERVER_LOG_H_
#define GZEDU_BENCHMARKS_SERVER_LOG_H_

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace gzedu::benchmarks {

// Where the tool's own messages go: the stderr the process started with,
// whether or not a ServerLog has moved the servers' lines away.
inline std::FILE*& Terminal() {
  static std::FILE* terminal = stderr;
  return terminal;
}

// The log lines of a load tool's in-process servers. They log to stderr as
// every server does, an audit record for each write batch among them (audit
// records are written whatever --log-level says: the rule for real servers
// stays); in a load tool those would drown its table. Unless `verbose`, the
// process's stderr goes to `directory`/servers.log while this lives, and the
// tool writes its own messages to Terminal(). Create one in main() before
// any server starts; not thread-safe.
class ServerLog {
 public:
  ServerLog(const std::string& directory, bool verbose) {
    if (verbose) return;
    const std::string path = directory + "/servers.log";
    const int file = open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (file < 0) return;
    saved_stderr_ = dup(STDERR_FILENO);
    Terminal() = saved_stderr_ < 0 ? stderr : fdopen(saved_stderr_, "w");
    if (Terminal() == nullptr) Terminal() = stderr;
    std::fflush(stderr);
    dup2(file, STDERR_FILENO);
    close(file);
    path_ = path;
  }
  ~ServerLog() {
    if (path_.empty()) return;
    std::fflush(stderr);
    std::fflush(Terminal());
    dup2(saved_stderr_, STDERR_FILENO);
    if (Terminal() != stderr) std::fclose(Terminal());  // closes saved_stderr_
    Terminal() = stderr;
  }
  ServerLog(const ServerLog&) = delete;
  ServerLog& operator=(const ServerLog&) = delete;

  // The file the servers' lines go to; empty when they stay on stderr.
  const std::string& path() const { return path_; }

 private:
  int saved_stderr_ = -1;
  std::string path_;
};

// Removes every "--verbose" from argv (so the positional arguments keep
// their places); true when there was one.
// The count a load tool's first argument gives (`fallback` when absent);
// prints `usage` and exits, 0 for --help and 2 for anything but a positive
// whole number or another flag.
inline int CountArgument(int argc, char** argv, int fallback, const char* usage) {
  if (argc < 2) return fallback;
  const std::string arg = argv[1];
  if (arg == "--help" || arg == "-h") {
    std::printf("%s", usage);
    std::exit(0);
  }
  char* end = nullptr;
  const long value = std::strtol(arg.c_str(), &end, 10);
  if (arg.empty() || *end != '\0' || value <= 0 || value > 100000000) {
    std::fprintf(stderr, "%s: not a count of rows\n%s", arg.c_str(), usage);
    std::exit(2);
  }
  return static_cast<int>(value);
}

inline bool TakeVerboseFlag(int& argc, char** argv) {
  bool verbose = false;
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--verbose") == 0) {
      verbose = true;
    } else {
      argv[kept++] = argv[i];
    }
  }
  argc = kept;
  argv[argc] = nullptr;
  return verbose;
}

}  // namespace gzedu::benchmarks

#endif  // GZEDU_BENCHMARKS_SERVER_LOG_H_
