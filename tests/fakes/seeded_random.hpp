#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>

#include "lottery/ports/draw_randomness.hpp"
#include "lottery/ports/random_source.hpp"

namespace lottery::testing {

// A deterministic byte stream (SplitMix64), good enough statistically for tests and
// never for production: the same seed gives the same bytes.
class SeededRandom : public RandomSource {
 public:
  explicit SeededRandom(std::uint64_t seed) : state_(seed) {}

  void fill(std::span<std::uint8_t> out) override {
    std::lock_guard lock(mutex_);
    for (std::uint8_t& byte : out) {
      if (available_ == 0) {
        word_ = next_word();
        available_ = 8;
      }
      byte = static_cast<std::uint8_t>(word_ >> 56);
      word_ <<= 8;
      --available_;
    }
  }

 private:
  std::uint64_t next_word() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  std::mutex mutex_;
  std::uint64_t state_;
  std::uint64_t word_{0};
  int available_{0};
};

// Hashes for the fakes: deterministic and sensitive to every input byte, not secure.
class FakeHashing : public DrawRandomness {
 public:
  Digest commitment(const DrawSeed& seed) override { return mix(0x5eed, seed, {}); }
  Digest extend_entries(const Digest& previous, std::uint64_t ordinal,
                        const AccountNumber& number) override {
    return mix(ordinal, previous, number.str());
  }

 protected:
  static std::uint64_t fold(std::uint64_t state, std::span<const std::uint8_t> bytes) {
    for (const std::uint8_t byte : bytes) state = (state ^ byte) * 1099511628211ULL;
    return state;
  }
  static std::uint64_t fold(std::uint64_t state, std::string_view text) {
    for (const char c : text) state = (state ^ static_cast<std::uint8_t>(c)) * 1099511628211ULL;
    return state;
  }
  static Digest mix(std::uint64_t salt, std::span<const std::uint8_t> bytes,
                    std::string_view text) {
    Digest digest{};
    std::uint64_t state = fold(fold(14695981039346656037ULL ^ salt, bytes), text);
    for (std::uint8_t& byte : digest) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      byte = static_cast<std::uint8_t>(state >> 56U);
    }
    return digest;
  }
};

// Draw streams derived deterministically from all of the draw's input.
class SeededDrawRandomness : public FakeHashing {
 public:
  std::unique_ptr<RandomSource> stream(const DrawInput& input) override {
    std::uint64_t mixed = static_cast<std::uint64_t>(input.lottery.value());
    mixed = fold(mixed, input.seed);
    if (input.version >= 2) mixed = fold(fold(mixed, input.entries_hash), input.public_value);
    return std::make_unique<SeededRandom>(mixed);
  }
};

// A draw stream of zero bytes: every bounded integer is 0, so the shuffle keeps the
// enrolment order (the first eligible entry wins place 1, the next is the first
// alternate). For tests that need to know who wins.
class InOrderDrawRandomness : public FakeHashing {
 public:
  std::unique_ptr<RandomSource> stream(const DrawInput& /*input*/) override {
    class Zeros : public RandomSource {
     public:
      void fill(std::span<std::uint8_t> out) override { std::fill(out.begin(), out.end(), 0); }
    };
    return std::make_unique<Zeros>();
  }
};

}  // namespace lottery::testing
