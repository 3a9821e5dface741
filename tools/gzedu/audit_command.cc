#include "tools/gzedu/audit_command.h"

#include <cstdio>
#include <fstream>

#include <nlohmann/json.hpp>

namespace gzedu::cli {
namespace {

std::string Text(const nlohmann::json& record, const char* key) {
  auto it = record.find(key);
  if (it == record.end()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_array()) {
    std::string joined;
    for (const auto& item : *it)
      joined += (joined.empty() ? "" : ",") + (item.is_string() ? item.get<std::string>() : item.dump());
    return joined;
  }
  return it->dump();
}

bool Matches(const nlohmann::json& record, const AuditQuery& q) {
  if (!q.principal.empty() && Text(record, "principal") != q.principal) return false;
  if (!q.method.empty() && Text(record, "method") != q.method) return false;
  if (!q.outcome.empty() && Text(record, "outcome") != q.outcome) return false;
  if (!q.request_id.empty() && Text(record, "request_id") != q.request_id) return false;
  if (!q.district.empty()) {
    auto it = record.find("districts");
    bool found = false;
    if (it != record.end() && it->is_array()) {
      for (const auto& d : *it) found = found || (d.is_string() && d.get<std::string>() == q.district);
    }
    if (!found) return false;
  }
  return true;
}

}  // namespace

int AuditCommand(const AuditQuery& query) {
  std::ifstream in(query.file);
  if (!in) {
    std::fprintf(stderr, "%s: cannot read the audit log\n", query.file.c_str());
    return 2;
  }
  std::string line;
  int number = 0;
  int matched = 0;
  if (query.format == "text") {
    std::printf("%-24s %-7s %-28s %-16s %-24s %-14s %s\n", "time", "outcome", "principal", "role", "method",
                "districts", "request id / reason");
  }
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) continue;
    const nlohmann::json record = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!record.is_object()) {
      std::fprintf(stderr, "%s:%d: not an audit record; skipped\n", query.file.c_str(), number);
      continue;
    }
    if (!Matches(record, query)) continue;
    ++matched;
    if (query.format == "json") {
      std::printf("%s\n", line.c_str());
      continue;
    }
    const std::string reason = Text(record, "reason");
    std::printf("%-24s %-7s %-28s %-16s %-24s %-14s %s%s%s\n", Text(record, "ts").c_str(),
                Text(record, "outcome").c_str(), Text(record, "principal").c_str(), Text(record, "role").c_str(),
                Text(record, "method").c_str(), Text(record, "districts").c_str(), Text(record, "request_id").c_str(),
                reason.empty() ? "" : " ", reason.c_str());
  }
  std::fprintf(stderr, "%d of %d records matched\n", matched, number);
  return 0;
}

}  // namespace gzedu::cli
