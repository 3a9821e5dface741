#ifndef GZEDU_COMMON_GRPC_CLIENT_CERTIFICATES_H_
#define GZEDU_COMMON_GRPC_CLIENT_CERTIFICATES_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include <grpcpp/security/credentials.h>
#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include "absl/status/statusor.h"
#include "common/grpc/certificate_reload_loop.h"
#include "common/grpc/certificate_reload_metrics.h"
#include "common/grpc/tls.h"

namespace gzedu {

// A client's TLS material as read from its files and checked to work: the
// CA bundle (--tls-ca) holds a PEM certificate; the client certificate and
// key, when given, are checked as a server's are (LoadServerCertificates:
// they match, the certificate is valid now).
struct ClientCertificates {
  std::string ca_pem;
  std::string cert_chain_pem;   // empty: no client certificate
  std::string private_key_pem;  // empty: no client certificate
  std::string subject;          // the client certificate's subject, for logs
  int64_t not_after_unix_s = 0;

  bool operator==(const ClientCertificates& other) const {
    return ca_pem == other.ca_pem && cert_chain_pem == other.cert_chain_pem && private_key_pem == other.private_key_pem;
  }
};

// Reads and checks the files of `tls` (which must be enabled).
// InvalidArgument naming the flag and the file when they cannot work.
absl::StatusOr<ClientCertificates> LoadClientCertificates(const ClientTls& tls);

// The channel credentials of a long-running client (the evaluation service
// towards its sources) whose files are re-read every `refresh_seconds`, the
// way a server's are (ReloadingServerCertificates): a rotated client
// certificate is used by the connections made afterwards; a rotation to a
// set that cannot work (a key that does not match, an unreadable, truncated
// or expired file) keeps the last good one in use, says so in a warning log
// line and counts it on gzedu_tls_client_certificate_reload_failures_total;
// gzedu_tls_client_certificate_last_reload_successful is 0 until the files
// are good again; gzedu_tls_client_certificate_expiry_timestamp_seconds is
// the client certificate's expiry.
//
// gRPC 1.51 has no client-side hook to hand it certificates from memory, so
// the accepted set is copied into a private directory (mode 0700, under
// $TMPDIR or /tmp; removed on destruction) that gRPC's file watcher reads;
// key and certificate go in one file, so gRPC never reads half of a pair.
// Thread-safe. Must outlive the channels using its credentials.
class ReloadingClientCertificates {
 public:
  // Loads the files (InvalidArgument as LoadClientCertificates; Internal when
  // the private copy cannot be written) and starts re-reading them.
  // `registry` must outlive the instance.
  static absl::StatusOr<std::unique_ptr<ReloadingClientCertificates>> Start(const ClientTls& tls,
                                                                            prometheus::Registry& registry);
  ~ReloadingClientCertificates();
  ReloadingClientCertificates(const ReloadingClientCertificates&) = delete;
  ReloadingClientCertificates& operator=(const ReloadingClientCertificates&) = delete;

  // Credentials for channels: verified TLS, presenting the client
  // certificate if one is set.
  std::shared_ptr<grpc::ChannelCredentials> credentials();

 private:
  ReloadingClientCertificates(const ClientTls& tls, std::string directory, ClientCertificates first,
                              prometheus::Registry& registry);
  absl::Status Stage(const ClientCertificates& certificates);
  // Reads the files and uses them when new and good: OK when they are good,
  // else why they are refused (see CertificateReloadLoop).
  absl::Status Reread();

  const ClientTls tls_;
  const std::string directory_;  // the private copy
  CertificateReloadMetrics metrics_;
  std::mutex mutex_;
  ClientCertificates used_;  // the last good set
  std::unique_ptr<CertificateReloadLoop> loop_;
};

}  // namespace gzedu

#endif  // GZEDU_COMMON_GRPC_CLIENT_CERTIFICATES_H_
