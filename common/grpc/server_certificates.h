#ifndef GZEDU_COMMON_GRPC_SERVER_CERTIFICATES_H_
#define GZEDU_COMMON_GRPC_SERVER_CERTIFICATES_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <grpc/grpc_security.h>
#include <grpcpp/security/server_credentials.h>
#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include "absl/status/statusor.h"
#include "common/grpc/certificate_reload_loop.h"
#include "common/grpc/certificate_reload_metrics.h"
#include "common/grpc/tls.h"

namespace gzedu {

// A server's TLS material as read from its files, checked to work together.
struct ServerCertificates {
  std::string cert_chain_pem;
  std::string private_key_pem;
  std::string client_ca_pem;     // empty: clients are not asked for certificates
  std::string subject;           // the leaf certificate's subject, for logs
  int64_t not_after_unix_s = 0;  // the leaf certificate's expiry

  bool operator==(const ServerCertificates& other) const {
    return cert_chain_pem == other.cert_chain_pem && private_key_pem == other.private_key_pem &&
           client_ca_pem == other.client_ca_pem;
  }
};

// Reads the files of `tls` (which must be enabled) and checks with OpenSSL
// that they can serve: the certificate file holds a PEM chain whose first
// certificate is valid now, the key file an unencrypted PEM private key that
// matches that certificate (X509_check_private_key), the client CA file (if
// any) at least one PEM certificate. gRPC itself would only find a mismatch
// at the first handshake, after the server announced itself. InvalidArgument
// naming the flag and the file otherwise.
// `client_ca_flag` names the CA file's flag in errors (a client calls it
// --tls-ca).
absl::StatusOr<ServerCertificates> LoadServerCertificates(const ServerTls& tls,
                                                          absl::string_view client_ca_flag = "--tls-client-ca");

// The TLS (or mutual TLS) credentials of a listening port whose files are
// re-read every `refresh_seconds`: a new set is handed to gRPC only once
// LoadServerCertificates accepts it, so a rotation to a broken pair (a key
// that does not match, a truncated or unreadable file, an expired
// certificate) keeps the last good one serving, says so in a warning log line
// and counts it on gzedu_tls_certificate_reload_failures_total;
// gzedu_tls_certificate_last_reload_successful is 0 until the files are good
// again; gzedu_tls_certificate_expiry_timestamp_seconds is the served
// certificate's expiry. gRPC asks for the current set at each handshake
// (its SSL "certificate config fetcher"). Thread-safe. One instance serves
// one listening port and must outlive the server using its credentials.
class ReloadingServerCertificates {
 public:
  // Loads the files (InvalidArgument as LoadServerCertificates) and starts
  // re-reading them. `registry` must outlive the instance.
  static absl::StatusOr<std::unique_ptr<ReloadingServerCertificates>> Start(const ServerTls& tls,
                                                                            prometheus::Registry& registry);
  // Stops re-reading.
  ~ReloadingServerCertificates();
  ReloadingServerCertificates(const ReloadingServerCertificates&) = delete;
  ReloadingServerCertificates& operator=(const ReloadingServerCertificates&) = delete;

  // The credentials for one listening port.
  std::shared_ptr<grpc::ServerCredentials> credentials();

 private:
  ReloadingServerCertificates(const ServerTls& tls, ServerCertificates first, prometheus::Registry& registry);
  // Reads the files and serves them when new and good: OK when they are
  // good, else why they are refused (see CertificateReloadLoop).
  absl::Status Reread();
  // gRPC's fetcher callback: NEW with the accepted set when it changed since
  // the last call, UNCHANGED otherwise.
  static grpc_ssl_certificate_config_reload_status Fetch(void* self, grpc_ssl_server_certificate_config** config);

  const ServerTls tls_;
  CertificateReloadMetrics metrics_;
  std::mutex mutex_;
  ServerCertificates served_;  // the last good set
  bool handed_over_ = false;   // gRPC has `served_`
  std::unique_ptr<CertificateReloadLoop> loop_;
};

}  // namespace gzedu

#endif  // GZEDU_COMMON_GRPC_SERVER_CERTIFICATES_H_
