#include "raw_socket.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace lottery::testing {

RawConnection::RawConnection(std::uint16_t port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

RawConnection::~RawConnection() {
  if (fd_ >= 0) ::close(fd_);
}

RawConnection::RawConnection(RawConnection&& other) noexcept
    : fd_(other.fd_), received_(std::move(other.received_)) {
  other.fd_ = -1;
}

bool RawConnection::send(const std::string& bytes) {
  std::size_t written = 0;
  while (fd_ >= 0 && written < bytes.size()) {
    const auto sent = ::send(fd_, bytes.data() + written, bytes.size() - written, MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) continue;
    if (sent <= 0) return false;
    written += static_cast<std::size_t>(sent);
  }
  return fd_ >= 0;
}

namespace {

// The length of the first whole response in `bytes` and its status, once it is all there.
std::optional<std::pair<std::size_t, int>> first_response(const std::string& bytes) {
  const auto head_end = bytes.find("\r\n\r\n");
  if (head_end == std::string::npos) return std::nullopt;
  std::istringstream status_line(bytes.substr(0, bytes.find("\r\n")));
  std::string version;
  int status = 0;
  status_line >> version >> status;
  std::size_t body = 0;
  const std::string head = bytes.substr(0, head_end);
  for (const std::string name : {"Content-Length: ", "content-length: "}) {
    if (const auto at = head.find(name); at != std::string::npos) {
      body = std::stoul(head.substr(at + name.size()));
    }
  }
  const std::size_t total = head_end + 4 + body;
  if (bytes.size() < total) return std::nullopt;
  return std::pair{total, version.rfind("HTTP/", 0) == 0 ? status : 0};
}

}  // namespace

std::optional<int> RawConnection::read_status(std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (fd_ >= 0) {
    if (const auto response = first_response(received_)) {
      received_.erase(0, response->first);
      if (response->second > 0) return response->second;
      return std::nullopt;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    pollfd ready{fd_, POLLIN, 0};
    if (::poll(&ready, 1, static_cast<int>(left.count())) <= 0) continue;
    char buffer[4096];
    const auto got = ::recv(fd_, buffer, sizeof buffer, 0);
    if (got <= 0) return std::nullopt;
    received_.append(buffer, static_cast<std::size_t>(got));
  }
  return std::nullopt;
}

bool RawConnection::closed_by_peer(std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (fd_ >= 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd ready{fd_, POLLIN, 0};
    if (::poll(&ready, 1, static_cast<int>(left.count())) <= 0) continue;
    char buffer[4096];
    const auto got = ::recv(fd_, buffer, sizeof buffer, 0);
    if (got <= 0) return true;
  }
  return true;
}

std::uint64_t peak_rss_bytes(int pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) {
      std::istringstream fields(line.substr(6));
      std::uint64_t kilobytes = 0;
      fields >> kilobytes;
      return kilobytes * 1024;
    }
  }
  return 0;
}

std::size_t open_descriptors(int pid) {
  std::size_t count = 0;
  std::error_code error;
  for (const auto& entry :
       std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", error)) {
    (void)entry;
    ++count;
  }
  return count;
}

}  // namespace lottery::testing
