// SPDX-License-Identifier: Apache-2.0
#include "uplink/tls_check.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace dockgate::uplink {
namespace {

template <class T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using CtxPtr = std::unique_ptr<SSL_CTX, Deleter<SSL_CTX, SSL_CTX_free>>;
using SslPtr = std::unique_ptr<SSL, Deleter<SSL, SSL_free>>;

/// A file descriptor closed on scope exit.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

std::string time_text(const ASN1_TIME* t) {
  BIO* bio = BIO_new(BIO_s_mem());
  if (bio == nullptr) return "?";
  ASN1_TIME_print(bio, t);
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<std::size_t>(len));
  BIO_free(bio);
  return out;
}

/// The last OpenSSL error's reason ("certificate verify failed"), "" when none. Clears the
/// thread's error queue (Paho shares OpenSSL; leave nothing behind).
std::string openssl_reason() {
  unsigned long last = 0;
  while (const unsigned long e = ERR_get_error()) last = e;
  if (last == 0) return "";
  const char* reason = ERR_reason_error_string(last);
  if (reason != nullptr) return reason;
  char buf[256];
  ERR_error_string_n(last, buf, sizeof buf);
  return buf;
}

X509Ptr read_cert(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "r");
  if (f == nullptr) return nullptr;
  X509Ptr cert(PEM_read_X509(f, nullptr, nullptr, nullptr));
  std::fclose(f);
  return cert;
}

/// "TLS: <what> <path> expired (notAfter ...)" / "not yet valid", or "".
std::string validity_problem(const std::string& what, const std::string& path, const X509* cert) {
  if (X509_cmp_current_time(X509_get0_notAfter(cert)) < 0) {
    return "TLS: " + what + " " + path + " expired (notAfter " +
           time_text(X509_get0_notAfter(cert)) + ")";
  }
  if (X509_cmp_current_time(X509_get0_notBefore(cert)) > 0) {
    return "TLS: " + what + " " + path + " not yet valid (notBefore " +
           time_text(X509_get0_notBefore(cert)) + ")";
  }
  return "";
}

/// The certificate's DNS/IP subjectAltNames, or its CN when it has none, comma-separated.
std::string names_of(X509* cert) {
  std::string out;
  auto* sans =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  if (sans != nullptr) {
    for (int i = 0; i < sk_GENERAL_NAME_num(sans); ++i) {
      const GENERAL_NAME* n = sk_GENERAL_NAME_value(sans, i);
      std::string name;
      if (n->type == GEN_DNS) {
        name.assign(reinterpret_cast<const char*>(ASN1_STRING_get0_data(n->d.dNSName)),
                    static_cast<std::size_t>(ASN1_STRING_length(n->d.dNSName)));
      } else if (n->type == GEN_IPADD) {
        const int len = ASN1_STRING_length(n->d.iPAddress);
        char text[INET6_ADDRSTRLEN] = {};
        ::inet_ntop(len == 4 ? AF_INET : AF_INET6, ASN1_STRING_get0_data(n->d.iPAddress), text,
                    sizeof text);
        name = text;
      }
      if (!name.empty()) out += (out.empty() ? "" : ", ") + name;
    }
    GENERAL_NAMES_free(sans);
  }
  if (out.empty()) {
    char cn[256] = {};
    X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn, sizeof cn);
    out = cn;
  }
  return out;
}

/// TCP connect with a timeout; -1 when the broker cannot be reached.
int tcp_connect(const BrokerUri& uri, std::chrono::milliseconds timeout) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (::getaddrinfo(uri.host.c_str(), std::to_string(uri.port).c_str(), &hints, &res) != 0) {
    return -1;
  }
  int result = -1;
  for (addrinfo* ai = res; ai != nullptr && result < 0; ai = ai->ai_next) {
    const int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK, ai->ai_protocol);
    if (fd < 0) continue;
    int rc = ::connect(fd, ai->ai_addr, ai->ai_addrlen);
    if (rc != 0 && errno == EINPROGRESS) {
      pollfd p{fd, POLLOUT, 0};
      int err = 0;
      socklen_t len = sizeof err;
      rc = ::poll(&p, 1, static_cast<int>(timeout.count())) == 1 &&
                   ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0
               ? 0
               : -1;
    }
    if (rc == 0) {
      result = fd;
    } else {
      ::close(fd);
    }
  }
  ::freeaddrinfo(res);
  if (result >= 0) {
    // Back to blocking, with the timeout on every read and write of the handshake.
    ::fcntl(result, F_SETFL, 0);
    timeval tv{static_cast<time_t>(timeout.count() / 1000),
               static_cast<suseconds_t>((timeout.count() % 1000) * 1000)};
    ::setsockopt(result, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(result, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  }
  return result;
}

bool is_ip(const std::string& host) {
  unsigned char buf[16];
  return ::inet_pton(AF_INET, host.c_str(), buf) == 1 ||
         ::inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

}  // namespace

std::string unreadable_reason(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "r");
  if (f == nullptr) return std::strerror(errno);
  char c = 0;
  const bool fails = std::fread(&c, 1, 1, f) == 0 && std::ferror(f) != 0;
  const int err = errno;
  std::fclose(f);
  return fails ? std::strerror(err) : "";  // a directory opens but does not read
}

std::string check_tls_files(const MqttOptions& o) {
  if (!o.ca_file.empty()) {
    if (auto why = unreadable_reason(o.ca_file); !why.empty()) {
      return "TLS: CA file " + o.ca_file + " not readable: " + why;
    }
    const auto ca = read_cert(o.ca_file);
    if (!ca) return "TLS: CA file " + o.ca_file + " holds no PEM certificate";
    if (auto p = validity_problem("CA certificate", o.ca_file, ca.get()); !p.empty()) return p;
  }
  if (o.cert_file.empty()) return "";
  const std::string key_path = o.key_file.empty() ? o.cert_file : o.key_file;
  if (auto why = unreadable_reason(o.cert_file); !why.empty()) {
    return "TLS: client certificate " + o.cert_file + " not readable: " + why;
  }
  if (auto why = unreadable_reason(key_path); !why.empty()) {
    return "TLS: client key " + key_path + " not readable: " + why;
  }
  const auto cert = read_cert(o.cert_file);
  if (!cert) return "TLS: client certificate " + o.cert_file + " holds no PEM certificate";
  if (auto p = validity_problem("client certificate", o.cert_file, cert.get()); !p.empty()) {
    return p;
  }
  FILE* f = std::fopen(key_path.c_str(), "r");
  KeyPtr key(f != nullptr ? PEM_read_PrivateKey(f, nullptr, nullptr, nullptr) : nullptr);
  if (f != nullptr) std::fclose(f);
  openssl_reason();  // clear the queue
  if (!key) return "TLS: client key " + key_path + " holds no (unencrypted) PEM private key";
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    openssl_reason();
    return "TLS: client key " + key_path + " does not match the certificate " + o.cert_file;
  }
  return "";
}

std::string probe_tls(const MqttOptions& o, const BrokerUri& uri,
                      std::chrono::milliseconds timeout) {
  Fd sock{tcp_connect(uri, timeout)};
  if (sock.fd < 0) return "";  // not a TLS problem: the broker is not reachable
  CtxPtr ctx(SSL_CTX_new(TLS_client_method()));
  if (!ctx) return "";
  const bool ca_ok =
      o.ca_file.empty() ? SSL_CTX_set_default_verify_paths(ctx.get()) == 1
                        : SSL_CTX_load_verify_locations(ctx.get(), o.ca_file.c_str(), nullptr) == 1;
  if (!ca_ok) return "TLS: CA file " + o.ca_file + " not usable: " + openssl_reason();
  // Verification results are read after the handshake, so one probe can name the problem.
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);
  if (!o.cert_file.empty()) {
    const std::string key = o.key_file.empty() ? o.cert_file : o.key_file;
    if (SSL_CTX_use_certificate_chain_file(ctx.get(), o.cert_file.c_str()) != 1 ||
        SSL_CTX_use_PrivateKey_file(ctx.get(), key.c_str(), SSL_FILETYPE_PEM) != 1) {
      return "TLS: client certificate/key not usable: " + openssl_reason();
    }
  }
  SslPtr ssl(SSL_new(ctx.get()));
  if (!ssl) return "";
  SSL_set_fd(ssl.get(), sock.fd);
  if (!is_ip(uri.host)) SSL_set_tlsext_host_name(ssl.get(), uri.host.c_str());
  if (SSL_connect(ssl.get()) != 1) {
    const std::string reason = openssl_reason();
    return "TLS: broker refused the handshake: " + (reason.empty() ? "connection closed" : reason) +
           (o.cert_file.empty() ? " (does the broker require a client certificate?)" : "");
  }
  X509Ptr peer(SSL_get1_peer_certificate(ssl.get()));
  const long verify = SSL_get_verify_result(ssl.get());
  if (verify != X509_V_OK) {
    std::string text = std::string("TLS: server certificate verify failed: ") +
                       X509_verify_cert_error_string(verify);
    if (verify == X509_V_ERR_CERT_HAS_EXPIRED && peer) {
      text += " (notAfter " + time_text(X509_get0_notAfter(peer.get())) + ")";
    }
    return text;
  }
  if (o.verify_hostname && peer) {
    const int match = is_ip(uri.host) ? X509_check_ip_asc(peer.get(), uri.host.c_str(), 0)
                                      : X509_check_host(peer.get(), uri.host.c_str(),
                                                        uri.host.size(), 0, nullptr);
    if (match != 1) {
      return "TLS: hostname mismatch: certificate is for " + names_of(peer.get()) + ", not " +
             uri.host;
    }
  }
  // TLS 1.3: a broker rejects the client certificate only after the client finished; wait
  // briefly for its alert.
  pollfd p{sock.fd, POLLIN, 0};
  if (::poll(&p, 1, 300) == 1) {
    char byte = 0;
    if (SSL_peek(ssl.get(), &byte, 1) <= 0) {
      const std::string reason = openssl_reason();
      if (!reason.empty()) return "TLS: broker refused the handshake: " + reason;
    }
  }
  openssl_reason();
  return "";
}

}  // namespace dockgate::uplink
