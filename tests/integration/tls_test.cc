// Transport security through the real binaries: TLS, mutual TLS, a
// certificate rotated without a restart, the plaintext health-only port,
// plaintext refused on non-loopback addresses, and the evaluation service
// reading mutual-TLS sources.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

#include "common/grpc/tls.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gzedu/indicators/v1/indicators.grpc.pb.h"
#include "gzedu/registry/v1/registry.grpc.pb.h"
#include "tests/support/certificates.h"
#include "tests/support/server_process.h"

namespace gzedu {
namespace {

using gzedu::testing::CertificateFiles;
using gzedu::testing::ServerProcess;
using gzedu::testing::TempDir;
namespace rv1 = gzedu::registry::v1;

// Client settings trusting `ca`, with no client certificate.
ClientTls Trusting(const CertificateFiles& ca) {
  ClientTls tls;
  tls.ca_path = ca.cert;
  return tls;
}

// Client settings trusting `ca` and presenting `identity`.
ClientTls Presenting(const CertificateFiles& ca, const CertificateFiles& identity) {
  ClientTls tls = Trusting(ca);
  tls.cert_path = identity.cert;
  tls.key_path = identity.key;
  return tls;
}

// Lists schools on `address` over a new channel with `tls`.
grpc::Status ListSchools(const std::string& address, const ClientTls& tls) {
  auto stub = rv1::SchoolRegistryService::NewStub(OpenChannel(address, tls));
  rv1::ListSchoolsRequest request;
  rv1::ListSchoolsResponse response;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  return stub->ListSchools(&context, request, &response);
}

class TlsTest : public ::testing::Test {
 protected:
  TlsTest()
      : ca_(gzedu::testing::MakeCa(dir_.path(), "ca")),
        other_ca_(gzedu::testing::MakeCa(dir_.path(), "other-ca")),
        server_(gzedu::testing::MakeCertificate(dir_.path(), "server", ca_, "school-registry")),
        client_(gzedu::testing::MakeCertificate(dir_.path(), "client", ca_, "district-440114")),
        stranger_(gzedu::testing::MakeCertificate(dir_.path(), "stranger", other_ca_, "district-440114")) {}

  std::unique_ptr<ServerProcess> Registry(std::vector<std::string> flags) {
    flags.push_back("--tls-cert=" + server_.cert);
    flags.push_back("--tls-key=" + server_.key);
    return std::make_unique<ServerProcess>(GZEDU_REGISTRY_BINARY, dir_.path() + "/registry.db", flags);
  }

  TempDir dir_;
  CertificateFiles ca_, other_ca_, server_, client_, stranger_;
};

TEST_F(TlsTest, ATlsServerAnswersVerifyingClientsAndRefusesPlaintext) {
  auto server = Registry({});
  const std::string address = server->grpc_address();
  EXPECT_TRUE(ListSchools(address, Trusting(ca_)).ok());
  EXPECT_EQ(ListSchools(address, ClientTls{}).error_code(), grpc::StatusCode::UNAVAILABLE) << "plaintext answered";
  EXPECT_EQ(ListSchools(address, Trusting(other_ca_)).error_code(), grpc::StatusCode::UNAVAILABLE)
      << "a certificate from an untrusted CA was accepted";
  server->Stop(SIGTERM);
}

TEST_F(TlsTest, MutualTlsRefusesClientsWithoutACertificateOfTheClientCa) {
  auto server = Registry({"--tls-client-ca=" + ca_.cert});
  const std::string address = server->grpc_address();
  EXPECT_EQ(ListSchools(address, Trusting(ca_)).error_code(), grpc::StatusCode::UNAVAILABLE)
      << "no client certificate, yet the handshake succeeded";
  EXPECT_EQ(ListSchools(address, Presenting(ca_, stranger_)).error_code(), grpc::StatusCode::UNAVAILABLE)
      << "a client certificate of another CA was accepted";
  EXPECT_TRUE(ListSchools(address, Presenting(ca_, client_)).ok());
  server->Stop(SIGTERM);
}

TEST_F(TlsTest, ARotatedCertificateTakesEffectWithoutARestart) {
  auto server = Registry({"--tls-refresh-seconds=1"});
  const std::string address = server->grpc_address();
  ASSERT_TRUE(ListSchools(address, Trusting(ca_)).ok());
  ASSERT_FALSE(ListSchools(address, Trusting(other_ca_)).ok());

  // The new certificate (from the other CA) replaces the files in place,
  // each by an atomic rename, as a secret update does.
  const CertificateFiles next = gzedu::testing::MakeCertificate(dir_.path(), "next", other_ca_, "school-registry");
  std::filesystem::copy_file(next.key, server_.key + ".new");
  std::filesystem::copy_file(next.cert, server_.cert + ".new");
  std::filesystem::rename(server_.key + ".new", server_.key);
  std::filesystem::rename(server_.cert + ".new", server_.cert);

  bool rotated = false;
  for (int i = 0; i < 100 && !rotated; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    rotated = ListSchools(address, Trusting(other_ca_)).ok();
  }
  EXPECT_TRUE(rotated) << "the server still presents the old certificate";
  EXPECT_FALSE(ListSchools(address, Trusting(ca_)).ok()) << "the old certificate is still served";
  server->Stop(SIGTERM);
}

// The value of the unlabelled sample `name` on `metrics_address`'s /metrics;
// -1 when absent.
double MetricValue(const std::string& metrics_address, const std::string& name) {
  const std::string text = gzedu::testing::HttpGet(metrics_address, "/metrics");
  const size_t at = text.find("\n" + name + " ");
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + name.size() + 2));
}

TEST_F(TlsTest, EveryServerRefusesToStartWithTlsFilesThatCannotServe) {
  const std::string missing = dir_.path() + "/missing.crt";
  const std::string not_pem = dir_.path() + "/not-pem.crt";
  std::ofstream(not_pem) << "not a certificate\n";
  struct Case {
    std::vector<std::string> flags;
    std::string expected;
  };
  const std::vector<Case> cases = {
      // The client's key with the server's certificate.
      {{"--tls-cert=" + server_.cert, "--tls-key=" + client_.key}, "does not match the certificate"},
      {{"--tls-cert=" + missing, "--tls-key=" + server_.key}, "cannot read " + missing},
      {{"--tls-cert=" + not_pem, "--tls-key=" + server_.key}, "holds no PEM certificate"},
      {{"--tls-cert=" + server_.cert, "--tls-key=" + server_.cert}, "holds no unencrypted PEM private key"},
      {{"--tls-cert=" + server_.cert, "--tls-key=" + server_.key, "--tls-client-ca=" + not_pem},
       "--tls-client-ca: " + not_pem},
  };
  for (const char* binary :
       {GZEDU_REGISTRY_BINARY, GZEDU_ROTATION_BINARY, GZEDU_LEDGER_BINARY, GZEDU_EVALUATION_BINARY}) {
    for (const Case& c : cases) {
      std::vector<std::string> argv = {binary, "--listen=127.0.0.1:0", "--metrics-listen=127.0.0.1:0",
                                       "--database=sqlite://" + dir_.path() + "/refused.db"};
      argv.insert(argv.end(), c.flags.begin(), c.flags.end());
      std::string out, err;
      EXPECT_EQ(gzedu::testing::RunCommand(argv, &out, &err), 2) << binary << " " << c.expected << ": " << out << err;
      EXPECT_EQ(out.find("listening"), std::string::npos) << binary << ": " << out;
      EXPECT_NE(err.find(c.expected), std::string::npos) << binary << ": " << err;
      EXPECT_FALSE(std::filesystem::exists(dir_.path() + "/refused.db")) << binary << " opened its database";
    }
  }
}

TEST_F(TlsTest, ARotationToABrokenPairKeepsTheLastGoodOneAndSaysSo) {
  auto server = Registry({"--tls-refresh-seconds=1"});
  const std::string address = server->grpc_address();
  const std::string metrics = server->metrics_address();
  ASSERT_TRUE(ListSchools(address, Trusting(ca_)).ok());
  EXPECT_EQ(MetricValue(metrics, "gzedu_tls_certificate_reload_failures_total"), 0);
  EXPECT_EQ(MetricValue(metrics, "gzedu_tls_certificate_last_reload_successful"), 1);
  const double expiry = MetricValue(metrics, "gzedu_tls_certificate_expiry_timestamp_seconds");
  EXPECT_GT(expiry, static_cast<double>(std::time(nullptr))) << "the expiry of a certificate valid for two days";

  // Each broken rotation in turn: a key that does not match the certificate,
  // then no key file at all. Each is refused and said so; the old pair keeps
  // serving.
  struct Breakage {
    std::function<void()> apply;
    std::string logged;
  };
  const std::vector<Breakage> breakages = {
      {[&] {
         std::filesystem::copy_file(stranger_.key, server_.key + ".new");
         std::filesystem::rename(server_.key + ".new", server_.key);
       },
       "does not match the certificate"},
      {[&] { std::filesystem::remove(server_.key); }, "cannot read " + server_.key},
  };
  double failures = 0;
  for (const Breakage& breakage : breakages) {
    breakage.apply();
    const double before = failures;
    bool said = false;
    for (int i = 0; i < 100 && !said; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      said = server->process().stderr_text().find(breakage.logged) != std::string::npos;
    }
    EXPECT_TRUE(said) << breakage.logged << ": no log line; " << server->process().stderr_text();
    failures = MetricValue(metrics, "gzedu_tls_certificate_reload_failures_total");
    EXPECT_GT(failures, before) << breakage.logged << ": the refusal was not counted";
    EXPECT_EQ(MetricValue(metrics, "gzedu_tls_certificate_last_reload_successful"), 0) << breakage.logged;
    EXPECT_TRUE(ListSchools(address, Trusting(ca_)).ok()) << breakage.logged << ": the last good pair stopped serving";
    EXPECT_EQ(MetricValue(metrics, "gzedu_tls_certificate_expiry_timestamp_seconds"), expiry) << breakage.logged;
  }
  EXPECT_NE(server->process().stderr_text().find("tls certificate reload refused; serving the last good certificate"),
            std::string::npos);

  // A good pair again (of the other CA) takes over.
  const CertificateFiles next = gzedu::testing::MakeCertificate(dir_.path(), "next", other_ca_, "school-registry");
  std::filesystem::copy_file(next.cert, server_.cert + ".new");
  std::filesystem::rename(server_.cert + ".new", server_.cert);
  std::filesystem::copy_file(next.key, server_.key + ".new");
  std::filesystem::rename(server_.key + ".new", server_.key);
  bool rotated = false;
  for (int i = 0; i < 100 && !rotated; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    rotated = ListSchools(address, Trusting(other_ca_)).ok();
  }
  EXPECT_TRUE(rotated) << "the good pair after the broken ones was not taken";
  EXPECT_EQ(MetricValue(metrics, "gzedu_tls_certificate_last_reload_successful"), 1);
  server->Stop(SIGTERM);
}

TEST_F(TlsTest, TheHealthPortAnswersPlaintextAndNothingElse) {
  auto server = Registry({"--tls-client-ca=" + ca_.cert, "--health-listen=127.0.0.1:0"});
  const std::string line = server->process().stdout_text();
  const std::string health_address = gzedu::testing::WordValue(line.substr(0, line.find('\n')), "health");
  ASSERT_FALSE(health_address.empty()) << line;
  auto channel = grpc::CreateChannel(health_address, grpc::InsecureChannelCredentials());
  auto health = grpc::health::v1::Health::NewStub(channel);
  grpc::health::v1::HealthCheckRequest request;
  request.set_service("gzedu.registry.v1.SchoolRegistryService");
  grpc::health::v1::HealthCheckResponse response;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(health->Check(&context, request, &response).ok());
  }
  EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);
  // The data is not reachable through the plaintext port.
  auto registry = rv1::SchoolRegistryService::NewStub(channel);
  rv1::ListSchoolsResponse schools;
  grpc::ClientContext context;
  EXPECT_EQ(registry->ListSchools(&context, rv1::ListSchoolsRequest(), &schools).error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
  server->Stop(SIGTERM);
}

TEST_F(TlsTest, PlaintextOnANonLoopbackAddressIsRefusedUnlessInsecureIsGiven) {
  std::string out, err;
  EXPECT_EQ(gzedu::testing::RunCommand({GZEDU_REGISTRY_BINARY, "--listen=0.0.0.0:0", "--metrics-listen=127.0.0.1:0",
                                        "--database=sqlite://" + dir_.path() + "/refused.db"},
                                       &out, &err),
            2);
  EXPECT_NE(err.find("--insecure"), std::string::npos) << err;
  EXPECT_FALSE(std::filesystem::exists(dir_.path() + "/refused.db")) << "it opened its database before refusing";
  EXPECT_EQ(gzedu::testing::RunCommand({GZEDU_CLI_BINARY, "serve", "--listen=0.0.0.0:0", "--metrics-listen=127.0.0.1:0",
                                        "--data-dir=" + dir_.path() + "/serve"},
                                       &out, &err),
            2);
  EXPECT_NE(err.find("--insecure"), std::string::npos) << err;
  // TLS alone is not enough off loopback: calls must be authenticated too.
  EXPECT_EQ(gzedu::testing::RunCommand({GZEDU_REGISTRY_BINARY, "--listen=0.0.0.0:0", "--metrics-listen=127.0.0.1:0",
                                        "--database=sqlite://" + dir_.path() + "/refused.db",
                                        "--tls-cert=" + server_.cert, "--tls-key=" + server_.key},
                                       &out, &err),
            2);
  EXPECT_NE(err.find("--auth-key-file"), std::string::npos) << err;
  // Nor is --insecure: it allows plaintext, never unauthenticated calls.
  EXPECT_EQ(gzedu::testing::RunCommand({GZEDU_REGISTRY_BINARY, "--listen=0.0.0.0:0", "--metrics-listen=127.0.0.1:0",
                                        "--database=sqlite://" + dir_.path() + "/refused.db", "--insecure"},
                                       &out, &err),
            2);
  EXPECT_NE(err.find("--auth-key-file"), std::string::npos) << err;
  EXPECT_EQ(gzedu::testing::RunCommand({GZEDU_CLI_BINARY, "serve", "--listen=0.0.0.0:0", "--metrics-listen=127.0.0.1:0",
                                        "--data-dir=" + dir_.path() + "/serve", "--insecure"},
                                       &out, &err),
            2);
  EXPECT_NE(err.find("--auth-key-file"), std::string::npos) << err;
  // Explicitly insecure with tokens, or with TLS and tokens, it starts.
  const std::string key = dir_.path() + "/signing.key";
  std::ofstream(key) << "a-signing-key-of-more-than-thirty-two-bytes\n";
  ServerProcess insecure(GZEDU_REGISTRY_BINARY, dir_.path() + "/insecure.db",
                         {"--listen=0.0.0.0:0", "--insecure", "--auth-key-file=" + key});
  EXPECT_FALSE(insecure.grpc_address().empty());
  insecure.Stop(SIGTERM);
  auto tls = Registry({"--listen=0.0.0.0:0", "--auth-key-file=" + key});
  EXPECT_FALSE(tls->grpc_address().empty());
  tls->Stop(SIGTERM);
}

TEST_F(TlsTest, TheEvaluationServiceReadsItsSourcesOverMutualTls) {
  const std::vector<std::string> mutual = {"--tls-cert=" + server_.cert, "--tls-key=" + server_.key,
                                           "--tls-client-ca=" + ca_.cert};
  ServerProcess registry(GZEDU_REGISTRY_BINARY, dir_.path() + "/r.db", mutual);
  ServerProcess rotation(GZEDU_ROTATION_BINARY, dir_.path() + "/t.db", mutual);
  ServerProcess ledger(GZEDU_LEDGER_BINARY, dir_.path() + "/l.db", mutual);
  std::vector<std::string> evaluation_flags = mutual;
  evaluation_flags.insert(evaluation_flags.end(),
                          {"--tls-ca=" + ca_.cert, "--registry=" + registry.grpc_address(),
                           "--rotation=" + rotation.grpc_address(), "--ledger=" + ledger.grpc_address()});
  ServerProcess evaluation(GZEDU_EVALUATION_BINARY, dir_.path() + "/e.db", evaluation_flags);

  // The CLI, with its TLS settings from the environment, evaluates a
  // district: the evaluation service read all three sources.
  setenv("GZEDU_TLS_CA", ca_.cert.c_str(), 1);
  setenv("GZEDU_TLS_CERT", client_.cert.c_str(), 1);
  setenv("GZEDU_TLS_KEY", client_.key.c_str(), 1);
  std::string out, err;
  const int code = gzedu::testing::RunCommand(
      {GZEDU_CLI_BINARY, "evaluate", "--target=" + evaluation.grpc_address(), "--district=440114", "--format=json"},
      &out, &err);
  unsetenv("GZEDU_TLS_CA");
  unsetenv("GZEDU_TLS_CERT");
  unsetenv("GZEDU_TLS_KEY");
  EXPECT_EQ(code, 0) << out << err;
  EXPECT_NE(out.find("\"district_code\""), std::string::npos) << out;
  // Without the client settings the CLI cannot reach it.
  EXPECT_NE(
      gzedu::testing::RunCommand(
          {GZEDU_CLI_BINARY, "evaluate", "--target=" + evaluation.grpc_address(), "--district=440114"}, &out, &err),
      0);
  for (ServerProcess* server : {&evaluation, &ledger, &rotation, &registry}) server->Stop(SIGTERM);
}

// The evaluation service's client certificate towards its sources is
// re-read like a server's: sources that trust only the new client CA accept
// it after a rotation, and a rotation to a broken pair keeps the last good
// one for new connections, saying so.
TEST_F(TlsTest, TheEvaluationServicePresentsARotatedClientCertificateToItsSourcesAndKeepsTheLastGoodOne) {
  const std::vector<std::string> sources_flags = {"--tls-cert=" + server_.cert, "--tls-key=" + server_.key,
                                                  "--tls-client-ca=" + other_ca_.cert};
  ServerProcess registry(GZEDU_REGISTRY_BINARY, dir_.path() + "/r.db", sources_flags);
  ServerProcess rotation(GZEDU_ROTATION_BINARY, dir_.path() + "/t.db", sources_flags);
  ServerProcess ledger(GZEDU_LEDGER_BINARY, dir_.path() + "/l.db", sources_flags);
  // The evaluation service's certificate (its server's, and its client's
  // towards the sources), first one of the CA the sources do not trust.
  const std::string cert = dir_.path() + "/evaluation.crt";
  const std::string key = dir_.path() + "/evaluation.key";
  std::filesystem::copy_file(client_.cert, cert);
  std::filesystem::copy_file(client_.key, key);
  const std::string both_cas = dir_.path() + "/both-cas.crt";
  {
    std::ofstream bundle(both_cas);
    bundle << std::ifstream(ca_.cert).rdbuf() << std::ifstream(other_ca_.cert).rdbuf();
  }
  ServerProcess evaluation(GZEDU_EVALUATION_BINARY, dir_.path() + "/e.db",
                           {"--tls-cert=" + cert, "--tls-key=" + key, "--tls-refresh-seconds=1", "--tls-ca=" + ca_.cert,
                            "--registry=" + registry.grpc_address(), "--rotation=" + rotation.grpc_address(),
                            "--ledger=" + ledger.grpc_address()});
  ASSERT_FALSE(evaluation.grpc_address().empty());
  const std::string metrics = evaluation.metrics_address();
  EXPECT_EQ(MetricValue(metrics, "gzedu_tls_client_certificate_last_reload_successful"), 1);

  // `gzedu evaluate` of a district through the evaluation service (trusting
  // either CA for its server certificate): its exit status.
  auto evaluate = [&](const std::string& district) {
    setenv("GZEDU_TLS_CA", both_cas.c_str(), 1);
    std::string out, err;
    const int code = gzedu::testing::RunCommand({GZEDU_CLI_BINARY, "evaluate", "--target=" + evaluation.grpc_address(),
                                                 "--district=" + district, "--format=json"},
                                                &out, &err);
    unsetenv("GZEDU_TLS_CA");
    return code;
  };
  auto eventually = [&](const std::string& district) {
    for (int i = 0; i < 60; ++i) {
      if (evaluate(district) == 0) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    return false;
  };
  EXPECT_NE(evaluate("440114"), 0) << "the sources accepted a client certificate of a CA they do not trust";

  // Rotated in place to a certificate of the CA the sources trust.
  const CertificateFiles next =
      gzedu::testing::MakeCertificate(dir_.path(), "evaluation-next", other_ca_, "indicator-evaluation");
  std::filesystem::copy_file(next.key, key + ".new");
  std::filesystem::copy_file(next.cert, cert + ".new");
  std::filesystem::rename(key + ".new", key);
  std::filesystem::rename(cert + ".new", cert);
  EXPECT_TRUE(eventually("440114")) << "the rotated client certificate was not presented to the sources";
  EXPECT_EQ(MetricValue(metrics, "gzedu_tls_client_certificate_reload_failures_total"), 0);
  const double expiry = MetricValue(metrics, "gzedu_tls_client_certificate_expiry_timestamp_seconds");
  EXPECT_GT(expiry, static_cast<double>(std::time(nullptr)));

  // A broken rotation (a key of another certificate) is refused and said so.
  std::filesystem::copy_file(stranger_.key, key + ".new");
  std::filesystem::rename(key + ".new", key);
  bool said = false;
  for (int i = 0; i < 100 && !said; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    said = evaluation.process().stderr_text().find("tls client certificate reload refused") != std::string::npos;
  }
  EXPECT_TRUE(said) << evaluation.process().stderr_text();
  EXPECT_GT(MetricValue(metrics, "gzedu_tls_client_certificate_reload_failures_total"), 0);
  EXPECT_EQ(MetricValue(metrics, "gzedu_tls_client_certificate_last_reload_successful"), 0);
  EXPECT_EQ(MetricValue(metrics, "gzedu_tls_client_certificate_expiry_timestamp_seconds"), expiry);

  // New connections still present the last good certificate: the registry
  // restarted on its port is reached again (another district, so nothing
  // comes from the evaluation service's cache).
  const std::string registry_address = registry.grpc_address();
  registry.Stop(SIGTERM);
  std::vector<std::string> again_flags = sources_flags;
  again_flags.push_back("--listen=" + registry_address);
  ServerProcess registry_again(GZEDU_REGISTRY_BINARY, dir_.path() + "/r.db", again_flags);
  ASSERT_EQ(registry_again.grpc_address(), registry_address);
  EXPECT_TRUE(eventually("440103")) << "a new connection did not present the last good client certificate";
  for (ServerProcess* server : {&evaluation, &ledger, &rotation, &registry_again}) server->Stop(SIGTERM);
}

}  // namespace
}  // namespace gzedu
