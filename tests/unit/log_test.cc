// The log line: valid JSON, one line per call, escaped exactly as
// nlohmann::json dumps it (the form the lines had when they were built as a
// JSON tree), never interleaved between threads.
#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "common/grpc/rpc_call.h"
#include "common/logging/log.h"
#include "common/status/server_state.h"
#include "tests/support/subprocess.h"

namespace gzedu {
namespace {

// What the old writer produced for a string: nlohmann's dump, invalid UTF-8
// replaced.
std::string Reference(const std::string& text) {
  return nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Runs `write` with stderr sent to a file and returns what was written.
template <typename Write>
std::string CaptureStderr(Write write) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/stderr";
  const int file = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  const int saved = ::dup(STDERR_FILENO);
  ::dup2(file, STDERR_FILENO);
  write();
  ::dup2(saved, STDERR_FILENO);
  ::close(saved);
  ::close(file);
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::stringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

const std::vector<std::string>& HardStrings() {
  static const std::vector<std::string> strings = {
      "plain",
      "",
      "say \"hi\" \\ back\\slash",
      std::string("nul \0 bell \a tab \t newline \n return \r formfeed \f backspace \b esc \x1b del \x7f end"),
      std::string("nul \0 inside", 13),
      "区教育局：天河区",
      "emoji 😀 and U+10FFFF \xf4\x8f\xbf\xbf",
      "lone bytes \xff\xfe end",
      "truncated \xe4\xb8",
      "overlong \xc0\xaf and \xe0\x80\xaf",
      "surrogate \xed\xa0\x80",
      "above U+10FFFF \xf4\x90\x80\x80",
      "continuation alone \x80",
      "中文\"引号\"与\n换行",
  };
  return strings;
}

TEST(LogTest, StringsAreEscapedExactlyAsNlohmannDumpsThem) {
  for (const std::string& text : HardStrings()) {
    std::string escaped;
    AppendJsonString(escaped, text);
    EXPECT_EQ(escaped, Reference(text)) << text;
    EXPECT_NO_THROW(nlohmann::json::parse(escaped)) << escaped;
  }
}

TEST(LogTest, ChineseStaysReadableNotEscaped) {
  std::string escaped;
  AppendJsonString(escaped, "区教育局");
  EXPECT_EQ(escaped, "\"区教育局\"");
}

TEST(LogTest, ALineIsTheJsonObjectTheFieldsMakeWithKeysInOrder) {
  for (const std::string& text : HardStrings()) {
    const std::string out = CaptureStderr([&] {
      LogFields fields;
      fields.Add("method", "GetSchool").Add("error", text).Add("duration_ms", 0.125).Add(text, "as a key");
      fields.Add("method", "ListSchools");  // replaces
      Log(LogLevel::kWarning, "rpc", fields);
    });
    const std::vector<std::string> lines = Lines(out);
    ASSERT_EQ(lines.size(), 1u) << out;
    const nlohmann::json parsed = nlohmann::json::parse(lines[0]);
    // The same object built as a tree and dumped: byte for byte the line.
    nlohmann::json expected = {{"ts", parsed["ts"]},           {"level", "warning"},      {"msg", "rpc"},
                               {"service", parsed["service"]}, {"method", "ListSchools"}, {"duration_ms", 0.125}};
    expected["error"] = nlohmann::json::parse(Reference(text));
    expected[nlohmann::json::parse(Reference(text)).get<std::string>()] = "as a key";
    EXPECT_EQ(lines[0], expected.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
}

TEST(LogTest, JsonFieldsAndTheThreadsRequestIdAreWritten) {
  const std::string out = CaptureStderr([] {
    ScopedLogContext context(LogContext{"school-registry", "req-\"1\""});
    Log(LogLevel::kInfo, "audit", {{"districts", {"440103", "440114"}}, {"count", 3}, {"ok", true}});
  });
  const nlohmann::json line = nlohmann::json::parse(Lines(out).at(0));
  EXPECT_EQ(line["districts"], nlohmann::json({"440103", "440114"}));
  EXPECT_EQ(line["count"], 3);
  EXPECT_EQ(line["ok"], true);
  EXPECT_EQ(line["service"], "school-registry");
  EXPECT_EQ(line["request_id"], "req-\"1\"");
}

TEST(LogTest, LinesFromManyThreadsNeverInterleave) {
  // Lines longer than a pipe's atomic write (4096 bytes), from 4 threads.
  const std::string long_text(6000, 'x');
  constexpr int kThreads = 4;
  constexpr int kLinesPerThread = 200;
  const std::string out = CaptureStderr([&] {
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kLinesPerThread; ++i) {
          LogFields fields;
          fields.Add("thread", std::to_string(t)).Add("text", long_text);
          Log(LogLevel::kInfo, "rpc", fields);
        }
      });
    }
    for (std::thread& thread : threads) thread.join();
  });
  const std::vector<std::string> lines = Lines(out);
  ASSERT_EQ(lines.size(), static_cast<size_t>(kThreads * kLinesPerThread));
  for (const std::string& line : lines) {
    const nlohmann::json parsed = nlohmann::json::parse(line);
    EXPECT_EQ(parsed["text"], long_text);
  }
}

}  // namespace
}  // namespace gzedu

namespace gzedu {
namespace {

// UNAVAILABLE is an error in the access log, but not when it reports the
// server's own state (waiting for its database, not connected to its
// sources yet, shutting down): that is a warning.
TEST(LogTest, RefusalsForTheServersStateAreWarningsOtherUnavailableAnswersErrors) {
  const std::string out = CaptureStderr([] {
    {
      RpcCall call(nullptr, "GetSchool");
      call.Finish(MarkServerState(absl::UnavailableError("the service is starting: waiting for the migration lock")));
    }
    {
      RpcCall call(nullptr, "GetSchool");
      call.Finish(absl::UnavailableError("PostgreSQL unreachable"));
    }
  });
  const std::vector<std::string> lines = Lines(out);
  ASSERT_EQ(lines.size(), 2u) << out;
  EXPECT_EQ(nlohmann::json::parse(lines[0])["level"], "warning") << lines[0];
  EXPECT_EQ(nlohmann::json::parse(lines[1])["level"], "error") << lines[1];
  EXPECT_TRUE(IsServerStateRefusal(MarkServerState(absl::UnavailableError("x"))));
  EXPECT_FALSE(IsServerStateRefusal(absl::UnavailableError("x")));
  EXPECT_FALSE(IsServerStateRefusal(MarkServerState(absl::OkStatus())));
}

}  // namespace
}  // namespace gzedu
