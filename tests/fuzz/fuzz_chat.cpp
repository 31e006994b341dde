// libFuzzer: any sequence of messages and button presses, from clients and an admin,
// is answered without crashing, on the in-memory store.
#include <cstdint>
#include <memory>
#include <string>

#include "fakes/fake_clock.hpp"
#include "fakes/memory_store.hpp"
#include "fakes/seeded_random.hpp"
#include "lottery/chat/chat_bot.hpp"

using namespace lottery;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  testing::MemoryStore store;
  testing::FakeClock clock;
  testing::SeededRandom random(1);
  testing::SeededDrawRandomness draw_randomness;
  Settings settings;
  settings.admins = {TelegramUserId{9000}};
  settings.announce_chat = ChatId{-100};
  chat::ChatBot bot(Dependencies{store, clock, random, draw_randomness, settings}, store,
                    chat::ChatSettings{"club_lottery_bot", "@club_admin"});
  // Lines; the first byte of a line picks who speaks and how.
  std::int64_t update = 1;
  std::size_t start = 0;
  while (start < size) {
    std::size_t end = start;
    while (end < size && data[end] != '\n') ++end;
    if (end > start) {
      const std::uint8_t selector = data[start];
      const std::string text(reinterpret_cast<const char*>(data) + start + 1, end - start - 1);
      const std::int64_t user = (selector & 1) != 0 ? 9000 : 1 + (selector >> 5);
      const chat::ChatUser from{TelegramUserId{user}, "user", "Имя"};
      if ((selector & 6) == 6) {
        (void)bot.handle(update++, chat::ButtonPress{"q", from, private_chat_of(from.id), 1, text});
      } else if ((selector & 6) == 4) {
        (void)bot.handle(update++, chat::IncomingMessage{private_chat_of(from.id), true, from, 1,
                                                         "", chat::SharedContact{text, from.id}});
      } else {
        (void)bot.handle(
            update++, chat::IncomingMessage{private_chat_of(from.id), (selector & 8) == 0, from, 1,
                                            text, std::nullopt});
      }
      clock.advance(std::chrono::hours{(selector >> 4) & 3});
    }
    start = end + 1;
  }
  // Render whatever was queued, as the sender would.
  for (const auto& notification : store.snapshot().outbox) (void)bot.render(notification);
  return 0;
}
