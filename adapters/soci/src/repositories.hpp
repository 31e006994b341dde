#pragma once

#include <soci/soci.h>

#include <memory>

#include "lottery/db/database_url.hpp"
#include "lottery/ports/update_transaction.hpp"

namespace lottery::db {

// The domain repositories of one unit of work, all on its session.
struct Repositories {
  std::unique_ptr<UserRepository> users;
  std::unique_ptr<AccountRepository> accounts;
  std::unique_ptr<LotteryRepository> lotteries;
  std::unique_ptr<EntryRepository> entries;
  std::unique_ptr<WinnerRepository> winners;
  std::unique_ptr<ReportQueries> reports;
  std::unique_ptr<Outbox> outbox;
  std::unique_ptr<AuditLog> audit;
};

[[nodiscard]] Repositories make_repositories(soci::session& session, Dialect dialect);

// Each port on the session, one file each (sql_users.cpp, …).
[[nodiscard]] std::unique_ptr<UserRepository> make_users(soci::session& session);
[[nodiscard]] std::unique_ptr<AccountRepository> make_accounts(soci::session& session,
                                                               Dialect dialect);
[[nodiscard]] std::unique_ptr<LotteryRepository> make_lotteries(soci::session& session,
                                                                Dialect dialect);
[[nodiscard]] std::unique_ptr<EntryRepository> make_entries(soci::session& session,
                                                            Dialect dialect);
[[nodiscard]] std::unique_ptr<WinnerRepository> make_winners(soci::session& session);
[[nodiscard]] std::unique_ptr<ReportQueries> make_reports(soci::session& session);
[[nodiscard]] std::unique_ptr<Outbox> make_outbox(soci::session& session, Dialect dialect);
[[nodiscard]] std::unique_ptr<AuditLog> make_audit(soci::session& session);
[[nodiscard]] std::unique_ptr<DialogueRepository> make_dialogues(soci::session& session);
[[nodiscard]] std::unique_ptr<ProcessedUpdates> make_updates(soci::session& session);

}  // namespace lottery::db
