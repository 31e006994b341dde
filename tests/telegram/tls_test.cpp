// The HTTPS client against a real TLS server on loopback with a certificate made here:
// a server it cannot verify is refused before any request (and so the token) is sent,
// unless its CA is configured (TELEGRAM_CA_FILE); a wrong host name is refused too.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <fstream>
#include <thread>

#include "lottery/telegram/api_client.hpp"

namespace lottery::telegram {
namespace {

namespace net = boost::asio;
namespace ssl = net::ssl;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using ::testing::HasSubstr;
using ::testing::Not;

const std::string kToken = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

struct Pem {
  std::string certificate;
  std::string key;
};

std::string to_pem(const std::function<int(BIO*)>& write) {
  BIO* bio = BIO_new(BIO_s_mem());
  EXPECT_EQ(write(bio), 1);
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<std::size_t>(length));
  BIO_free(bio);
  return pem;
}

// A self-signed certificate (its own CA) for `host_name`, valid for a day.
Pem self_signed(const std::string& host_name) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* certificate = X509_new();
  X509_set_version(certificate, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(certificate), 1);
  X509_gmtime_adj(X509_getm_notBefore(certificate), -60);
  X509_gmtime_adj(X509_getm_notAfter(certificate), 86400);
  X509_set_pubkey(certificate, key);
  X509_NAME* name = X509_get_subject_name(certificate);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(host_name.c_str()), -1, -1, 0);
  X509_set_issuer_name(certificate, name);
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, certificate, certificate, nullptr, nullptr, 0);
  const std::string alternative = "DNS:" + host_name;
  for (const auto& [nid, value] :
       {std::pair{NID_subject_alt_name, alternative},
        std::pair{NID_basic_constraints, std::string("critical,CA:TRUE")}}) {
    X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str());
    X509_add_ext(certificate, extension, -1);
    X509_EXTENSION_free(extension);
  }
  X509_sign(certificate, key, EVP_sha256());
  Pem pem{to_pem([&](BIO* bio) { return PEM_write_bio_X509(bio, certificate); }),
          to_pem([&](BIO* bio) {
            return PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
          })};
  X509_free(certificate);
  EVP_PKEY_free(key);
  return pem;
}

// Answers getMe over TLS with the given certificate; counts the requests it read.
class TlsServer {
 public:
  explicit TlsServer(const Pem& pem) {
    context_.use_certificate_chain(net::buffer(pem.certificate));
    context_.use_private_key(net::buffer(pem.key), ssl::context::pem);
    thread_ = std::thread([this] { serve(); });
  }
  ~TlsServer() {
    stopping_ = true;
    boost::system::error_code ignored;
    tcp::socket poke(io_);
    poke.connect(acceptor_.local_endpoint(), ignored);  // wakes the blocking accept
    thread_.join();
  }
  TlsServer(const TlsServer&) = delete;
  TlsServer& operator=(const TlsServer&) = delete;

  [[nodiscard]] std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
  [[nodiscard]] int requests() const { return requests_; }

 private:
  void serve() {
    while (!stopping_) {
      tcp::socket socket(io_);
      boost::system::error_code error;
      acceptor_.accept(socket, error);
      if (error || stopping_) continue;
      beast::ssl_stream<tcp::socket> stream(std::move(socket), context_);
      stream.handshake(ssl::stream_base::server, error);
      if (error) continue;  // the client refused the certificate
      beast::flat_buffer buffer;
      http::request<http::string_body> request;
      http::read(stream, buffer, request, error);
      if (error) continue;
      ++requests_;
      http::response<http::string_body> response{http::status::ok, 11};
      response.set(http::field::content_type, "application/json");
      response.body() =
          R"({"ok":true,"result":{"id":1,"is_bot":true,"first_name":"x","username":"tls_bot"}})";
      response.prepare_payload();
      http::write(stream, response, error);
      stream.shutdown(error);
    }
  }

  net::io_context io_;
  ssl::context context_{ssl::context::tls_server};
  tcp::acceptor acceptor_{io_, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0)};
  std::atomic<bool> stopping_{false};
  std::atomic<int> requests_{0};
  std::thread thread_;
};

class TlsTest : public ::testing::Test {
 protected:
  // The certificate as a file, for TELEGRAM_CA_FILE.
  std::string ca_file(const Pem& pem) {
    path_ = "/tmp/lottery-tls-test-" + std::to_string(::getpid()) + ".pem";
    std::ofstream(path_) << pem.certificate;
    return path_;
  }
  void TearDown() override {
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  std::string path_;
};

TEST_F(TlsTest, AnUnverifiableServerIsRefusedBeforeAnyRequest) {
  const Pem pem = self_signed("localhost");
  TlsServer server(pem);
  ApiClient client(ApiEndpoint{"https://localhost:" + std::to_string(server.port()), kToken, ""});
  const auto response = client.call("getMe", "{}", std::chrono::seconds{5});
  EXPECT_FALSE(response.ok);
  EXPECT_EQ(response.error_code, 0);
  EXPECT_THAT(response.description, HasSubstr("certificate"));
  EXPECT_THAT(response.description, Not(HasSubstr(kToken)));
  EXPECT_EQ(server.requests(), 0) << "a request (with the token) reached an unverified server";
}

TEST_F(TlsTest, TheConfiguredCaMakesTheServerTrusted) {
  const Pem pem = self_signed("localhost");
  TlsServer server(pem);
  ApiClient client(
      ApiEndpoint{"https://localhost:" + std::to_string(server.port()), kToken, ca_file(pem)});
  const auto response = client.call("getMe", "{}", std::chrono::seconds{5});
  EXPECT_TRUE(response.ok) << response.description;
  EXPECT_EQ(server.requests(), 1);
}

TEST_F(TlsTest, ACertificateForAnotherHostIsRefusedEvenWithItsCa) {
  const Pem pem = self_signed("api.example.org");
  TlsServer server(pem);
  ApiClient client(
      ApiEndpoint{"https://localhost:" + std::to_string(server.port()), kToken, ca_file(pem)});
  const auto response = client.call("getMe", "{}", std::chrono::seconds{5});
  EXPECT_FALSE(response.ok);
  EXPECT_THAT(response.description, Not(HasSubstr(kToken)));
  EXPECT_EQ(server.requests(), 0);
}

}  // namespace
}  // namespace lottery::telegram
