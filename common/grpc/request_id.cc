#include "common/grpc/request_id.h"

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <random>
#include <unordered_map>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

namespace gzedu {
namespace {

using grpc::experimental::InterceptionHookPoints;

// The labels of the calls in flight, by server context: the interceptor
// adds its call's entry when created and removes it when destroyed, which
// gRPC does once the call is over (after the handler returned).
class CallTable {
 public:
  void Add(const grpc::ServerContextBase* context, std::string service) {
    std::lock_guard<std::mutex> lock(mutex_);
    calls_[context] = CallLabels{std::move(service), std::string()};
  }
  void SetRequestId(const grpc::ServerContextBase* context, const std::string& request_id) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = calls_.find(context);
    if (it != calls_.end()) it->second.request_id = request_id;
  }
  void Remove(const grpc::ServerContextBase* context) {
    std::lock_guard<std::mutex> lock(mutex_);
    calls_.erase(context);
  }
  CallLabels Find(const grpc::ServerContextBase* context) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = calls_.find(context);
    return it == calls_.end() ? CallLabels{} : it->second;
  }

 private:
  std::mutex mutex_;
  std::unordered_map<const grpc::ServerContextBase*, CallLabels> calls_;
};

CallTable& Calls() {
  static CallTable* table = new CallTable();  // never destroyed: calls may end during exit
  return *table;
}

// Whether the request of `method` ("/package.Service/Method") is a message
// with a string field `request_id` (the writes). Only then is the received
// message read as one: a raw method (the evaluation reads answered from
// encoded bytes) receives a grpc::ByteBuffer, which must not be taken for a
// protobuf message; such reads carry no request_id field.
bool RequestHasIdField(absl::string_view method) {
  if (!method.empty() && method.front() == '/') method.remove_prefix(1);
  std::string full_name(method);
  const size_t slash = full_name.find('/');
  if (slash == std::string::npos) return false;
  full_name[slash] = '.';
  const google::protobuf::MethodDescriptor* descriptor =
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(full_name);
  if (descriptor == nullptr) return false;
  const google::protobuf::FieldDescriptor* field = descriptor->input_type()->FindFieldByName("request_id");
  return field != nullptr && !field->is_repeated() && field->type() == google::protobuf::FieldDescriptor::TYPE_STRING;
}

// The non-empty `request_id` of a received request whose method has that
// field (RequestHasIdField), else empty.
std::string RequestIdField(const void* received) {
  if (received == nullptr) return std::string();
  const auto* message = static_cast<const google::protobuf::Message*>(received);
  const google::protobuf::FieldDescriptor* field = message->GetDescriptor()->FindFieldByName("request_id");
  if (field == nullptr) return std::string();
  std::string value = message->GetReflection()->GetString(*message, field);
  return value.size() <= kMaxRequestIdLength ? value : std::string();
}

class RequestIdInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit RequestIdInterceptor(grpc::experimental::ServerRpcInfo* info)
      : context_(info->server_context()),
        request_has_id_(info->method() != nullptr && RequestHasIdField(info->method())) {
    Calls().Add(context_, LogServiceOfMethod(info->method() == nullptr ? "" : info->method()));
  }
  ~RequestIdInterceptor() override { Calls().Remove(context_); }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      const auto* metadata = methods->GetRecvInitialMetadata();
      auto it = metadata->find(kRequestIdMetadataKey);
      if (it != metadata->end() && !it->second.empty() && it->second.size() <= kMaxRequestIdLength) {
        SetRequestId(std::string(it->second.data(), it->second.size()));
      }
    }
    // Before the handler runs (the request of a unary or server-streaming
    // call is received first): the handler's log lines carry the id.
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE)) {
      if (request_id_.empty() && request_has_id_) SetRequestId(RequestIdField(methods->GetRecvMessage()));
      EnsureRequestId();
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      EnsureRequestId();
      methods->GetSendInitialMetadata()->emplace(kRequestIdMetadataKey, request_id_);
    }
    methods->Proceed();
  }

 private:
  void SetRequestId(std::string request_id) {
    if (request_id.empty()) return;
    request_id_ = std::move(request_id);
    Calls().SetRequestId(context_, request_id_);
  }
  void EnsureRequestId() {
    if (request_id_.empty()) SetRequestId(NewRequestId());
  }

  const grpc::ServerContextBase* context_;
  const bool request_has_id_;
  std::string request_id_;
};

}  // namespace

CallLabels LabelsOfCall(const grpc::ServerContextBase* context) {
  if (context == nullptr) return CallLabels{};
  return Calls().Find(context);
}

LogContext LogContextOfCall(const grpc::ServerContextBase* context) {
  CallLabels labels = LabelsOfCall(context);
  return LogContext{std::move(labels.service), std::move(labels.request_id)};
}

grpc::experimental::Interceptor* RequestIdInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new RequestIdInterceptor(info);
}

std::string NewRequestId() {
  thread_local std::mt19937_64 generator = [] {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device()};
    return std::mt19937_64(seed);
  }();
  const uint64_t high = generator();
  const uint64_t low = generator();
  char text[33];
  std::snprintf(text, sizeof text, "%016llx%016llx", static_cast<unsigned long long>(high),
                static_cast<unsigned long long>(low));
  return std::string(text, 32);
}

std::string LogServiceOfMethod(absl::string_view method) {
  if (!method.empty() && method.front() == '/') method.remove_prefix(1);
  const size_t slash = method.find('/');
  const absl::string_view service = method.substr(0, slash);
  if (service.substr(0, 6) != "gzedu.") return std::string();
  absl::string_view name = service.substr(service.rfind('.') + 1);
  constexpr absl::string_view kSuffix = "Service";
  if (name.size() > kSuffix.size() && name.substr(name.size() - kSuffix.size()) == kSuffix) {
    name.remove_suffix(kSuffix.size());
  }
  std::string kebab;
  for (char c : name) {
    if (std::isupper(static_cast<unsigned char>(c))) {
      if (!kebab.empty()) kebab.push_back('-');
      kebab.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    } else {
      kebab.push_back(c);
    }
  }
  return kebab;
}

}  // namespace gzedu
