// SPDX-License-Identifier: Apache-2.0
// Throwaway PKI for TLS tests, made with the `openssl` CLI: a CA, a server certificate for
// given names and a client certificate, all PEM, EC P-256, valid for two days.
#pragma once

#include <string>
#include <vector>

namespace dockgate::test {

struct TlsFiles {
  std::string ca_cert;  ///< self-signed CA (trust store for both sides)
  std::string ca_key;
  std::string server_cert;  ///< CN = first server name; SAN = every server name
  std::string server_key;
  std::string client_cert;  ///< CN "dockgate-test-client", extendedKeyUsage clientAuth
  std::string client_key;
};

/// Writes the files into `dir` (which must exist). `server_names` become subjectAltName
/// entries: IPv4/IPv6 literals as IP:, everything else as DNS:. Throws std::runtime_error
/// with openssl's output when a step fails.
TlsFiles make_tls_files(const std::string& dir,
                        const std::vector<std::string>& server_names = {"127.0.0.1", "localhost"});

/// A certificate + key signed by `ca`'s CA, written as `<dir>/<stem>.crt` / `.key`.
struct IssuedCert {
  std::string cert;
  std::string key;
};

/// A server certificate for `server_names` (SANs as in make_tls_files) that expired on
/// 2020-01-02 (valid 2020-01-01 .. 2020-01-02), made with `openssl ca -startdate/-enddate`.
IssuedCert make_expired_server_cert(const std::string& dir, const TlsFiles& ca,
                                    const std::vector<std::string>& server_names);

}  // namespace dockgate::test
