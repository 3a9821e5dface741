#include "services/indicator_evaluation/grpc/encoded_snapshots.h"

#include "common/grpc/unary_reactions.h"
#include "services/indicator_evaluation/grpc/conversions.h"

namespace gzedu::indicators {
namespace {

// `message` as field 1 of an enclosing message: the tag (field 1, length
// delimited), the length, the message.
std::string AsField1(const indicators::v1::DistrictEvaluation& message) { return EncodeAsField1(message); }

}  // namespace

grpc::Slice EncodedSnapshots::EvaluationField(const Snapshot& snapshot, v1::ReportLanguage language,
                                              v1::EvaluationView view) {
  const bool basic = view == v1::EVALUATION_VIEW_BASIC;
  const Key key{snapshot.district_code, snapshot.school_year, snapshot.conventions_key, static_cast<int>(language)};
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = entries_.find(key);
    if (it != entries_.end() && it->second.input_versions == snapshot.input_versions &&
        it->second.version == snapshot.version && it->second.evaluated_at_unix_ms == snapshot.evaluated_at_unix_ms) {
      return basic ? it->second.basic : it->second.full;
    }
  }
  v1::DistrictEvaluation message;
  ToProto(snapshot, language, &message);
  Entry entry{snapshot.input_versions, snapshot.version, snapshot.evaluated_at_unix_ms, grpc::Slice(AsField1(message)),
              grpc::Slice()};
  BasicView(&message);
  entry.basic = grpc::Slice(AsField1(message));
  grpc::Slice field = basic ? entry.basic : entry.full;
  std::lock_guard<std::mutex> lock(mutex_);
  if (entries_.size() >= kMaxEntries) entries_.clear();  // far beyond a city's needs: start over
  entries_[key] = std::move(entry);
  return field;
}

}  // namespace gzedu::indicators
