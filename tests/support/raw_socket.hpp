#pragma once

// A TCP client that writes whatever bytes a test wants, well-formed or not: for
// attacking the bot's HTTP server as an outsider would.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace lottery::testing {

class RawConnection {
 public:
  // Connects to 127.0.0.1:port; check connected().
  explicit RawConnection(std::uint16_t port);
  ~RawConnection();
  RawConnection(RawConnection&& other) noexcept;
  RawConnection& operator=(RawConnection&&) = delete;
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  [[nodiscard]] bool connected() const { return fd_ >= 0; }
  // Writes all of `bytes`; false when the peer closed or reset the connection.
  bool send(const std::string& bytes);
  // The status of the HTTP response that arrives within `limit`, if one does.
  std::optional<int> read_status(std::chrono::milliseconds limit);
  // Whether the peer closed the connection within `limit` (end of stream or reset).
  bool closed_by_peer(std::chrono::milliseconds limit);

 private:
  int fd_{-1};
  std::string received_;
};

// The peak resident memory of a process, in bytes (VmHWM of /proc/PID/status).
[[nodiscard]] std::uint64_t peak_rss_bytes(int pid);
// How many file descriptors a process holds (entries of /proc/PID/fd).
[[nodiscard]] std::size_t open_descriptors(int pid);

}  // namespace lottery::testing
