#include "common/grpc/tls.h"

#include <cstdlib>

#include <grpcpp/create_channel.h>
#include <grpcpp/security/tls_certificate_provider.h>
#include <grpcpp/security/tls_credentials_options.h>
#include <grpcpp/support/client_interceptor.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status/macros.h"

namespace gzedu {
namespace {

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

}  // namespace

ClientTls ClientTlsFromEnvironment() {
  ClientTls tls;
  tls.ca_path = Env("GZEDU_TLS_CA");
  tls.cert_path = Env("GZEDU_TLS_CERT");
  tls.key_path = Env("GZEDU_TLS_KEY");
  return tls;
}

std::shared_ptr<grpc::ChannelCredentials> ChannelCredentialsFor(const ClientTls& tls) {
  if (!tls.enabled()) return grpc::InsecureChannelCredentials();
  const bool identity = !tls.cert_path.empty() && !tls.key_path.empty();
  auto provider = std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(
      identity ? tls.key_path : "", identity ? tls.cert_path : "", tls.ca_path,
      static_cast<unsigned>(tls.refresh_seconds));
  grpc::experimental::TlsChannelCredentialsOptions options;
  options.set_certificate_provider(provider);
  options.watch_root_certs();
  if (identity) options.watch_identity_key_cert_pairs();
  options.set_verify_server_certs(true);
  return grpc::experimental::TlsCredentials(options);
}

namespace {

// Adds the bearer token to every call's initial metadata.
class BearerInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit BearerInterceptor(const BearerToken* token) : token_(token) {}
  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(grpc::experimental::InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      const std::string token = (*token_)();
      if (!token.empty()) methods->GetSendInitialMetadata()->insert({"authorization", "Bearer " + token});
    }
    methods->Proceed();
  }

 private:
  const BearerToken* token_;
};

class BearerInterceptorFactory : public grpc::experimental::ClientInterceptorFactoryInterface {
 public:
  explicit BearerInterceptorFactory(BearerToken token) : token_(std::move(token)) {}
  grpc::experimental::Interceptor* CreateClientInterceptor(grpc::experimental::ClientRpcInfo*) override {
    return new BearerInterceptor(&token_);
  }

 private:
  BearerToken token_;
};

}  // namespace

std::shared_ptr<grpc::Channel> OpenChannel(const std::string& target, const ClientTls& tls, BearerToken token) {
  return OpenChannel(target, ChannelCredentialsFor(tls), std::move(token));
}

std::shared_ptr<grpc::Channel> OpenChannel(const std::string& target,
                                           const std::shared_ptr<grpc::ChannelCredentials>& credentials,
                                           BearerToken token) {
  if (!token) return grpc::CreateChannel(target, credentials);
  std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(std::make_unique<BearerInterceptorFactory>(std::move(token)));
  return grpc::experimental::CreateCustomChannelWithInterceptors(target, credentials, grpc::ChannelArguments(),
                                                                 std::move(interceptors));
}

std::shared_ptr<grpc::Channel> OpenInProcessChannel(grpc::Server& server, BearerToken token) {
  grpc::ChannelArguments arguments;
  if (!token) return server.InProcessChannel(arguments);
  std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(std::make_unique<BearerInterceptorFactory>(std::move(token)));
  return server.experimental().InProcessChannelWithInterceptors(arguments, std::move(interceptors));
}

std::shared_ptr<grpc::Channel> OpenChannel(const std::string& target) {
  const std::string token = Env("GZEDU_TOKEN");
  BearerToken bearer;
  if (!token.empty()) bearer = [token] { return token; };
  return OpenChannel(target, ClientTlsFromEnvironment(), std::move(bearer));
}

bool IsLoopbackAddress(absl::string_view host_port) {
  absl::string_view host = host_port;
  if (absl::StartsWith(host, "[")) {
    host = host.substr(1, host.find(']') == absl::string_view::npos ? host.size() - 1 : host.find(']') - 1);
  } else if (const size_t colon = host.rfind(':'); colon != absl::string_view::npos) {
    host = host.substr(0, colon);
  }
  return host == "localhost" || host == "::1" || absl::StartsWith(host, "127.");
}

absl::Status CheckServerTransport(absl::string_view listen, const ServerTls& tls, bool insecure) {
  if (tls.cert_path.empty() != tls.key_path.empty()) {
    return absl::InvalidArgumentError("--tls-cert and --tls-key: give both or neither");
  }
  if (!tls.client_ca_path.empty() && tls.cert_path.empty()) {
    return absl::InvalidArgumentError("--tls-client-ca: mutual TLS needs the server's own --tls-cert and --tls-key");
  }
  if (!tls.enabled() && !insecure && !IsLoopbackAddress(listen)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--listen: ", listen,
        " is not a loopback address; give --tls-cert and --tls-key, or --insecure to serve plaintext there anyway"));
  }
  return absl::OkStatus();
}

}  // namespace gzedu
