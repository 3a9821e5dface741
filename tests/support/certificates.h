#ifndef GZEDU_TESTS_SUPPORT_CERTIFICATES_H_
#define GZEDU_TESTS_SUPPORT_CERTIFICATES_H_

// Test certificates made with the openssl command: a CA, and certificates
// it signs for 127.0.0.1 and localhost usable by servers and clients alike.
// EC P-256 keys, valid for two days. Not thread-safe.

#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "tests/support/subprocess.h"

namespace gzedu::testing {

// Files of one certificate: `cert` (PEM chain), `key` (PEM private key).
struct CertificateFiles {
  std::string cert;
  std::string key;
};

inline void Openssl(const std::vector<std::string>& arguments) {
  std::vector<std::string> argv = {"openssl"};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  std::string out, err;
  const int code = RunCommand(argv, &out, &err);
  ASSERT_EQ(code, 0) << "openssl " << arguments[0] << " failed: " << err;
}

// A self-signed CA named `name` in `dir` (dir/name.crt, dir/name.key).
inline CertificateFiles MakeCa(const std::string& dir, const std::string& name) {
  CertificateFiles ca{dir + "/" + name + ".crt", dir + "/" + name + ".key"};
  Openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", ca.key,
           "-out", ca.cert, "-days", "2", "-subj", "/CN=gzedu test " + name, "-addext",
           "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"});
  return ca;
}

// A certificate for `common_name`, signed by `ca`, for 127.0.0.1 and
// localhost, usable as server and as client certificate.
inline CertificateFiles MakeCertificate(const std::string& dir, const std::string& name, const CertificateFiles& ca,
                                        const std::string& common_name) {
  CertificateFiles files{dir + "/" + name + ".crt", dir + "/" + name + ".key"};
  const std::string csr = dir + "/" + name + ".csr";
  const std::string extensions = dir + "/" + name + ".ext";
  std::ofstream(extensions) << "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                               "extendedKeyUsage=serverAuth,clientAuth\n"
                               "basicConstraints=CA:FALSE\n";
  Openssl({"req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", files.key, "-out",
           csr, "-subj", "/CN=" + common_name});
  Openssl({"x509", "-req", "-in", csr, "-CA", ca.cert, "-CAkey", ca.key, "-CAcreateserial", "-out", files.cert, "-days",
           "2", "-extfile", extensions});
  return files;
}

}  // namespace gzedu::testing

#endif  // GZEDU_TESTS_SUPPORT_CERTIFICATES_H_
