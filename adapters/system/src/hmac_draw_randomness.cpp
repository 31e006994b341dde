#include "lottery/system/hmac_draw_randomness.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <stdexcept>
#include <vector>

namespace lottery::system {
namespace {

void append_u64be(std::vector<std::uint8_t>& out, std::uint64_t value) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    out.push_back(static_cast<std::uint8_t>(value >> shift));
  }
}

class HmacStream : public RandomSource {
 public:
  HmacStream(LotteryId lottery, const DrawSeed& seed) : seed_(seed) {
    prefix_.assign(HmacDrawRandomness::kLabel.begin(), HmacDrawRandomness::kLabel.end());
    append_u64be(prefix_, static_cast<std::uint64_t>(lottery.value()));
  }

  void fill(std::span<std::uint8_t> out) override {
    for (std::uint8_t& byte : out) {
      if (used_ == block_.size()) next_block();
      byte = block_[used_++];
    }
  }

 private:
  void next_block() {
    std::vector<std::uint8_t> message = prefix_;
    append_u64be(message, counter_++);
    unsigned int length = 0;
    if (HMAC(EVP_sha256(), seed_.data(), static_cast<int>(seed_.size()), message.data(),
             message.size(), block_.data(), &length) == nullptr ||
        length != block_.size()) {
      throw std::runtime_error("HMAC-SHA256 failed");
    }
    used_ = 0;
  }

  DrawSeed seed_;
  std::vector<std::uint8_t> prefix_;
  std::array<std::uint8_t, 32> block_{};
  std::size_t used_{block_.size()};
  std::uint64_t counter_{0};
};

}  // namespace

std::unique_ptr<RandomSource> HmacDrawRandomness::stream(LotteryId lottery, const DrawSeed& seed) {
  return std::make_unique<HmacStream>(lottery, seed);
}

}  // namespace lottery::system
