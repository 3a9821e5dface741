#ifndef GZEDU_COMMON_GRPC_TLS_H_
#define GZEDU_COMMON_GRPC_TLS_H_

#include <functional>
#include <memory>
#include <string>

#include <grpcpp/channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server.h>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gzedu {

// A server's transport security. With a certificate and key the server
// speaks TLS; with a client CA too, it requires and verifies a client
// certificate (mutual TLS). The files are re-read every `refresh_seconds`, so
// a rotated certificate takes effect without a restart; a set that does not
// work (see LoadServerCertificates in common/grpc/server_certificates.h) is
// refused at start and, after a rotation, the last good one keeps serving.
struct ServerTls {
  std::string cert_path;       // PEM certificate chain
  std::string key_path;        // PEM private key
  std::string client_ca_path;  // PEM CA bundle clients' certificates must chain to; empty: no client certificates
  int refresh_seconds = 10;

  bool enabled() const { return !cert_path.empty(); }
};

// A client's transport security: the CA bundle that server certificates must
// chain to (TLS is on when it is set), and optionally the client's own
// certificate and key for servers that require one. ChannelCredentialsFor
// watches the files as they are; a long-running client uses
// ReloadingClientCertificates (common/grpc/client_certificates.h), which
// keeps the last good set when a rotation breaks them.
struct ClientTls {
  std::string ca_path;
  std::string cert_path;
  std::string key_path;
  int refresh_seconds = 10;

  bool enabled() const { return !ca_path.empty(); }
};

// GZEDU_TLS_CA, GZEDU_TLS_CERT and GZEDU_TLS_KEY, as the CLI reads them.
ClientTls ClientTlsFromEnvironment();

// Credentials for channels per `tls`: verified TLS (the server's certificate
// must name the host dialled), presenting the client certificate if one is
// set; plaintext when `tls` is not enabled.
std::shared_ptr<grpc::ChannelCredentials> ChannelCredentialsFor(const ClientTls& tls);

// The bearer token to send with each call ("authorization: Bearer ...");
// called for every call, so it can renew itself; empty: none is sent.
using BearerToken = std::function<std::string()>;

// A channel to `target` (HOST:PORT) with ChannelCredentialsFor(tls), sending
// `token` (if set) with every call.
std::shared_ptr<grpc::Channel> OpenChannel(const std::string& target, const ClientTls& tls, BearerToken token = {});
// The same with given credentials (e.g. ReloadingClientCertificates').
std::shared_ptr<grpc::Channel> OpenChannel(const std::string& target,
                                           const std::shared_ptr<grpc::ChannelCredentials>& credentials,
                                           BearerToken token);

// An in-process channel to `server` (started), sending `token` (if set) with
// every call as OpenChannel does: services hosted in one process (`gzedu
// serve`) call each other through it, authenticated like any caller.
std::shared_ptr<grpc::Channel> OpenInProcessChannel(grpc::Server& server, BearerToken token);

// A channel with the settings of the environment, as the CLI uses:
// ClientTlsFromEnvironment() and the token in GZEDU_TOKEN.
std::shared_ptr<grpc::Channel> OpenChannel(const std::string& target);

// True when HOST:PORT names a loopback interface (127.0.0.0/8, [::1],
// localhost): the only place plaintext is allowed without --insecure.
bool IsLoopbackAddress(absl::string_view host_port);

// Checks the transport flags a server was given: a certificate needs its
// key and the other way round, a client CA needs a certificate, and a
// non-loopback `listen` address needs TLS unless `insecure`. InvalidArgument
// naming the flag otherwise.
absl::Status CheckServerTransport(absl::string_view listen, const ServerTls& tls, bool insecure);

}  // namespace gzedu

#endif  // GZEDU_COMMON_GRPC_TLS_H_
