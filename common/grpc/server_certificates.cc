#include "common/grpc/server_certificates.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <sstream>
#include <vector>

#include <grpc/grpc.h>

#include "absl/strings/str_cat.h"
#include "common/logging/log.h"

namespace gzedu {
namespace {

struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct X509Deleter {
  void operator()(X509* x509) const { X509_free(x509); }
};
struct PkeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;
using X509Ptr = std::unique_ptr<X509, X509Deleter>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

absl::StatusOr<std::string> ReadFile(absl::string_view flag, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::InvalidArgumentError(absl::StrCat(flag, ": cannot read ", path));
  std::stringstream text;
  text << in.rdbuf();
  if (in.bad()) return absl::InvalidArgumentError(absl::StrCat(flag, ": cannot read ", path));
  return text.str();
}

// Never asks for a passphrase: an encrypted key is refused, not prompted
// for on a terminal the server does not have.
int NoPassphrase(char*, int, int, void*) { return 0; }

// Every PEM certificate in `pem`, in order.
std::vector<X509Ptr> Certificates(const std::string& pem) {
  std::vector<X509Ptr> certificates;
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  while (bio != nullptr) {
    X509Ptr certificate(PEM_read_bio_X509(bio.get(), nullptr, NoPassphrase, nullptr));
    if (certificate == nullptr) break;
    certificates.push_back(std::move(certificate));
  }
  ERR_clear_error();  // the end of the data reads as an error
  return certificates;
}

int64_t UnixSeconds(const ASN1_TIME* time) {
  std::tm tm{};
  if (ASN1_TIME_to_tm(time, &tm) != 1) return 0;
  return static_cast<int64_t>(timegm(&tm));
}

int64_t NowUnixSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// Wraps C-core SSL server credentials for grpc::ServerBuilder: grpc++ 1.51
// has no C++ factory for credentials with a certificate config fetcher.
class FetcherServerCredentials final : public grpc::ServerCredentials {
 public:
  explicit FetcherServerCredentials(grpc_server_credentials* credentials) : credentials_(credentials) {}
  ~FetcherServerCredentials() override { grpc_server_credentials_release(credentials_); }

  // gzedu authenticates calls itself (RpcCall::Authorize); a processor set
  // here would be silently ignored, so setting one is a bug.
  void SetAuthMetadataProcessor(const std::shared_ptr<grpc::AuthMetadataProcessor>&) override {
    std::fprintf(stderr, "FetcherServerCredentials: auth metadata processors are not supported\n");
    std::abort();
  }

 private:
  int AddPortToServer(const std::string& address, grpc_server* server) override {
    return grpc_server_add_http2_port(server, address.c_str(), credentials_);
  }

  grpc_server_credentials* credentials_;
};

}  // namespace

absl::StatusOr<ServerCertificates> LoadServerCertificates(const ServerTls& tls, absl::string_view client_ca_flag) {
  ServerCertificates loaded;
  absl::StatusOr<std::string> text = ReadFile("--tls-cert", tls.cert_path);
  if (!text.ok()) return text.status();
  loaded.cert_chain_pem = std::move(*text);
  text = ReadFile("--tls-key", tls.key_path);
  if (!text.ok()) return text.status();
  loaded.private_key_pem = std::move(*text);
  if (!tls.client_ca_path.empty()) {
    text = ReadFile(client_ca_flag, tls.client_ca_path);
    if (!text.ok()) return text.status();
    loaded.client_ca_pem = std::move(*text);
    if (Certificates(loaded.client_ca_pem).empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(client_ca_flag, ": ", tls.client_ca_path, " holds no PEM certificate"));
    }
  }

  const std::vector<X509Ptr> chain = Certificates(loaded.cert_chain_pem);
  if (chain.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("--tls-cert: ", tls.cert_path, " holds no PEM certificate"));
  }
  X509* leaf = chain.front().get();
  BioPtr key_bio(BIO_new_mem_buf(loaded.private_key_pem.data(), static_cast<int>(loaded.private_key_pem.size())));
  PkeyPtr key(key_bio != nullptr ? PEM_read_bio_PrivateKey(key_bio.get(), nullptr, NoPassphrase, nullptr) : nullptr);
  ERR_clear_error();
  if (key == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("--tls-key: ", tls.key_path, " holds no unencrypted PEM private key"));
  }
  if (X509_check_private_key(leaf, key.get()) != 1) {
    ERR_clear_error();
    return absl::InvalidArgumentError(
        absl::StrCat("--tls-key: ", tls.key_path, " does not match the certificate in --tls-cert ", tls.cert_path));
  }
  char subject[256] = {};
  X509_NAME_oneline(X509_get_subject_name(leaf), subject, sizeof(subject));
  loaded.subject = subject;
  loaded.not_after_unix_s = UnixSeconds(X509_get0_notAfter(leaf));
  if (X509_cmp_current_time(X509_get0_notBefore(leaf)) > 0) {
    return absl::InvalidArgumentError(absl::StrCat("--tls-cert: ", tls.cert_path, " is not valid yet"));
  }
  if (X509_cmp_current_time(X509_get0_notAfter(leaf)) < 0) {
    return absl::InvalidArgumentError(absl::StrCat("--tls-cert: ", tls.cert_path, " has expired"));
  }
  return loaded;
}

ReloadingServerCertificates::ReloadingServerCertificates(const ServerTls& tls, ServerCertificates first,
                                                         prometheus::Registry& registry)
    : tls_(tls),
      metrics_(registry, "gzedu_tls_certificate", "TLS certificate, key or client CA files",
               "the last good set keeps serving", first.not_after_unix_s),
      served_(std::move(first)) {}

absl::StatusOr<std::unique_ptr<ReloadingServerCertificates>> ReloadingServerCertificates::Start(
    const ServerTls& tls, prometheus::Registry& registry) {
  absl::StatusOr<ServerCertificates> first = LoadServerCertificates(tls);
  if (!first.ok()) return first.status();
  std::unique_ptr<ReloadingServerCertificates> reloading(
      new ReloadingServerCertificates(tls, std::move(*first), registry));
  ReloadingServerCertificates* self = reloading.get();
  reloading->loop_ = std::make_unique<CertificateReloadLoop>(
      std::chrono::seconds(tls.refresh_seconds), reloading->metrics_,
      "tls certificate reload refused; serving the last good certificate", [self] { return self->Reread(); },
      [self]() -> nlohmann::json {
        std::lock_guard<std::mutex> lock(self->mutex_);
        return {{"serving_subject", self->served_.subject},
                {"serving_not_after_unix_s", self->served_.not_after_unix_s},
                {"expires_in_s", self->served_.not_after_unix_s - NowUnixSeconds()}};
      });
  return reloading;
}

ReloadingServerCertificates::~ReloadingServerCertificates() { loop_.reset(); }

std::shared_ptr<grpc::ServerCredentials> ReloadingServerCertificates::credentials() {
  const grpc_ssl_client_certificate_request_type request =
      tls_.client_ca_path.empty() ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
                                  : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  grpc_ssl_server_credentials_options* options =
      grpc_ssl_server_credentials_create_options_using_config_fetcher(request, &Fetch, this);
  return std::make_shared<FetcherServerCredentials>(grpc_ssl_server_credentials_create_with_options(options));
}

grpc_ssl_certificate_config_reload_status ReloadingServerCertificates::Fetch(
    void* self, grpc_ssl_server_certificate_config** config) {
  auto* reloading = static_cast<ReloadingServerCertificates*>(self);
  std::lock_guard<std::mutex> lock(reloading->mutex_);
  if (reloading->handed_over_) return GRPC_SSL_CERTIFICATE_CONFIG_RELOAD_UNCHANGED;
  const ServerCertificates& served = reloading->served_;
  const grpc_ssl_pem_key_cert_pair pair{served.private_key_pem.c_str(), served.cert_chain_pem.c_str()};
  // gRPC 1.51 insists on client roots here even when it asks clients for no
  // certificate (an assertion, then a handshake factory that refuses to load
  // none); without a client CA the server's own chain stands in, and it is
  // never used: no client certificate is requested. The config copies the
  // strings.
  const std::string& client_roots = served.client_ca_pem.empty() ? served.cert_chain_pem : served.client_ca_pem;
  *config = grpc_ssl_server_certificate_config_create(client_roots.c_str(), &pair, 1);
  reloading->handed_over_ = true;
  return GRPC_SSL_CERTIFICATE_CONFIG_RELOAD_NEW;
}

absl::Status ReloadingServerCertificates::Reread() {
  absl::StatusOr<ServerCertificates> read = LoadServerCertificates(tls_);
  if (!read.ok()) return read.status();
  std::lock_guard<std::mutex> lock(mutex_);
  if (*read == served_) return absl::OkStatus();
  served_ = std::move(*read);
  handed_over_ = false;
  metrics_.Accepted(served_.not_after_unix_s);
  Log(LogLevel::kInfo, "tls certificate reloaded",
      {{"cert", tls_.cert_path}, {"subject", served_.subject}, {"not_after_unix_s", served_.not_after_unix_s}});
  return absl::OkStatus();
}

}  // namespace gzedu
