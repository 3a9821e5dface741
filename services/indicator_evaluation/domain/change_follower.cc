#include "services/indicator_evaluation/domain/change_follower.h"

#include <map>
#include <set>
#include <vector>

#include "common/logging/log.h"
#include "common/status/macros.h"
#include "common/status/status_text.h"

namespace gzedu::indicators {

void ChangeFollower::Start() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  woken_ = true;  // catch up with whatever happened while stopped
  // The follower logs for whichever service started it.
  thread_ = std::thread([this, log_context = CurrentLogContext()] {
    ScopedLogContext scope(log_context);
    Run();
  });
}

void ChangeFollower::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ChangeFollower::Wake() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    woken_ = true;
  }
  cv_.notify_all();
}

void ChangeFollower::Run() {
  std::chrono::milliseconds wait = options_.poll_interval;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      cv_.wait_for(lock, wait, [this] { return stopping_ || woken_; });
      if (stopping_) return;
      woken_ = false;
    }
    absl::Status status = CatchUp();
    if (!status.ok()) {
      Log(LogLevel::kWarning, "change follower round failed; will retry", {{"error", StatusText(status)}});
      wait = options_.retry_interval;
    } else {
      wait = options_.poll_interval;
    }
  }
}

absl::Status ChangeFollower::CatchUp() {
  std::lock_guard<std::mutex> round(round_mutex_);
  // district -> years touched (0: every watched year of the district).
  std::map<std::string, std::set<int32_t>> touched;
  std::map<std::string, int64_t> positions;
  for (const std::string source : {"registry", "rotation", "ledger"}) {
    ASSIGN_OR_RETURN(int64_t cursor, repository_->GetCursor(source));
    int64_t latest = 0;
    for (;;) {
      ASSIGN_OR_RETURN(std::vector<SourceChange> changes,
                       sources_->ChangesSince(source, cursor, options_.page_size, &latest));
      for (const SourceChange& change : changes) {
        if (!change.district_code.empty()) touched[change.district_code].insert(change.school_year);
        cursor = std::max(cursor, change.change_version);
      }
      if (static_cast<int32_t>(changes.size()) < options_.page_size) break;
    }
    positions[source] = cursor;
    if (versions_ != nullptr) versions_->Observe(source, latest);
    if (lag_observer_) lag_observer_(source, std::max<int64_t>(0, latest - cursor));
  }
  {
    ASSIGN_OR_RETURN(int64_t cursor, repository_->GetCursor("returns"));
    for (;;) {
      ASSIGN_OR_RETURN(std::vector<ReturnChange> changes, repository_->ReturnChangesSince(cursor, options_.page_size));
      for (const ReturnChange& change : changes) {
        touched[change.district_code].insert(change.school_year);
        cursor = std::max(cursor, change.change_version);
      }
      if (static_cast<int32_t>(changes.size()) < options_.page_size) break;
    }
    positions["returns"] = cursor;
    if (versions_ != nullptr) versions_->Observe("returns", cursor);
  }
  for (const auto& [district, years] : touched) {
    for (int32_t year : years) RETURN_IF_ERROR(evaluation_->Refresh(district, year));
  }
  for (const auto& [source, cursor] : positions) RETURN_IF_ERROR(repository_->PutCursor(source, cursor));
  return absl::OkStatus();
}

}  // namespace gzedu::indicators
