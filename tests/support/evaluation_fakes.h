#ifndef GZEDU_TESTS_SUPPORT_EVALUATION_FAKES_H_
#define GZEDU_TESTS_SUPPORT_EVALUATION_FAKES_H_

// Hand-written fakes of the evaluation service's source port.

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "services/indicator_evaluation/domain/source_reader.h"

namespace gzedu::testing {

// Sources held in memory: one engine input per district-year, versions the
// test moves, change lists per source, and a switch that makes every call
// Unavailable. Thread-safe.
class FakeSourceReader : public indicators::SourceReader {
 public:
  void Set(const engine::DistrictInput& input) {
    std::lock_guard<std::mutex> lock(mutex_);
    inputs_[{input.district_code, input.school_year}] = input;
  }
  // Records a change of `source` touching a district (and moves its version).
  void Change(const std::string& source, const std::string& district, int32_t year) {
    std::lock_guard<std::mutex> lock(mutex_);
    int64_t& version = source == "registry"   ? versions_.registry_version
                       : source == "rotation" ? versions_.rotation_version
                                              : versions_.ledger_version;
    ++version;
    changes_[source].push_back({district, year, version});
  }
  void set_down(bool down) { down_ = down; }
  int reads() const { return reads_; }

  absl::StatusOr<indicators::InputVersions> LatestVersions() override {
    if (down_) return absl::UnavailableError("sources down");
    std::lock_guard<std::mutex> lock(mutex_);
    return versions_;
  }
  absl::StatusOr<indicators::SourceData> ReadDistrict(const std::string& district_code, int32_t school_year) override {
    if (down_) return absl::UnavailableError("sources down");
    ++reads_;
    std::lock_guard<std::mutex> lock(mutex_);
    indicators::SourceData data;
    data.versions = versions_;
    auto it = inputs_.find({district_code, school_year});
    if (it != inputs_.end()) data.input = it->second;
    data.input.district_code = district_code;
    data.input.school_year = school_year;
    return data;
  }
  absl::StatusOr<std::vector<indicators::SourceChange>> ChangesSince(const std::string& source, int64_t since_version,
                                                                     int32_t limit, int64_t* latest) override {
    if (down_) return absl::UnavailableError("sources down");
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<indicators::SourceChange> result;
    *latest = 0;
    for (const indicators::SourceChange& c : changes_[source]) {
      *latest = std::max(*latest, c.change_version);
      if (c.change_version > since_version && static_cast<int32_t>(result.size()) < limit) result.push_back(c);
    }
    return result;
  }

 private:
  std::mutex mutex_;
  std::map<std::pair<std::string, int32_t>, engine::DistrictInput> inputs_;
  std::map<std::string, std::vector<indicators::SourceChange>> changes_;
  indicators::InputVersions versions_;
  std::atomic<bool> down_{false};
  std::atomic<int> reads_{0};
};

}  // namespace gzedu::testing

#endif  // GZEDU_TESTS_SUPPORT_EVALUATION_FAKES_H_
