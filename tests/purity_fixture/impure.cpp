// A deliberately impure file: the purity check must reject every line below.
#include <boost/asio.hpp>
#include <random>
#include "soci/soci.h"

int impure() {
  std::random_device device;
  const auto now = std::chrono::system_clock::now();
  return rand() + static_cast<int>(time(nullptr)) + static_cast<int>(device());
}
