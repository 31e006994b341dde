#include "repositories.hpp"

namespace lottery::db {

Repositories make_repositories(soci::session& session, Dialect dialect) {
  return Repositories{make_users(session),
                      make_accounts(session, dialect),
                      make_lotteries(session, dialect),
                      make_entries(session, dialect),
                      make_winners(session),
                      make_reports(session),
                      make_outbox(session, dialect),
                      make_audit(session)};
}

}  // namespace lottery::db
