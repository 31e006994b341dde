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

// Draw streams derived deterministically from the lottery id and its seed.
class SeededDrawRandomness : public DrawRandomness {
 public:
  std::unique_ptr<RandomSource> stream(LotteryId lottery, const DrawSeed& seed) override {
    std::uint64_t mixed = static_cast<std::uint64_t>(lottery.value());
    for (const std::uint8_t byte : seed) mixed = mixed * 1099511628211ULL + byte;
    return std::make_unique<SeededRandom>(mixed);
  }
};

// A draw stream of zero bytes: every bounded integer is 0, so the shuffle keeps the
// enrolment order (the first eligible entry wins place 1, the next is the first
// alternate). For tests that need to know who wins.
class InOrderDrawRandomness : public DrawRandomness {
 public:
  std::unique_ptr<RandomSource> stream(LotteryId /*lottery*/, const DrawSeed& /*seed*/) override {
    class Zeros : public RandomSource {
     public:
      void fill(std::span<std::uint8_t> out) override { std::fill(out.begin(), out.end(), 0); }
    };
    return std::make_unique<Zeros>();
  }
};

}  // namespace lottery::testing
