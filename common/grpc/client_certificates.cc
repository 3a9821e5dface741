#include "common/grpc/client_certificates.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <grpcpp/security/tls_certificate_provider.h>
#include <grpcpp/security/tls_credentials_options.h>

#include "absl/strings/str_cat.h"
#include "common/grpc/server_certificates.h"
#include "common/logging/log.h"

namespace gzedu {
namespace {

constexpr char kIdentityFile[] = "identity.pem";
constexpr char kCaFile[] = "ca.pem";
// How often gRPC's watcher looks at the private copy (which changes only
// when a re-read of the real files was accepted).
constexpr unsigned kWatchSeconds = 1;

bool HoldsCertificate(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  if (bio == nullptr) return false;
  X509* certificate = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  const bool found = certificate != nullptr;
  X509_free(certificate);
  BIO_free(bio);
  ERR_clear_error();
  return found;
}

// Writes `text` to `path` whole: a new file (owner-only), renamed over the
// old one, so a reader sees the old text or the new, never a mix.
absl::Status WriteWhole(const std::string& path, const std::string& text) {
  const std::string temporary = path + ".new";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) return absl::InternalError(absl::StrCat("cannot write ", temporary));
  }
  chmod(temporary.c_str(), S_IRUSR | S_IWUSR);
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    return absl::InternalError(absl::StrCat("cannot rename ", temporary, " to ", path));
  }
  return absl::OkStatus();
}

int64_t NowUnixSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

absl::StatusOr<ClientCertificates> LoadClientCertificates(const ClientTls& tls) {
  ClientCertificates loaded;
  const bool identity = !tls.cert_path.empty() && !tls.key_path.empty();
  if (identity) {
    ServerTls pair;
    pair.cert_path = tls.cert_path;
    pair.key_path = tls.key_path;
    pair.client_ca_path = tls.ca_path;
    absl::StatusOr<ServerCertificates> checked = LoadServerCertificates(pair, "--tls-ca");
    if (!checked.ok()) return checked.status();
    loaded.ca_pem = std::move(checked->client_ca_pem);
    loaded.cert_chain_pem = std::move(checked->cert_chain_pem);
    loaded.private_key_pem = std::move(checked->private_key_pem);
    loaded.subject = std::move(checked->subject);
    loaded.not_after_unix_s = checked->not_after_unix_s;
    return loaded;
  }
  std::ifstream in(tls.ca_path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in || in.bad()) return absl::InvalidArgumentError(absl::StrCat("--tls-ca: cannot read ", tls.ca_path));
  loaded.ca_pem = text.str();
  if (!HoldsCertificate(loaded.ca_pem)) {
    return absl::InvalidArgumentError(absl::StrCat("--tls-ca: ", tls.ca_path, " holds no PEM certificate"));
  }
  return loaded;
}

ReloadingClientCertificates::ReloadingClientCertificates(const ClientTls& tls, std::string directory,
                                                         ClientCertificates first, prometheus::Registry& registry)
    : tls_(tls),
      directory_(std::move(directory)),
      metrics_(registry, "gzedu_tls_client_certificate", "client TLS certificate, key or CA files",
               "the last good set stays in use", first.not_after_unix_s),
      used_(std::move(first)) {}

absl::StatusOr<std::unique_ptr<ReloadingClientCertificates>> ReloadingClientCertificates::Start(
    const ClientTls& tls, prometheus::Registry& registry) {
  absl::StatusOr<ClientCertificates> first = LoadClientCertificates(tls);
  if (!first.ok()) return first.status();
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = absl::StrCat(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp", "/gzedu-client-tls-XXXXXX");
  if (mkdtemp(pattern.data()) == nullptr) {  // mode 0700
    return absl::InternalError(absl::StrCat("cannot create a private directory like ", pattern));
  }
  std::unique_ptr<ReloadingClientCertificates> reloading(
      new ReloadingClientCertificates(tls, pattern, *first, registry));
  if (absl::Status staged = reloading->Stage(*first); !staged.ok()) return staged;
  ReloadingClientCertificates* self = reloading.get();
  reloading->loop_ = std::make_unique<CertificateReloadLoop>(
      std::chrono::seconds(tls.refresh_seconds), reloading->metrics_,
      "tls client certificate reload refused; using the last good certificate", [self] { return self->Reread(); },
      [self]() -> nlohmann::json {
        std::lock_guard<std::mutex> lock(self->mutex_);
        return {{"using_subject", self->used_.subject},
                {"using_not_after_unix_s", self->used_.not_after_unix_s},
                {"expires_in_s", self->used_.not_after_unix_s - NowUnixSeconds()}};
      });
  return reloading;
}

ReloadingClientCertificates::~ReloadingClientCertificates() {
  loop_.reset();
  std::error_code ignored;
  std::filesystem::remove_all(directory_, ignored);
}

absl::Status ReloadingClientCertificates::Stage(const ClientCertificates& certificates) {
  // The CA first: a new client certificate may come with servers that need
  // a new CA too; the identity's key and chain in one file, read at once.
  if (absl::Status status = WriteWhole(directory_ + "/" + kCaFile, certificates.ca_pem); !status.ok()) return status;
  if (certificates.cert_chain_pem.empty()) return absl::OkStatus();
  return WriteWhole(directory_ + "/" + kIdentityFile,
                    absl::StrCat(certificates.private_key_pem, "\n", certificates.cert_chain_pem));
}

std::shared_ptr<grpc::ChannelCredentials> ReloadingClientCertificates::credentials() {
  const bool identity = !tls_.cert_path.empty() && !tls_.key_path.empty();
  const std::string identity_path = identity ? directory_ + "/" + kIdentityFile : "";
  auto provider = std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(
      identity_path, identity_path, directory_ + "/" + kCaFile, kWatchSeconds);
  grpc::experimental::TlsChannelCredentialsOptions options;
  options.set_certificate_provider(provider);
  options.watch_root_certs();
  if (identity) options.watch_identity_key_cert_pairs();
  options.set_verify_server_certs(true);
  return grpc::experimental::TlsCredentials(options);
}

absl::Status ReloadingClientCertificates::Reread() {
  absl::StatusOr<ClientCertificates> read = LoadClientCertificates(tls_);
  if (!read.ok()) return read.status();
  std::lock_guard<std::mutex> lock(mutex_);
  if (*read == used_) return absl::OkStatus();
  if (absl::Status staged = Stage(*read); !staged.ok()) return staged;
  used_ = std::move(*read);
  metrics_.Accepted(used_.not_after_unix_s);
  Log(LogLevel::kInfo, "tls client certificate reloaded",
      {{"cert", tls_.cert_path}, {"subject", used_.subject}, {"not_after_unix_s", used_.not_after_unix_s}});
  return absl::OkStatus();
}

}  // namespace gzedu
