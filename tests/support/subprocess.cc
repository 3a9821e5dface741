#include "tests/support/subprocess.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace gzedu::testing {
namespace {

bool ReadSome(int fd, std::string& out) {
  char buffer[8192];
  const ssize_t n = read(fd, buffer, sizeof buffer);
  if (n <= 0) return false;
  out.append(buffer, static_cast<size_t>(n));
  return true;
}

}  // namespace

Subprocess::Subprocess(const std::vector<std::string>& argv) {
  int out_pipe[2];
  if (pipe(out_pipe) != 0) std::abort();
  const char* tmp = std::getenv("TMPDIR");
  std::string err_template = std::string(tmp != nullptr ? tmp : "/tmp") + "/gzedu-stderr-XXXXXX";
  const int err_fd = mkstemp(err_template.data());
  if (err_fd < 0) std::abort();
  stderr_path_ = err_template;
  pid_ = fork();
  if (pid_ < 0) std::abort();
  if (pid_ == 0) {
    // The child must not inherit blocked signals, or SIGTERM would never
    // reach a server that does not block it itself.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    dup2(out_pipe[1], STDOUT_FILENO);
    dup2(err_fd, STDERR_FILENO);
    close(out_pipe[0]);
    std::vector<char*> args;
    for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());  // a bare name is looked up on PATH (redis-server)
    std::fprintf(stderr, "exec %s: %s\n", args[0], std::strerror(errno));
    _exit(127);
  }
  close(out_pipe[1]);
  close(err_fd);
  stdout_fd_ = out_pipe[0];
}

Subprocess::~Subprocess() {
  if (pid_ > 0) Stop(SIGKILL);
  if (stdout_fd_ >= 0) close(stdout_fd_);
  unlink(stderr_path_.c_str());
}

const std::string& Subprocess::stderr_text() {
  std::ifstream in(stderr_path_, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  stderr_ = text.str();
  return stderr_;
}

void Subprocess::Drain(int timeout_ms) {
  pollfd fds[1] = {{stdout_fd_, POLLIN, 0}};
  if (poll(fds, 1, timeout_ms) <= 0) return;
  if (fds[0].revents & (POLLIN | POLLHUP)) {
    if (!ReadSome(stdout_fd_, stdout_)) {
      close(stdout_fd_);
      stdout_fd_ = -1;
    }
  }
}

std::string Subprocess::WaitForLine(const std::string& prefix, int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    size_t start = 0;
    while (true) {
      const size_t end = stdout_.find('\n', start);
      if (end == std::string::npos) break;
      if (end >= stdout_scanned_ && stdout_.compare(start, prefix.size(), prefix) == 0) {
        stdout_scanned_ = end + 1;
        return stdout_.substr(start, end - start);
      }
      start = end + 1;
    }
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || stdout_fd_ < 0) return "";
    Drain(static_cast<int>(left.count()));
  }
}

int Subprocess::Stop(int signal) {
  if (pid_ <= 0) return -1;
  kill(pid_, signal);
  return Wait();
}

int Subprocess::Wait() {
  while (stdout_fd_ >= 0) Drain(1000);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

std::string WordValue(const std::string& line, const std::string& key) {
  const std::string needle = key + "=";
  size_t start = 0;
  while (start < line.size()) {
    size_t end = line.find(' ', start);
    if (end == std::string::npos) end = line.size();
    if (line.compare(start, needle.size(), needle) == 0) {
      return line.substr(start + needle.size(), end - start - needle.size());
    }
    start = end + 1;
  }
  return "";
}

int RunCommand(const std::vector<std::string>& argv, std::string* out, std::string* err) {
  Subprocess process(argv);
  const int code = process.Wait();
  if (out != nullptr) *out = process.stdout_text();
  if (err != nullptr) *err = process.stderr_text();
  return code;
}

std::string HttpGet(const std::string& host_port, const std::string& path) {
  const size_t colon = host_port.rfind(':');
  const std::string host = host_port.substr(0, colon);
  const std::string port = host_port.substr(colon + 1);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* result = nullptr;
  if (getaddrinfo(host.c_str(), port.c_str(), &hints, &result) != 0) return "";
  const int fd = socket(result->ai_family, result->ai_socktype, result->ai_protocol);
  const bool connected = fd >= 0 && connect(fd, result->ai_addr, result->ai_addrlen) == 0;
  freeaddrinfo(result);
  if (!connected) {
    if (fd >= 0) close(fd);
    return "";
  }
  const std::string request = "GET " + path + " HTTP/1.0\r\nHost: " + host_port + "\r\n\r\n";
  if (write(fd, request.data(), request.size()) != static_cast<ssize_t>(request.size())) {
    close(fd);
    return "";
  }
  std::string response;
  while (ReadSome(fd, response)) {
  }
  close(fd);
  const size_t body = response.find("\r\n\r\n");
  return body == std::string::npos ? "" : response.substr(body + 4);
}

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base != nullptr ? base : "/tmp") + "/gzedu-test-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) std::abort();
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

int FreeLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  socklen_t length = sizeof(address);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

}  // namespace gzedu::testing
