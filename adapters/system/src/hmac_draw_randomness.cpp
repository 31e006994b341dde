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
  explicit HmacStream(const DrawInput& input) : seed_(input.seed) {
    const auto label =
        input.version >= 2 ? HmacDrawRandomness::kLabelV2 : HmacDrawRandomness::kLabelV1;
    prefix_.assign(label.begin(), label.end());
    append_u64be(prefix_, static_cast<std::uint64_t>(input.lottery.value()));
    if (input.version >= 2) {
      prefix_.insert(prefix_.end(), input.entries_hash.begin(), input.entries_hash.end());
      append_u64be(prefix_, input.public_value.size());
      prefix_.insert(prefix_.end(), input.public_value.begin(), input.public_value.end());
    }
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

Digest sha256(const std::vector<std::uint8_t>& message) {
  Digest digest{};
  unsigned int length = 0;
  if (EVP_Digest(message.data(), message.size(), digest.data(), &length, EVP_sha256(), nullptr) !=
          1 ||
      length != digest.size()) {
    throw std::runtime_error("SHA-256 failed");
  }
  return digest;
}

}  // namespace

std::unique_ptr<RandomSource> HmacDrawRandomness::stream(const DrawInput& input) {
  return std::make_unique<HmacStream>(input);
}

Digest HmacDrawRandomness::commitment(const DrawSeed& seed) {
  return sha256(std::vector<std::uint8_t>(seed.begin(), seed.end()));
}

Digest HmacDrawRandomness::extend_entries(const Digest& previous, std::uint64_t ordinal,
                                          const AccountNumber& number) {
  std::vector<std::uint8_t> message(previous.begin(), previous.end());
  append_u64be(message, ordinal);
  const std::string& text = number.str();
  message.insert(message.end(), text.begin(), text.end());
  return sha256(message);
}

}  // namespace lottery::system
