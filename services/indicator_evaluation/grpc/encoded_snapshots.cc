#include "services/indicator_evaluation/grpc/encoded_snapshots.h"

#include "services/indicator_evaluation/grpc/conversions.h"

namespace gzedu::indicators {

void EncodedSnapshots::Encode(const Snapshot& snapshot, indicators::v1::ReportLanguage language,
                              indicators::v1::DistrictEvaluation* out) {
  const Key key{snapshot.district_code, snapshot.school_year, snapshot.conventions_key, static_cast<int>(language)};
  std::shared_ptr<const indicators::v1::DistrictEvaluation> encoded;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = entries_.find(key);
    if (it != entries_.end() && it->second.input_versions == snapshot.input_versions &&
        it->second.version == snapshot.version && it->second.evaluated_at_unix_ms == snapshot.evaluated_at_unix_ms) {
      encoded = it->second.encoded;
    }
  }
  if (encoded == nullptr) {
    auto fresh = std::make_shared<indicators::v1::DistrictEvaluation>();
    ToProto(snapshot, language, fresh.get());
    encoded = fresh;
    std::lock_guard<std::mutex> lock(mutex_);
    if (entries_.size() >= kMaxEntries) entries_.clear();  // far beyond a city's needs: start over
    entries_[key] = Entry{snapshot.input_versions, snapshot.version, snapshot.evaluated_at_unix_ms, encoded};
  }
  out->CopyFrom(*encoded);
}

}  // namespace gzedu::indicators
