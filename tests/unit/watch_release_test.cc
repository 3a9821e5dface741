// Watchers that fall behind (issue 15): a status they can read, and
// release of the ones that never read again.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "services/indicator_evaluation/domain/watch_hub.h"
#include "services/indicator_evaluation/storage/in_memory_evaluation_repository.h"

namespace gzedu::indicators {
namespace {

int64_t NowMs() { return 0; }

IndicatorUpdate Update(int64_t version) {
  IndicatorUpdate u;
  u.version = version;
  u.district_code = "440114";
  u.school_year = 2024;
  engine::IndicatorResult r;
  r.indicator_id = "R1";
  r.value = static_cast<double>(version);
  u.indicators.push_back(r);
  return u;
}

// Waits (up to 5 s) for `condition`.
template <typename Condition>
bool Eventually(Condition condition) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return condition();
}

TEST(WatchReleaseTest, AWatcherThatFellBehindEndsAbortedNamingTheVersionToResumeAfter) {
  InMemoryEvaluationRepository repository;
  WatchHub::Options options;
  options.queue_capacity = 3;
  WatchHub hub(&repository, options, NowMs);
  auto watcher = hub.Subscribe({}, [] {});
  hub.Publish(Update(1));
  ASSERT_TRUE(Eventually([&] { return !watcher->Done() && watcher->Pop().has_value(); }));  // version 1 taken
  for (int64_t v = 2; v <= 10; ++v) hub.Publish(Update(v));
  ASSERT_TRUE(Eventually([&] { return !watcher->ending().ok(); }));
  const auto message = watcher->Pop();
  ASSERT_TRUE(message.has_value());
  ASSERT_TRUE(std::holds_alternative<ResyncRequired>((*message)->event));
  EXPECT_EQ(std::get<ResyncRequired>((*message)->event).last_delivered_version, 1);
  EXPECT_TRUE(watcher->Done());
  EXPECT_FALSE(watcher->Abandoned());
  EXPECT_EQ(watcher->ending().code(), absl::StatusCode::kAborted);
  EXPECT_NE(watcher->ending().message().find("resume_after_version = 1"), std::string::npos)
      << watcher->ending().message();
}

TEST(WatchReleaseTest, AWatcherThatFellBehindAndReadsNothingIsReleased) {
  InMemoryEvaluationRepository repository;
  WatchHub::Options options;
  options.queue_capacity = 2;
  options.release_after = std::chrono::milliseconds(0);
  WatchHub hub(&repository, options, NowMs);
  int ready_calls = 0;
  std::mutex mutex;
  auto stuck = hub.Subscribe({}, [&] {
    std::lock_guard<std::mutex> lock(mutex);
    ++ready_calls;
  });
  auto reading = hub.Subscribe({}, [] {});
  ASSERT_TRUE(Eventually([&] { return hub.watcher_count() == 2; }));
  for (int64_t v = 1; v <= 5; ++v) {
    hub.Publish(Update(v));
    ASSERT_TRUE(Eventually([&] { return reading->Pop().has_value(); }));
  }
  // The stuck one overflowed; a later fan-out gives up on it: the transport
  // is told (on_ready) and cancels its stream, and the hub forgets it.
  EXPECT_TRUE(Eventually([&] { return stuck->Abandoned(); }));
  EXPECT_TRUE(stuck->Done());
  EXPECT_FALSE(stuck->Pop().has_value());  // its queue is gone
  hub.Publish(Update(6));
  EXPECT_TRUE(Eventually([&] { return hub.watcher_count() == 1; }));
  EXPECT_FALSE(reading->Abandoned());
  std::lock_guard<std::mutex> lock(mutex);
  EXPECT_GT(ready_calls, 0);
}

TEST(WatchReleaseTest, WatchersEndUnavailableWhenTheHubShutsDown) {
  InMemoryEvaluationRepository repository;
  WatchHub hub(&repository, {}, NowMs);
  auto watcher = hub.Subscribe({}, [] {});
  ASSERT_TRUE(Eventually([&] { return hub.watcher_count() == 1; }));
  hub.Shutdown();
  while (watcher->Pop().has_value()) {
  }
  EXPECT_TRUE(watcher->Done());
  EXPECT_EQ(watcher->ending().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace gzedu::indicators
