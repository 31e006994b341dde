#include "render.hpp"

#include <algorithm>
#include <memory>

#include "buttons.hpp"
#include "lottery/chat/markup.hpp"
#include "lottery/core/draw_publication.hpp"
#include "lottery/core/query_service.hpp"
#include "messages.hpp"
#include "texts.hpp"
#include "texts_notifications.hpp"

namespace lottery::chat {
namespace {

class Renderer {
 public:
  Renderer(const Dependencies& deps, const ChatSettings& settings, const Notification& notification)
      : deps_(deps), settings_(settings), notification_(notification), now_(deps.clock.now()) {}

  std::vector<OutgoingMessage> render() {
    switch (notification_.kind) {
      case NotificationKind::kReply:
      case NotificationKind::kReplyEdit:
        reply();
        break;
      case NotificationKind::kWinnerDrawn:
        winner_drawn();
        break;
      case NotificationKind::kWinConfirmed:
        send(text::notifications::win_confirmed(about()));
        break;
      case NotificationKind::kWinExpired:
        send(notification_.detail == kHandedOverDetail
                 ? text::notifications::handed_over_expired(
                       notification_.account ? notification_.account->str() : std::string{},
                       about(), settings_.admin_contact)
                 : text::notifications::win_expired(about(), settings_.admin_contact));
        break;
      case NotificationKind::kClaimReminder:
      case NotificationKind::kClaimExtended:
        reminder();
        break;
      case NotificationKind::kAccountAdded:
        account_added();
        break;
      case NotificationKind::kCodeRenewed:
        send(text::notifications::code_renewed(notification_.detail));
        break;
      case NotificationKind::kAdminWinConfirmed:
        send(text::notifications::admin_win_confirmed(winner_id(), notification_.detail == "button",
                                                      about()));
        break;
      case NotificationKind::kAdminWinsExpired:
        send(text::notifications::admin_wins_expired(lottery_id(), notification_.lottery_title,
                                                     notification_.count));
        break;
      case NotificationKind::kAdminDrawn:
      case NotificationKind::kAdminRedrawn:
        admin_drawn();
        break;
      case NotificationKind::kAdminUndeliverable:
        send(notification_.winner
                 ? text::notifications::undeliverable_win(notification_.count, notification_.detail,
                                                          winner_id(), about())
                 : text::notifications::undeliverable(notification_.count, notification_.detail));
        break;
      case NotificationKind::kDrawProgress:
        draw_progress();
        break;
      case NotificationKind::kWinnersExport:
        winners_export();
        break;
      case NotificationKind::kEntriesList:
        if (notification_.lottery) attach_entries(*notification_.lottery);
        break;
      case NotificationKind::kLotteryAnnounced:
        if (notification_.lottery) {
          if (const auto lottery = transaction().lotteries().find(*notification_.lottery)) {
            send(text::notifications::lottery_announced(*lottery, deps_.draw_randomness));
          }
        }
        break;
      case NotificationKind::kResultsPublished:
      case NotificationKind::kResultsUpdated:
        results();
        break;
    }
    return std::move(messages_);
  }

 private:
  Transaction& transaction() {
    if (!opened_) opened_ = deps_.transactions.begin();
    return *opened_;
  }

  void send(const std::string& html, Markup markup = {},
            std::optional<std::int64_t> edit = std::nullopt) {
    for (auto& part : text::split_message(html)) {
      messages_.push_back(OutgoingMessage{notification_.chat, std::move(part), markup, edit});
      markup = {};
      edit.reset();
    }
  }

  std::string about() const {
    return text::notifications::about(notification_.lottery_title, notification_.place,
                                      notification_.prize, notification_.account);
  }
  std::string winner_id() const {
    return notification_.winner ? std::to_string(notification_.winner->value()) : std::string{};
  }
  std::string lottery_id() const {
    return notification_.lottery ? std::to_string(notification_.lottery->value()) : std::string{};
  }

  // Replies are rendered already by the chat layer; an edit replaces message `reference`.
  void reply() {
    auto markup = decode_markup(notification_.markup);
    messages_.push_back(OutgoingMessage{notification_.chat, notification_.text,
                                        markup.value_or(Markup{}),
                                        notification_.kind == NotificationKind::kReplyEdit
                                            ? std::optional<std::int64_t>{notification_.reference}
                                            : std::nullopt});
  }

  void winner_drawn() {
    const auto win =
        notification_.winner ? transaction().winners().find(*notification_.winner) : std::nullopt;
    if (!win || win->status != WinStatus::kPending) return;  // settled meanwhile
    std::optional<VerificationCode> code;
    if (win->user) {
      if (const auto user = transaction().users().find(*win->user)) code = user->verification_code;
    }
    send(message::winner(notification_.lottery_title, *win, code, settings_.admin_contact, now_,
                         settings_.zone()),
         confirm_markup(win->id));
  }

  void reminder() {
    const auto win =
        notification_.winner ? transaction().winners().find(*notification_.winner) : std::nullopt;
    if (!win || !win->is_confirmable(now_)) return;
    send(notification_.kind == NotificationKind::kClaimReminder
             ? text::notifications::claim_reminder(about(), win->deadline - now_, win->deadline,
                                                   settings_.zone())
             : text::notifications::claim_extended(about(), win->deadline - now_, win->deadline,
                                                   settings_.zone()),
         confirm_markup(win->id));
  }

  void account_added() {
    if (notification_.count <= 1) {
      send(text::notifications::account_added(notification_.account ? notification_.account->str()
                                                                    : std::string{}));
      return;
    }
    // Several at once, by an import: the first ones listed, the rest counted.
    const auto listed = static_cast<std::int64_t>(std::count(notification_.detail.begin(),
                                                             notification_.detail.end(), '\n')) +
                        1;
    send(text::notifications::accounts_added(notification_.count, notification_.detail, listed));
  }

  void admin_drawn() {
    send(notification_.kind == NotificationKind::kAdminDrawn
             ? text::notifications::admin_drawn(lottery_id(), notification_.lottery_title,
                                                notification_.count, notification_.detail)
             : text::notifications::admin_redrawn(lottery_id(), notification_.lottery_title,
                                                  notification_.count, notification_.detail));
  }

  void draw_progress() {
    if (!notification_.lottery) return;
    const DeliveryProgress progress =
        transaction().outbox().progress(*notification_.lottery, NotificationKind::kWinnerDrawn);
    send(text::notifications::draw_progress(lottery_id(), notification_.lottery_title, progress));
  }

  void winners_export() {
    if (!notification_.lottery) return;
    const auto rows = winner_export_rows(transaction(), *notification_.lottery);
    if (!rows) return;  // the lottery is gone
    std::string csv = winner_export_csv(*rows);
    messages_.push_back(OutgoingMessage{
        notification_.chat,
        text::notifications::winners_file(lottery_id(), notification_.lottery_title, rows->size()),
        {},
        std::nullopt,
        Document{"winners-" + lottery_id() + ".csv", std::move(csv)}});
  }

  // The results post (R-VERIFY-1): the winners, the data to check the draw and, the
  // first time, the entry list attached; a redraw edits the post in place.
  void results() {
    if (!notification_.lottery) return;
    const LotteryId lottery = *notification_.lottery;
    std::optional<std::int64_t> edit;
    if (notification_.kind == NotificationKind::kResultsUpdated) {
      edit = transaction().outbox().sent_message(lottery, NotificationKind::kResultsPublished);
    }
    const auto found = transaction().lotteries().find(lottery);
    if (!found) return;  // the lottery is gone
    std::string html =
        message::results(transaction(), deps_.draw_randomness, *found, settings_.admin_contact);
    const bool checkable = found->publishes_draw();
    const std::string page = message::verifier_url(settings_.public_url, lottery);
    if (checkable) html += message::how_to_verify(!page.empty());
    // The announcement chat is a group or a channel: the page opens in a browser there.
    send(html, checkable ? verify_markup(std::nullopt, page, false) : Markup{}, edit);
    if (checkable && !edit) attach_entries(lottery);
  }

  // The entry list as CSV documents, in numbered parts when one would be too large.
  void attach_entries(LotteryId lottery) {
    const std::uint64_t entries = transaction().entries().count(lottery);
    const auto parts = entries_csv_parts(transaction(), lottery);
    for (std::size_t part = 1; part <= parts.size(); ++part) {
      messages_.push_back(OutgoingMessage{
          notification_.chat,
          text::notifications::entries_caption(lottery, entries, part, parts.size()),
          {},
          std::nullopt,
          Document{entries_file_name(lottery, part, parts.size()), parts[part - 1]}});
    }
  }

  const Dependencies& deps_;
  const ChatSettings& settings_;
  const Notification& notification_;
  Instant now_;
  std::unique_ptr<Transaction> opened_;
  std::vector<OutgoingMessage> messages_;
};

}  // namespace

std::vector<OutgoingMessage> render_notification(const Dependencies& deps,
                                                 const ChatSettings& settings,
                                                 const Notification& notification) {
  return Renderer(deps, settings, notification).render();
}

}  // namespace lottery::chat
