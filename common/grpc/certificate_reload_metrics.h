#ifndef GZEDU_COMMON_GRPC_CERTIFICATE_RELOAD_METRICS_H_
#define GZEDU_COMMON_GRPC_CERTIFICATE_RELOAD_METRICS_H_

#include <cstdint>
#include <string>

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

namespace gzedu {

// The three metrics of TLS files re-read while in use (the server's
// certificate, or the client certificate a service presents to its sources):
// `<prefix>_reload_failures_total` counts refused re-reads,
// `<prefix>_last_reload_successful` is 0 while the files on disk are refused,
// `<prefix>_expiry_timestamp_seconds` is the expiry (Unix seconds) of the
// certificate in use. `files` names what is read, `kept` what happens to the
// last good set, for the help texts. The registry must outlive this.
class CertificateReloadMetrics {
 public:
  CertificateReloadMetrics(prometheus::Registry& registry, const std::string& prefix, const std::string& files,
                           const std::string& kept, int64_t first_not_after_unix_s)
      : reload_failures_(prometheus::BuildCounter()
                             .Name(prefix + "_reload_failures_total")
                             .Help("Re-reads of the " + files + " that were refused (" + kept + ").")
                             .Register(registry)
                             .Add({})),
        last_reload_successful_(prometheus::BuildGauge()
                                    .Name(prefix + "_last_reload_successful")
                                    .Help("1 when the " + files +
                                          " last read are the ones in use, 0 while they are "
                                          "refused.")
                                    .Register(registry)
                                    .Add({})),
        expiry_timestamp_seconds_(prometheus::BuildGauge()
                                      .Name(prefix + "_expiry_timestamp_seconds")
                                      .Help("Expiry of the certificate in use, in Unix seconds (0: none).")
                                      .Register(registry)
                                      .Add({})) {
    Accepted(first_not_after_unix_s);
  }

  // New files were taken into use.
  void Accepted(int64_t not_after_unix_s) {
    last_reload_successful_.Set(1);
    expiry_timestamp_seconds_.Set(static_cast<double>(not_after_unix_s));
  }
  // The files are the ones in use again after a refusal.
  void Recovered() { last_reload_successful_.Set(1); }
  // A re-read was refused; the last good set stays in use.
  void Refused() {
    reload_failures_.Increment();
    last_reload_successful_.Set(0);
  }

 private:
  prometheus::Counter& reload_failures_;
  prometheus::Gauge& last_reload_successful_;
  prometheus::Gauge& expiry_timestamp_seconds_;
};

}  // namespace gzedu

#endif  // GZEDU_COMMON_GRPC_CERTIFICATE_RELOAD_METRICS_H_
