#include "common/grpc/health_service.h"

#include <optional>

namespace gzedu {

using grpc::health::v1::HealthCheckResponse;

// One Watch stream: writes one status at a time; a status that changes
// while a write is in flight is sent after it (only the latest one).
class HealthStatuses::Watcher : public grpc::ServerWriteReactor<HealthCheckResponse> {
 public:
  Watcher(HealthStatuses* statuses, std::string name) : statuses_(statuses), name_(std::move(name)) {
    statuses_->Add(this);
  }

  // Called with the statuses' lock held.
  void Update(HealthCheckResponse::ServingStatus status) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (finishing_) return;
    pending_ = status;
    WriteLocked();
  }
  // Called with the statuses' lock held: NOT_SERVING, then UNAVAILABLE.
  void End() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (finishing_) return;
    pending_ = HealthCheckResponse::NOT_SERVING;
    end_requested_ = true;
    WriteLocked();
  }
  const std::string& name() const { return name_; }

  void OnWriteDone(bool ok) override {
    std::lock_guard<std::mutex> lock(mutex_);
    writing_ = false;
    if (!ok) {
      FinishLocked(grpc::Status(grpc::StatusCode::CANCELLED, "the watcher left"));
      return;
    }
    WriteLocked();
  }
  void OnCancel() override {
    std::lock_guard<std::mutex> lock(mutex_);
    FinishLocked(grpc::Status::CANCELLED);
  }
  void OnDone() override {
    statuses_->Remove(this);
    delete this;
  }

 private:
  void WriteLocked() {
    if (finishing_ || writing_) return;
    if (pending_.has_value()) {
      if (pending_ != last_sent_) {
        response_.set_status(*pending_);
        last_sent_ = pending_;
        pending_.reset();
        writing_ = true;
        StartWrite(&response_);
        return;
      }
      pending_.reset();
    }
    if (end_requested_) FinishLocked(grpc::Status(grpc::StatusCode::UNAVAILABLE, "the server is shutting down"));
  }
  void FinishLocked(const grpc::Status& status) {
    if (finishing_) return;
    finishing_ = true;
    Finish(status);
  }

  HealthStatuses* statuses_;
  const std::string name_;
  std::mutex mutex_;
  HealthCheckResponse response_;
  std::optional<HealthCheckResponse::ServingStatus> pending_;
  std::optional<HealthCheckResponse::ServingStatus> last_sent_;
  bool writing_ = false;
  bool end_requested_ = false;
  bool finishing_ = false;
};

namespace {

HealthCheckResponse::ServingStatus StatusOf(const std::map<std::string, bool>& serving, const std::string& name) {
  auto it = serving.find(name);
  if (it == serving.end()) return HealthCheckResponse::SERVICE_UNKNOWN;
  return it->second ? HealthCheckResponse::SERVING : HealthCheckResponse::NOT_SERVING;
}

}  // namespace

void HealthStatuses::Set(const std::vector<std::string>& names, bool serving) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (shut_down_) return;
  for (const std::string& name : names) serving_[name] = serving;
  for (Watcher* watcher : watchers_) watcher->Update(StatusOf(serving_, watcher->name()));
}

void HealthStatuses::Shutdown() {
  std::lock_guard<std::mutex> lock(mutex_);
  shut_down_ = true;
  for (auto& [name, serving] : serving_) serving = false;
  for (Watcher* watcher : watchers_) watcher->End();
}

std::optional<HealthCheckResponse::ServingStatus> HealthStatuses::Get(const std::string& name) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (serving_.count(name) == 0) return std::nullopt;
  return StatusOf(serving_, name);
}

void HealthStatuses::Add(Watcher* watcher) {
  std::lock_guard<std::mutex> lock(mutex_);
  watchers_.insert(watcher);
  if (shut_down_) {
    watcher->End();
  } else {
    watcher->Update(StatusOf(serving_, watcher->name()));
  }
}

void HealthStatuses::Remove(Watcher* watcher) {
  std::lock_guard<std::mutex> lock(mutex_);
  watchers_.erase(watcher);
}

grpc::ServerUnaryReactor* HealthService::Check(grpc::CallbackServerContext* context,
                                               const grpc::health::v1::HealthCheckRequest* request,
                                               HealthCheckResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  std::optional<HealthCheckResponse::ServingStatus> status = statuses_->Get(request->service());
  if (!status.has_value()) {
    reactor->Finish(grpc::Status(grpc::StatusCode::NOT_FOUND, "unknown service"));
  } else {
    response->set_status(*status);
    reactor->Finish(grpc::Status::OK);
  }
  return reactor;
}

grpc::ServerWriteReactor<HealthCheckResponse>* HealthService::Watch(
    grpc::CallbackServerContext* /*context*/, const grpc::health::v1::HealthCheckRequest* request) {
  return new HealthStatuses::Watcher(statuses_, request->service());
}

}  // namespace gzedu
