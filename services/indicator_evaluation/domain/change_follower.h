#ifndef GZEDU_SERVICES_INDICATOR_EVALUATION_DOMAIN_CHANGE_FOLLOWER_H_
#define GZEDU_SERVICES_INDICATOR_EVALUATION_DOMAIN_CHANGE_FOLLOWER_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "services/indicator_evaluation/domain/evaluation_repository.h"
#include "services/indicator_evaluation/domain/indicator_evaluation.h"
#include "services/indicator_evaluation/domain/source_reader.h"
#include "services/indicator_evaluation/domain/source_versions.h"

namespace gzedu::indicators {

// Keeps the watched evaluations current. It reads each source's change feed
// (and the returns') from where it last stopped, re-evaluates every
// district-year the changes touched, and only then moves its stored read
// positions: a crash or an unavailable source means the same changes are
// read again (at least once; re-evaluating is idempotent), never skipped.
// Events (Wake) make it run at once; without them it still polls, so a lost
// event or a Redis outage delays an update by at most one poll interval.
// Thread-safe.
class ChangeFollower {
 public:
  struct Options {
    std::chrono::milliseconds poll_interval{2000};
    std::chrono::milliseconds retry_interval{1000};
    int32_t page_size = 1000;
  };
  // Told after each round how far behind each source the follower is
  // (changes not yet applied).
  using LagObserver = std::function<void(const std::string& source, int64_t lag)>;

  ChangeFollower(EvaluationRepository* repository, SourceReader* sources, IndicatorEvaluation* evaluation,
                 Options options, LagObserver lag_observer = nullptr)
      : repository_(repository),
        sources_(sources),
        evaluation_(evaluation),
        options_(options),
        lag_observer_(std::move(lag_observer)) {}
  ~ChangeFollower() { Stop(); }

  void Start();
  void Stop();
  // Runs a round soon (a change event arrived).
  void Wake();
  // Told each source's latest version after every read of its changes.
  // Call before Start().
  void set_source_versions(SourceVersions* versions) { versions_ = versions; }
  // One round, in the caller's thread: UNAVAILABLE when a source or the
  // store is (positions then stay where they were).
  absl::Status CatchUp();

 private:
  void Run();

  EvaluationRepository* repository_;
  SourceReader* sources_;
  IndicatorEvaluation* evaluation_;
  const Options options_;
  const LagObserver lag_observer_;
  SourceVersions* versions_ = nullptr;
  std::mutex round_mutex_;  // one round at a time
  std::mutex mutex_;
  std::condition_variable cv_;
  bool woken_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace gzedu::indicators

#endif  // GZEDU_SERVICES_INDICATOR_EVALUATION_DOMAIN_CHANGE_FOLLOWER_H_
