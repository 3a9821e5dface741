#include "services/indicator_evaluation/grpc/cached_snapshots.h"

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "services/indicator_evaluation/grpc/conversions.h"

namespace gzedu::indicators {
namespace {

std::string SnapshotKey(const std::string& district_code, int32_t school_year, const std::string& conventions_key,
                        const InputVersions& v) {
  return absl::StrCat("snapshot/", district_code, "/", school_year, "/", conventions_key, "/", v.registry_version, "-",
                      v.rotation_version, "-", v.ledger_version, "-", v.returns_version);
}

// A cached snapshot: "MS SIZE_PB SIZE_ZH\n" then the DistrictEvaluation
// message, the Chinese report and the English one.
std::string EncodeCached(const Snapshot& snapshot) {
  v1::DistrictEvaluation message;
  ToProto(snapshot, v1::REPORT_LANGUAGE_UNSPECIFIED, &message);
  const std::string pb = message.SerializeAsString();
  return absl::StrCat(snapshot.evaluated_at_unix_ms, " ", pb.size(), " ", snapshot.report_zh.size(), "\n", pb,
                      snapshot.report_zh, snapshot.report_en);
}

std::optional<Snapshot> DecodeCached(const std::string& bytes) {
  const size_t newline = bytes.find('\n');
  if (newline == std::string::npos) return std::nullopt;
  long long ms = 0;
  size_t pb_size = 0, zh_size = 0;
  if (std::sscanf(bytes.substr(0, newline).c_str(), "%lld %zu %zu", &ms, &pb_size, &zh_size) != 3) return std::nullopt;
  const size_t body = newline + 1;
  if (bytes.size() < body + pb_size + zh_size) return std::nullopt;
  v1::DistrictEvaluation message;
  if (!message.ParseFromArray(bytes.data() + body, static_cast<int>(pb_size))) return std::nullopt;
  Snapshot snapshot = FromProto(message);
  snapshot.evaluated_at_unix_ms = ms;
  snapshot.report_zh = bytes.substr(body + pb_size, zh_size);
  snapshot.report_en = bytes.substr(body + pb_size + zh_size);
  return snapshot;
}

}  // namespace

std::shared_ptr<const Snapshot> CachedSnapshots::FindInMemory(const MemoryKey& key, const InputVersions& versions) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = memory_.find(key);
  if (it == memory_.end() || it->second->input_versions != versions) return nullptr;
  return it->second;
}

void CachedSnapshots::KeepInMemory(const Snapshot& snapshot) {
  auto kept = std::make_shared<const Snapshot>(snapshot);
  std::lock_guard<std::mutex> lock(mutex_);
  if (memory_.size() >= kMaxInMemory) memory_.clear();  // far beyond a city's needs: start over
  memory_[MemoryKey{snapshot.district_code, snapshot.school_year, snapshot.conventions_key}] = std::move(kept);
}

std::optional<Snapshot> CachedSnapshots::Get(const std::string& district_code, int32_t school_year,
                                             const std::string& conventions_key, const InputVersions& versions) {
  if (std::shared_ptr<const Snapshot> kept =
          FindInMemory(MemoryKey{district_code, school_year, conventions_key}, versions)) {
    return *kept;
  }
  std::optional<std::string> bytes = cache_->Get(SnapshotKey(district_code, school_year, conventions_key, versions));
  if (!bytes) return std::nullopt;
  std::optional<Snapshot> snapshot = DecodeCached(*bytes);
  // The key names the versions; a decoded entry that says otherwise is not it.
  if (!snapshot || snapshot->input_versions != versions) return std::nullopt;
  KeepInMemory(*snapshot);
  return snapshot;
}

std::shared_ptr<const Snapshot> CachedSnapshots::Peek(const std::string& district_code, int32_t school_year,
                                                      const std::string& conventions_key,
                                                      const InputVersions& versions) {
  return FindInMemory(MemoryKey{district_code, school_year, conventions_key}, versions);
}

void CachedSnapshots::Put(const Snapshot& snapshot) {
  KeepInMemory(snapshot);
  cache_->Put(
      SnapshotKey(snapshot.district_code, snapshot.school_year, snapshot.conventions_key, snapshot.input_versions),
      EncodeCached(snapshot), std::chrono::hours(24));
}

}  // namespace gzedu::indicators
