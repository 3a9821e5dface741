#ifndef GZEDU_BENCHMARKS_SERVE_SUITE_H_
#define GZEDU_BENCHMARKS_SERVE_SUITE_H_

// The load tools' server: `gzedu serve` as a child process on port 0 with a
// data directory, its address read from its first line; SIGTERM on
// destruction.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace gzedu::benchmarks {

class Suite {
 public:
  Suite(const std::string& gzedu, const std::string& data_dir) {
    int out[2];
    if (pipe(out) != 0) std::abort();
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      close(out[0]);
      const std::string dir = "--data-dir=" + data_dir;
      freopen("/dev/null", "w", stderr);
      execl(gzedu.c_str(), gzedu.c_str(), "serve", "--listen=127.0.0.1:0", "--metrics-listen=127.0.0.1:0", dir.c_str(),
            static_cast<char*>(nullptr));
      _exit(127);
    }
    close(out[1]);
    std::string line;
    char c;
    while (read(out[0], &c, 1) == 1 && c != '\n') line += c;
    out_fd_ = out[0];
    const size_t at = line.find("grpc=");
    if (at == std::string::npos) {
      std::fprintf(stderr,
                   "gzedu serve did not start (%s serve --data-dir=%s); give another binary with --gzedu=PATH\n",
                   gzedu.c_str(), data_dir.c_str());
      std::exit(1);
    }
    address_ = line.substr(at + 5, line.find(' ', at) - at - 5);
  }
  ~Suite() {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
    close(out_fd_);
  }
  const std::string& address() const { return address_; }

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  std::string address_;
};

}  // namespace gzedu::benchmarks

#endif  // GZEDU_BENCHMARKS_SERVE_SUITE_H_
