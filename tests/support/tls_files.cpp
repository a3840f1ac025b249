// SPDX-License-Identifier: Apache-2.0
#include "tests/support/tls_files.hpp"

#include <arpa/inet.h>

#include <chrono>
#include <stdexcept>

#include "tests/support/subprocess.hpp"
#include "tests/support/temp_dir.hpp"

namespace dockgate::test {
namespace {

bool is_ip_literal(const std::string& name) {
  unsigned char buf[16];
  return ::inet_pton(AF_INET, name.c_str(), buf) == 1 ||
         ::inet_pton(AF_INET6, name.c_str(), buf) == 1;
}

void run_openssl(const std::string& dir, std::vector<std::string> args) {
  args.insert(args.begin(), "openssl");
  const std::string log = dir + "/openssl.log";
  SpawnOptions so;
  so.args = args;
  so.stdout_path = log;
  so.stderr_path = log;
  Subprocess p(so);
  const auto st = p.wait_for(std::chrono::seconds(30));
  if (!st || !st->success()) {
    std::string cmd;
    for (const auto& a : args) cmd += a + " ";
    throw std::runtime_error("make_tls_files: `" + cmd + "` failed (" +
                             (st ? st->describe() : std::string("timeout")) + "):\n" +
                             read_file(log));
  }
}

/// Key + CSR, then signed by the CA with the given extensions.
void issue(const std::string& dir, const std::string& stem, const std::string& cn,
           const std::string& extensions, const TlsFiles& ca) {
  const std::string key = dir + "/" + stem + ".key";
  const std::string csr = dir + "/" + stem + ".csr";
  const std::string ext = dir + "/" + stem + ".ext";
  write_file(ext, extensions);
  run_openssl(dir, {"req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-keyout", key, "-out", csr, "-subj", "/CN=" + cn});
  run_openssl(
      dir, {"x509", "-req", "-in", csr, "-CA", ca.ca_cert, "-CAkey", ca.ca_key, "-CAcreateserial",
            "-out", dir + "/" + stem + ".crt", "-days", "2", "-sha256", "-extfile", ext});
}

std::string san_line(const std::vector<std::string>& names) {
  std::string san = "subjectAltName=";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) san += ",";
    san += (is_ip_literal(names[i]) ? "IP:" : "DNS:") + names[i];
  }
  return san;
}

}  // namespace

IssuedCert make_expired_server_cert(const std::string& dir, const TlsFiles& ca,
                                    const std::vector<std::string>& server_names) {
  IssuedCert out{dir + "/expired.crt", dir + "/expired.key"};
  const std::string csr = dir + "/expired.csr";
  const std::string ext = dir + "/expired.ext";
  const std::string cnf = dir + "/expired-ca.cnf";
  // `openssl x509 -days` cannot go back in time; `openssl ca` takes explicit dates.
  write_file(cnf, "[ca]\ndefault_ca=dg\n[dg]\ndatabase=" + dir + "/expired-index.txt\n" +
                      "new_certs_dir=" + dir + "\nserial=" + dir + "/expired-serial\n" +
                      "default_md=sha256\npolicy=any\n[any]\ncommonName=supplied\n");
  write_file(dir + "/expired-index.txt", "");
  write_file(dir + "/expired-serial", "1000\n");
  write_file(ext,
             "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n"
             "extendedKeyUsage=serverAuth\n" +
                 san_line(server_names) + "\n");
  run_openssl(dir,
              {"req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
               "-keyout", out.key, "-out", csr, "-subj", "/CN=" + server_names.front()});
  run_openssl(dir, {"ca", "-batch", "-config", cnf, "-cert", ca.ca_cert, "-keyfile", ca.ca_key,
                    "-in", csr, "-out", out.cert, "-startdate", "20200101000000Z", "-enddate",
                    "20200102000000Z", "-extfile", ext, "-notext"});
  return out;
}

TlsFiles make_tls_files(const std::string& dir, const std::vector<std::string>& server_names) {
  if (server_names.empty()) throw std::runtime_error("make_tls_files: no server names");
  TlsFiles f;
  f.ca_cert = dir + "/ca.crt";
  f.ca_key = dir + "/ca.key";
  f.server_cert = dir + "/server.crt";
  f.server_key = dir + "/server.key";
  f.client_cert = dir + "/client.crt";
  f.client_key = dir + "/client.key";

  run_openssl(dir, {"req",      "-x509",
                    "-newkey",  "ec",
                    "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes",   "-keyout",
                    f.ca_key,   "-out",
                    f.ca_cert,  "-days",
                    "2",        "-sha256",
                    "-subj",    "/CN=dockgate-test-ca",
                    "-addext",  "basicConstraints=critical,CA:TRUE",
                    "-addext",  "keyUsage=critical,keyCertSign,cRLSign"});

  const std::string san = san_line(server_names);
  issue(dir, "server", server_names.front(),
        "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n"
        "extendedKeyUsage=serverAuth\n" +
            san + "\n",
        f);
  issue(dir, "client", "dockgate-test-client",
        "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n"
        "extendedKeyUsage=clientAuth\n",
        f);
  return f;
}

}  // namespace dockgate::test
