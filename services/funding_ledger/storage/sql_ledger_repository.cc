#include "services/funding_ledger/storage/sql_ledger_repository.h"

#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "common/storage/sql_requests.h"
#include "common/storage/sql_transaction.h"

namespace gzedu::funding {
namespace {

const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> kMigrations = {
      {1, "accounts, journal, resolutions of pending transfers, change feed, processed requests",
       absl::StrCat(R"sql(
CREATE TABLE accounts (
  account_id          TEXT PRIMARY KEY,
  district_code       TEXT NOT NULL,
  school_code         TEXT NOT NULL,
  purpose             INTEGER NOT NULL,
  no_overdraft        INTEGER NOT NULL,
  debits_posted_fen   INTEGER NOT NULL,
  credits_posted_fen  INTEGER NOT NULL,
  debits_pending_fen  INTEGER NOT NULL,
  credits_pending_fen INTEGER NOT NULL,
  change_version      INTEGER NOT NULL
) STRICT;
CREATE INDEX accounts_by_district ON accounts (district_code, account_id);

CREATE TABLE transfers (
  journal_sequence  INTEGER PRIMARY KEY,
  transfer_id       TEXT NOT NULL UNIQUE,
  debit_account_id  TEXT NOT NULL REFERENCES accounts (account_id),
  credit_account_id TEXT NOT NULL REFERENCES accounts (account_id),
  amount_fen        INTEGER NOT NULL CHECK (amount_fen > 0),
  school_year       INTEGER NOT NULL,
  purpose           TEXT NOT NULL,
  memo              TEXT NOT NULL,
  pending           INTEGER NOT NULL,
  post_pending_id   TEXT NOT NULL,
  void_pending_id   TEXT NOT NULL,
  journal_hash      TEXT NOT NULL,
  change_version    INTEGER NOT NULL
) STRICT;
CREATE INDEX transfers_by_debit ON transfers (debit_account_id, journal_sequence);
CREATE INDEX transfers_by_credit ON transfers (credit_account_id, journal_sequence);

CREATE TABLE resolutions (
  pending_id  TEXT PRIMARY KEY,
  transfer_id TEXT NOT NULL
) STRICT;

CREATE TABLE changes (
  change_version INTEGER PRIMARY KEY,
  request_id     TEXT NOT NULL,
  district_code  TEXT NOT NULL,
  entity_type    TEXT NOT NULL CHECK (entity_type IN ('account', 'transfer')),
  entity_key     TEXT NOT NULL
) STRICT;
)sql",
                    kRequestsTableSql)},
  };
  return kMigrations;
}

constexpr char kAccountColumns[] =
    "account_id, district_code, school_code, purpose, no_overdraft, debits_posted_fen, credits_posted_fen, "
    "debits_pending_fen, credits_pending_fen, change_version";
constexpr char kTransferColumns[] =
    "journal_sequence, transfer_id, debit_account_id, credit_account_id, amount_fen, school_year, purpose, memo, "
    "pending, post_pending_id, void_pending_id, journal_hash, change_version";

Account ReadAccount(const SqlStatement& row) {
  Account a;
  a.account_id = row.ColumnText(0);
  a.district_code = row.ColumnText(1);
  a.school_code = row.ColumnText(2);
  a.purpose = static_cast<AccountPurpose>(row.ColumnInt(3));
  a.debits_must_not_exceed_credits = row.ColumnInt(4) != 0;
  a.debits_posted_fen = row.ColumnInt(5);
  a.credits_posted_fen = row.ColumnInt(6);
  a.debits_pending_fen = row.ColumnInt(7);
  a.credits_pending_fen = row.ColumnInt(8);
  a.change_version = row.ColumnInt(9);
  return a;
}

Transfer ReadTransfer(const SqlStatement& row, int first = 0) {
  Transfer t;
  t.journal_sequence = row.ColumnInt(first + 0);
  t.transfer_id = row.ColumnText(first + 1);
  t.debit_account_id = row.ColumnText(first + 2);
  t.credit_account_id = row.ColumnText(first + 3);
  t.amount_fen = row.ColumnInt(first + 4);
  t.school_year = static_cast<int32_t>(row.ColumnInt(first + 5));
  t.purpose = row.ColumnText(first + 6);
  t.memo = row.ColumnText(first + 7);
  t.pending = row.ColumnInt(first + 8) != 0;
  t.post_pending_id = row.ColumnText(first + 9);
  t.void_pending_id = row.ColumnText(first + 10);
  t.journal_hash = row.ColumnText(first + 11);
  t.change_version = row.ColumnInt(first + 12);
  return t;
}

template <typename T, typename Read>
absl::StatusOr<std::vector<T>> Collect(SqlStatement& stmt, Read read) {
  std::vector<T> result;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return result;
    result.push_back(read(stmt));
  }
}

absl::StatusOr<std::optional<Account>> FindAccountOn(SqlConnection& connection, absl::string_view id) {
  ASSIGN_OR_RETURN(auto stmt, connection.Prepare("find_account", absl::StrCat("SELECT ", kAccountColumns,
                                                                              " FROM accounts WHERE account_id = ?")));
  stmt->Bind(1, id);
  ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return std::optional<Account>();
  return std::optional<Account>(ReadAccount(*stmt));
}

}  // namespace

// A write transaction that talks to the database twice per batch on
// PostgreSQL, not several times per transfer. Prefetch sends BEGIN, the
// write lock, the journal's head and the batch's request, transfers,
// resolutions and accounts in one round trip (libpq pipeline mode); lookups
// are then answered from memory (writers are serialised, so nothing else
// changes those rows meanwhile); every write is held until Commit, which
// sends each table's rows as one statement (arrays unnested), the request
// record and COMMIT in one more round trip. When another batch already
// waits for the writer, the batch's work stays in its savepoint and the
// next one continues the same database transaction instead (BEGIN and the
// lock replaced by SAVEPOINT, COMMIT left to the group's last; see
// SqlCommitGroup). On SQLite, in process, the same statements run one by
// one and the writes row by row. Every write is still inside one
// transaction, and Commit returns only after the COMMIT that carries it, so
// an acknowledged batch is on disk as before. A duplicate transfer id is
// refused at AppendTransfer, as the port says.
class SqlLedgerRepository::Transaction : public LedgerWriteTransaction, public SqlWriteTransaction {
 public:
  Transaction(SqlDatabase::Lease writer, SqlDialect dialect, std::vector<NamedSql> begin_statements,
              SqlCommitGroup* group)
      : SqlWriteTransaction(std::move(writer), std::move(begin_statements), group), dialect_(dialect) {}

  absl::StatusOr<std::optional<RequestRecord>> FindRequest(absl::string_view request_id) override {
    if (auto it = requests_.find(request_id); it != requests_.end()) return it->second;
    RETURN_IF_ERROR(EnsureBegun());
    ASSIGN_OR_RETURN(std::optional<RequestRecord> found, FindSqlRequest(writer(), request_id));
    requests_.emplace(std::string(request_id), found);
    return found;
  }
  // Held until Commit like every write; an id known taken is refused here,
  // one not yet looked up is looked up first (the ledger always has).
  absl::Status PutRequest(const RequestRecord& request) override {
    ASSIGN_OR_RETURN(std::optional<RequestRecord> existing, FindRequest(request.request_id));
    if (existing) return absl::AlreadyExistsError(absl::StrCat("request ", request.request_id, " already recorded"));
    requests_[request.request_id] = request;
    new_requests_.push_back(request);
    return absl::OkStatus();
  }

  absl::Status Prefetch(absl::string_view request_id, const std::vector<std::string>& transfer_ids,
                        const std::vector<std::string>& account_ids) override {
    std::vector<std::unique_ptr<SqlStatement>> statements;
    if (dialect_ == SqlDialect::kPostgres) {
      // Plans for the values at hand: a prepared statement's generic plan,
      // made once, can stay a sequential scan chosen while the table was
      // empty, and a lookup of a batch's ids would then read the whole table.
      ASSIGN_OR_RETURN(auto custom, writer().Prepare("custom_plans", "SET LOCAL plan_cache_mode = force_custom_plan"));
      statements.push_back(std::move(custom));
    }
    // The journal's head and the latest change version, which every batch
    // needs.
    SqlStatement* journal_state = nullptr;
    if (!head_ && !next_change_version_) {
      ASSIGN_OR_RETURN(auto stmt, writer().Prepare("journal_state",
                                                   "SELECT COALESCE((SELECT journal_sequence FROM transfers ORDER BY "
                                                   "journal_sequence DESC LIMIT 1), 0), COALESCE((SELECT "
                                                   "journal_hash FROM transfers ORDER BY journal_sequence DESC "
                                                   "LIMIT 1), ''), (SELECT COALESCE(MAX(change_version), 0) FROM "
                                                   "changes)"));
      journal_state = stmt.get();
      statements.push_back(std::move(stmt));
    }
    SqlStatement* find_request = nullptr;
    if (!request_id.empty() && requests_.count(request_id) == 0) {
      ASSIGN_OR_RETURN(auto stmt, PrepareFindSqlRequest(writer(), request_id));
      find_request = stmt.get();
      statements.push_back(std::move(stmt));
    }
    SqlArray transfers(dialect_);
    std::vector<std::string> transfers_asked;
    for (const std::string& id : transfer_ids) {
      if (transfers_.count(id) == 0) {
        transfers.Add(id);
        transfers_asked.push_back(id);
      }
    }
    SqlArray resolutions(dialect_);
    std::vector<std::string> resolutions_asked;
    for (const std::string& id : transfer_ids) {
      if (resolutions_.count(id) == 0) {
        resolutions.Add(id);
        resolutions_asked.push_back(id);
      }
    }
    SqlArray accounts(dialect_);
    std::vector<std::string> accounts_asked;
    for (const std::string& id : account_ids) {
      if (accounts_.count(id) == 0) {
        accounts.Add(id);
        accounts_asked.push_back(id);
      }
    }
    SqlStatement* find_transfers = nullptr;
    if (transfers.size() > 0) {
      ASSIGN_OR_RETURN(auto stmt, writer().Prepare("find_transfers",
                                                   absl::StrCat("SELECT ", kTransferColumns, " FROM transfers WHERE ",
                                                                SqlAnyOf(dialect_, "transfer_id"))));
      stmt->Bind(1, transfers.Finish());
      find_transfers = stmt.get();
      statements.push_back(std::move(stmt));
    }
    SqlStatement* find_resolutions = nullptr;
    if (resolutions.size() > 0) {
      ASSIGN_OR_RETURN(auto stmt, writer().Prepare("find_resolutions",
                                                   absl::StrCat("SELECT pending_id, transfer_id FROM resolutions "
                                                                "WHERE ",
                                                                SqlAnyOf(dialect_, "pending_id"))));
      stmt->Bind(1, resolutions.Finish());
      find_resolutions = stmt.get();
      statements.push_back(std::move(stmt));
    }
    SqlStatement* find_accounts = nullptr;
    if (accounts.size() > 0) {
      ASSIGN_OR_RETURN(auto stmt, PrepareFindAccounts("find_accounts", accounts));
      find_accounts = stmt.get();
      statements.push_back(std::move(stmt));
    }
    std::vector<SqlStatement*> sent;
    for (const auto& stmt : statements) sent.push_back(stmt.get());
    RETURN_IF_ERROR(Send(sent));
    // The outcomes, in the order sent.
    if (dialect_ == SqlDialect::kPostgres) RETURN_IF_ERROR(statements.front()->Run());
    if (journal_state != nullptr) {
      ASSIGN_OR_RETURN(bool row, journal_state->Step());
      if (!row) return absl::InternalError("journal_state returned no row");
      head_ = JournalHead{journal_state->ColumnInt(0), journal_state->ColumnText(1)};
      next_change_version_ = journal_state->ColumnInt(2) + 1;
    }
    if (find_request != nullptr) {
      ASSIGN_OR_RETURN(std::optional<RequestRecord> found, ReadSqlRequest(*find_request, request_id));
      requests_.emplace(std::string(request_id), std::move(found));
    }
    // The accounts of the transfers found (a pending transfer's accounts
    // are looked up when it is posted), when not named: one more round
    // trip, only then.
    std::set<std::string> accounts_of_found;
    if (find_transfers != nullptr) {
      ASSIGN_OR_RETURN(std::vector<Transfer> found,
                       Collect<Transfer>(*find_transfers, [](const SqlStatement& row) { return ReadTransfer(row); }));
      // Absent ones are known absent: no other writer runs until we commit.
      for (const std::string& id : transfers_asked) transfers_.emplace(id, std::nullopt);
      for (Transfer& t : found) {
        accounts_of_found.insert(t.debit_account_id);
        accounts_of_found.insert(t.credit_account_id);
        transfers_[t.transfer_id] = std::move(t);
      }
    }
    if (find_resolutions != nullptr) {
      for (const std::string& id : resolutions_asked) resolutions_.emplace(id, std::nullopt);
      while (true) {
        ASSIGN_OR_RETURN(bool row, find_resolutions->Step());
        if (!row) break;
        resolutions_[find_resolutions->ColumnText(0)] = find_resolutions->ColumnText(1);
      }
    }
    if (find_accounts != nullptr) {
      ASSIGN_OR_RETURN(std::vector<Account> found, Collect<Account>(*find_accounts, ReadAccount));
      for (Account& a : found) accounts_.emplace(a.account_id, std::move(a));
      for (const std::string& id : accounts_asked) accounts_.emplace(id, std::nullopt);
    }
    SqlArray more(dialect_);
    std::vector<std::string> more_asked;
    for (const std::string& id : accounts_of_found) {
      if (accounts_.count(id) == 0) {
        more.Add(id);
        more_asked.push_back(id);
      }
    }
    if (more.size() > 0) {
      ASSIGN_OR_RETURN(auto stmt, PrepareFindAccounts("find_accounts_of_transfers", more));
      ASSIGN_OR_RETURN(std::vector<Account> found, Collect<Account>(*stmt, ReadAccount));
      for (Account& a : found) accounts_.emplace(a.account_id, std::move(a));
      for (const std::string& id : more_asked) accounts_.emplace(id, std::nullopt);
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::optional<Account>> FindAccount(absl::string_view account_id) override {
    if (auto it = accounts_.find(account_id); it != accounts_.end()) return it->second;
    RETURN_IF_ERROR(EnsureBegun());
    ASSIGN_OR_RETURN(std::optional<Account> found, FindAccountOn(writer(), account_id));
    accounts_.emplace(std::string(account_id), found);
    return found;
  }
  absl::StatusOr<std::optional<Transfer>> FindTransfer(absl::string_view transfer_id) override {
    if (auto it = transfers_.find(transfer_id); it != transfers_.end()) return it->second;
    RETURN_IF_ERROR(EnsureBegun());
    ASSIGN_OR_RETURN(auto stmt,
                     writer().Prepare("find_transfer", absl::StrCat("SELECT ", kTransferColumns,
                                                                    " FROM transfers WHERE transfer_id = ?")));
    stmt->Bind(1, transfer_id);
    ASSIGN_OR_RETURN(bool row, stmt->Step());
    std::optional<Transfer> found;
    if (row) found = ReadTransfer(*stmt);
    transfers_.emplace(std::string(transfer_id), found);
    return found;
  }
  absl::StatusOr<std::optional<std::string>> FindResolution(absl::string_view pending_id) override {
    if (auto it = resolutions_.find(pending_id); it != resolutions_.end()) return it->second;
    RETURN_IF_ERROR(EnsureBegun());
    ASSIGN_OR_RETURN(auto stmt,
                     writer().Prepare("find_resolution", "SELECT transfer_id FROM resolutions WHERE pending_id = ?"));
    stmt->Bind(1, pending_id);
    ASSIGN_OR_RETURN(bool row, stmt->Step());
    std::optional<std::string> found;
    if (row) found = stmt->ColumnText(0);
    resolutions_.emplace(std::string(pending_id), found);
    return found;
  }
  absl::StatusOr<JournalHead> Head() override {
    if (head_) return *head_;
    RETURN_IF_ERROR(EnsureBegun());
    ASSIGN_OR_RETURN(auto stmt, writer().Prepare("journal_head",
                                                 "SELECT journal_sequence, journal_hash FROM transfers "
                                                 "ORDER BY journal_sequence DESC LIMIT 1"));
    ASSIGN_OR_RETURN(bool row, stmt->Step());
    head_ = row ? JournalHead{stmt->ColumnInt(0), stmt->ColumnText(1)} : JournalHead{};
    return *head_;
  }
  absl::StatusOr<int64_t> NextChangeVersion() override {
    if (!next_change_version_) {
      RETURN_IF_ERROR(EnsureBegun());
      ASSIGN_OR_RETURN(int64_t latest, SqlLatestChangeVersion(writer()));
      next_change_version_ = latest + 1;
    }
    return *next_change_version_;
  }
  absl::StatusOr<int64_t> AppendChange(const Change& change) override {
    ASSIGN_OR_RETURN(int64_t version, NextChangeVersion());
    ChangeRow row{version, change.request_id, change.district_code, "", ""};
    if (const auto* account = std::get_if<Account>(&change.entity)) {
      row.entity_type = "account";
      row.entity_key = account->account_id;
    } else {
      row.entity_type = "transfer";
      row.entity_key = std::get<Transfer>(change.entity).transfer_id;
    }
    new_changes_.push_back(std::move(row));
    ++*next_change_version_;
    return version;
  }
  absl::Status PutAccount(const Account& a) override {
    accounts_[a.account_id] = a;
    new_accounts_[a.account_id] = a;
    return absl::OkStatus();
  }
  absl::Status AppendTransfer(const Transfer& t) override {
    ASSIGN_OR_RETURN(std::optional<Transfer> existing, FindTransfer(t.transfer_id));
    if (existing) return absl::AlreadyExistsError(absl::StrCat("transfer ", t.transfer_id, " already in the journal"));
    transfers_[t.transfer_id] = t;
    new_transfers_.push_back(t);
    head_ = JournalHead{t.journal_sequence, t.journal_hash};
    return absl::OkStatus();
  }
  absl::Status PutResolution(absl::string_view pending_id, absl::string_view transfer_id) override {
    resolutions_[std::string(pending_id)] = std::string(transfer_id);
    new_resolutions_.emplace_back(pending_id, transfer_id);
    return absl::OkStatus();
  }
  absl::Status Commit() override {
    std::vector<std::unique_ptr<SqlStatement>> statements;
    if (dialect_ == SqlDialect::kPostgres) {
      // Every write, the request record and COMMIT: one round trip (with
      // BEGIN in front when nothing was read).
      ASSIGN_OR_RETURN(std::unique_ptr<SqlStatement> writes, PrepareWritesOnPostgres());
      if (writes != nullptr) {
        // The writes' plan does not depend on the values (arrays unnested):
        // no need to plan them again on every batch.
        ASSIGN_OR_RETURN(auto generic, writer().Prepare("generic_plans", "SET LOCAL plan_cache_mode = auto"));
        statements.push_back(std::move(generic));
        statements.push_back(std::move(writes));
      }
      for (const RequestRecord& request : new_requests_) {
        ASSIGN_OR_RETURN(auto insert, PrepareInsertSqlRequest(writer(), request));
        statements.push_back(std::move(insert));
      }
    } else {
      RETURN_IF_ERROR(EnsureBegun());
      RETURN_IF_ERROR(WriteAllRowByRow());
      for (const RequestRecord& request : new_requests_) {
        ASSIGN_OR_RETURN(auto insert, PrepareInsertSqlRequest(writer(), request));
        RETURN_IF_ERROR(insert->Run());
      }
    }
    std::vector<SqlStatement*> sent;
    for (const auto& stmt : statements) sent.push_back(stmt.get());
    return CommitTransactionAfter(sent);
  }

 private:
  struct ChangeRow {
    int64_t version;
    std::string request_id;
    std::string district_code;
    std::string entity_type;
    std::string entity_key;
  };

  // Every write as one statement, whatever the batch's size, prepared and
  // bound (Commit sends it), or null when there is nothing to write: each
  // column goes as an array, UNNEST turns the arrays back into rows, and one
  // data-modifying CTE per table writes them (an empty array writes
  // nothing). Foreign keys are checked at the statement's end, after every
  // table's rows are in.
  absl::StatusOr<std::unique_ptr<SqlStatement>> PrepareWritesOnPostgres() {
    if (new_accounts_.empty() && new_transfers_.empty() && new_resolutions_.empty() && new_changes_.empty()) {
      return std::unique_ptr<SqlStatement>();
    }
    std::vector<SqlArray> a(10, SqlArray(dialect_));
    for (const auto& [key, account] : new_accounts_) {
      a[0].Add(account.account_id);
      a[1].Add(account.district_code);
      a[2].Add(account.school_code);
      a[3].Add(int64_t{static_cast<int>(account.purpose)});
      a[4].Add(int64_t{account.debits_must_not_exceed_credits});
      a[5].Add(account.debits_posted_fen);
      a[6].Add(account.credits_posted_fen);
      a[7].Add(account.debits_pending_fen);
      a[8].Add(account.credits_pending_fen);
      a[9].Add(account.change_version);
    }
    std::vector<SqlArray> t(13, SqlArray(dialect_));
    for (const Transfer& transfer : new_transfers_) {
      t[0].Add(transfer.journal_sequence);
      t[1].Add(transfer.transfer_id);
      t[2].Add(transfer.debit_account_id);
      t[3].Add(transfer.credit_account_id);
      t[4].Add(transfer.amount_fen);
      t[5].Add(int64_t{transfer.school_year});
      t[6].Add(transfer.purpose);
      t[7].Add(transfer.memo);
      t[8].Add(int64_t{transfer.pending});
      t[9].Add(transfer.post_pending_id);
      t[10].Add(transfer.void_pending_id);
      t[11].Add(transfer.journal_hash);
      t[12].Add(transfer.change_version);
    }
    std::vector<SqlArray> r(2, SqlArray(dialect_));
    for (const auto& [pending_id, transfer_id] : new_resolutions_) {
      r[0].Add(pending_id);
      r[1].Add(transfer_id);
    }
    std::vector<SqlArray> c(5, SqlArray(dialect_));
    for (const ChangeRow& change : new_changes_) {
      c[0].Add(change.version);
      c[1].Add(change.request_id);
      c[2].Add(change.district_code);
      c[3].Add(change.entity_type);
      c[4].Add(change.entity_key);
    }
    ASSIGN_OR_RETURN(
        auto stmt,
        writer().Prepare(
            "write_batch",
            absl::StrCat("WITH put_accounts AS (INSERT INTO accounts (", kAccountColumns,
                         ") SELECT * FROM UNNEST(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), "
                         "CAST(? AS bigint[]), CAST(? AS bigint[]), CAST(? AS bigint[]), CAST(? AS bigint[]), "
                         "CAST(? AS bigint[]), CAST(? AS bigint[]), CAST(? AS bigint[])) "
                         "ON CONFLICT (account_id) DO UPDATE SET debits_posted_fen = excluded.debits_posted_fen, "
                         "credits_posted_fen = excluded.credits_posted_fen, "
                         "debits_pending_fen = excluded.debits_pending_fen, "
                         "credits_pending_fen = excluded.credits_pending_fen), "
                         "append_transfers AS (INSERT INTO transfers (",
                         kTransferColumns,
                         ") SELECT * FROM UNNEST(CAST(? AS bigint[]), CAST(? AS text[]), CAST(? AS text[]), "
                         "CAST(? AS text[]), CAST(? AS bigint[]), CAST(? AS bigint[]), CAST(? AS text[]), "
                         "CAST(? AS text[]), CAST(? AS bigint[]), CAST(? AS text[]), CAST(? AS text[]), "
                         "CAST(? AS text[]), CAST(? AS bigint[]))), "
                         "put_resolutions AS (INSERT INTO resolutions (pending_id, transfer_id) "
                         "SELECT * FROM UNNEST(CAST(? AS text[]), CAST(? AS text[]))), "
                         "append_changes AS (INSERT INTO changes (change_version, request_id, district_code, "
                         "entity_type, entity_key) SELECT * FROM UNNEST(CAST(? AS bigint[]), CAST(? AS text[]), "
                         "CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]))) "
                         "SELECT 1")));
    int i = 0;
    for (const std::vector<SqlArray>* table : {&a, &t, &r, &c}) {
      for (const SqlArray& column : *table) stmt->Bind(++i, column.Finish());
    }
    return stmt;
  }

  // The accounts among `ids`, prepared under `name` (a string literal; a
  // name of its own for each statement alive at once: SQLite has one
  // statement per name) and bound.
  absl::StatusOr<std::unique_ptr<SqlStatement>> PrepareFindAccounts(absl::string_view name, const SqlArray& ids) {
    ASSIGN_OR_RETURN(auto stmt, writer().Prepare(name, absl::StrCat("SELECT ", kAccountColumns, " FROM accounts WHERE ",
                                                                    SqlAnyOf(dialect_, "account_id"))));
    stmt->Bind(1, ids.Finish());
    return stmt;
  }

  // Begins the transaction when nothing has yet (one round trip).
  absl::Status EnsureBegun() { return begun() ? absl::OkStatus() : Send({}); }

  // SQLite runs in process: a statement per row costs no round trip.
  absl::Status WriteAllRowByRow() {
    for (const auto& [key, a] : new_accounts_) {
      // An upsert, not INSERT OR REPLACE: replacing deletes the row first,
      // and SQLite then counts every transfer referencing the account (a
      // scan of the account's whole history on every batch).
      ASSIGN_OR_RETURN(auto stmt,
                       writer().Prepare("put_account", absl::StrCat("INSERT INTO accounts (", kAccountColumns,
                                                                    ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                                                                    "ON CONFLICT (account_id) DO UPDATE SET "
                                                                    "debits_posted_fen = excluded.debits_posted_fen, "
                                                                    "credits_posted_fen = excluded.credits_posted_fen, "
                                                                    "debits_pending_fen = excluded.debits_pending_fen, "
                                                                    "credits_pending_fen = "
                                                                    "excluded.credits_pending_fen")));
      stmt->Bind(1, a.account_id).Bind(2, a.district_code).Bind(3, a.school_code);
      stmt->Bind(4, int64_t{static_cast<int>(a.purpose)}).Bind(5, int64_t{a.debits_must_not_exceed_credits});
      stmt->Bind(6, a.debits_posted_fen).Bind(7, a.credits_posted_fen).Bind(8, a.debits_pending_fen);
      stmt->Bind(9, a.credits_pending_fen).Bind(10, a.change_version);
      RETURN_IF_ERROR(stmt->Run());
    }
    for (const Transfer& t : new_transfers_) {
      ASSIGN_OR_RETURN(auto stmt, writer().Prepare("append_transfer",
                                                   absl::StrCat("INSERT INTO transfers (", kTransferColumns,
                                                                ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")));
      stmt->Bind(1, t.journal_sequence).Bind(2, t.transfer_id).Bind(3, t.debit_account_id);
      stmt->Bind(4, t.credit_account_id).Bind(5, t.amount_fen).Bind(6, int64_t{t.school_year}).Bind(7, t.purpose);
      stmt->Bind(8, t.memo).Bind(9, int64_t{t.pending}).Bind(10, t.post_pending_id).Bind(11, t.void_pending_id);
      stmt->Bind(12, t.journal_hash).Bind(13, t.change_version);
      RETURN_IF_ERROR(stmt->Run());
    }
    for (const auto& [pending_id, transfer_id] : new_resolutions_) {
      ASSIGN_OR_RETURN(auto stmt, writer().Prepare("put_resolution",
                                                   "INSERT INTO resolutions (pending_id, transfer_id) VALUES (?, ?)"));
      stmt->Bind(1, pending_id).Bind(2, transfer_id);
      RETURN_IF_ERROR(stmt->Run());
    }
    for (const ChangeRow& c : new_changes_) {
      ASSIGN_OR_RETURN(auto stmt, writer().Prepare("append_change",
                                                   "INSERT INTO changes (change_version, request_id, district_code, "
                                                   "entity_type, entity_key) VALUES (?, ?, ?, ?, ?)"));
      stmt->Bind(1, c.version).Bind(2, c.request_id).Bind(3, c.district_code).Bind(4, c.entity_type);
      stmt->Bind(5, c.entity_key);
      RETURN_IF_ERROR(stmt->Run());
    }
    return absl::OkStatus();
  }

  SqlDialect dialect_;
  // What this transaction knows of the store: read, or written by it (an
  // empty optional: known absent).
  std::map<std::string, std::optional<Account>, std::less<>> accounts_;
  std::map<std::string, std::optional<Transfer>, std::less<>> transfers_;
  std::map<std::string, std::optional<std::string>, std::less<>> resolutions_;
  std::map<std::string, std::optional<RequestRecord>, std::less<>> requests_;
  std::optional<JournalHead> head_;
  std::optional<int64_t> next_change_version_;
  // Writes not yet sent, in the order made (accounts by id: the last write
  // of each wins).
  std::map<std::string, Account> new_accounts_;
  std::vector<Transfer> new_transfers_;
  std::vector<std::pair<std::string, std::string>> new_resolutions_;
  std::vector<ChangeRow> new_changes_;
  std::vector<RequestRecord> new_requests_;
};

// At most this many write transactions commit together: with one request
// per client in flight, a group rarely exceeds the number of clients; the
// bound keeps the write lock from being held for long (another replica
// waits for it).
constexpr int kMaxTransactionsPerCommit = 8;

SqlLedgerRepository::SqlLedgerRepository(std::unique_ptr<SqlDatabase> database) : database_(std::move(database)) {
  // SQLite is in process, with one writer: its batches commit one by one.
  if (database_->dialect() == SqlDialect::kPostgres) {
    commit_group_ = std::make_unique<SqlCommitGroup>(kMaxTransactionsPerCommit);
  }
}

absl::StatusOr<std::unique_ptr<SqlLedgerRepository>> SqlLedgerRepository::Open(absl::string_view url,
                                                                               StorageObserver* observer) {
  ASSIGN_OR_RETURN(std::unique_ptr<SqlDatabase> database, OpenSqlDatabase(url, observer));
  RETURN_IF_ERROR(database->Migrate(Migrations()));
  return std::unique_ptr<SqlLedgerRepository>(new SqlLedgerRepository(std::move(database)));
}

std::unique_ptr<SqlLedgerRepository> SqlLedgerRepository::OpenDeferred(absl::string_view url, StorageObserver* observer,
                                                                       DeferredSqlDatabase** database) {
  auto deferred = std::make_unique<DeferredSqlDatabase>(std::string(url), Migrations(), observer);
  *database = deferred.get();
  return std::unique_ptr<SqlLedgerRepository>(new SqlLedgerRepository(std::move(deferred)));
}

absl::StatusOr<std::unique_ptr<LedgerWriteTransaction>> SqlLedgerRepository::BeginWrite() {
  // Nothing is sent yet: BEGIN goes with the transaction's first reads.
  ASSIGN_OR_RETURN(SqlDatabase::Lease writer,
                   commit_group_ != nullptr ? commit_group_->AwaitWriter(*database_) : database_->Writer());
  return std::unique_ptr<LedgerWriteTransaction>(
      new Transaction(std::move(writer), database_->dialect(), database_->BeginWriteStatements(), commit_group_.get()));
}

absl::StatusOr<std::optional<Account>> SqlLedgerRepository::GetAccount(absl::string_view account_id) {
  SqlDatabase::Lease reader = database_->Reader();
  return FindAccountOn(*reader, account_id);
}

absl::StatusOr<std::vector<Account>> SqlLedgerRepository::AllAccounts() {
  SqlDatabase::Lease reader = database_->Reader();
  ASSIGN_OR_RETURN(auto stmt, reader->Prepare("all_accounts", absl::StrCat("SELECT ", kAccountColumns,
                                                                           " FROM accounts ORDER BY account_id")));
  return Collect<Account>(*stmt, ReadAccount);
}

absl::StatusOr<std::vector<Account>> SqlLedgerRepository::AccountsOfDistrict(absl::string_view district_code) {
  SqlDatabase::Lease reader = database_->Reader();
  ASSIGN_OR_RETURN(auto stmt,
                   reader->Prepare("accounts_of_district", absl::StrCat("SELECT ", kAccountColumns,
                                                                        " FROM accounts WHERE district_code = ? "
                                                                        "ORDER BY account_id")));
  stmt->Bind(1, district_code);
  return Collect<Account>(*stmt, ReadAccount);
}

absl::StatusOr<std::vector<Transfer>> SqlLedgerRepository::ListTransfers(const TransferQuery& q) {
  SqlDatabase::Lease reader = database_->Reader();
  ASSIGN_OR_RETURN(auto stmt, reader->Prepare("list_transfers",
                                              absl::StrCat("SELECT ", kTransferColumns,
                                                           " FROM transfers WHERE journal_sequence > ?1 AND "
                                                           "(?2 = '' OR debit_account_id = ?2 OR "
                                                           "credit_account_id = ?2) AND (?3 = 0 OR school_year = ?3) "
                                                           "ORDER BY journal_sequence LIMIT ?4")));
  stmt->Bind(1, q.after_sequence).Bind(2, q.account_id).Bind(3, int64_t{q.school_year}).Bind(4, int64_t{q.limit});
  return Collect<Transfer>(*stmt, [](const SqlStatement& row) { return ReadTransfer(row); });
}

absl::StatusOr<std::vector<Transfer>> SqlLedgerRepository::TransfersOfAccounts(
    const std::vector<std::string>& account_ids, int32_t school_year) {
  SqlDatabase::Lease reader = database_->Reader();
  std::vector<Transfer> result;
  // Each transfer once: found through its credit account, or through its
  // debit account when the credit account is not in the set.
  std::set<std::string> ids(account_ids.begin(), account_ids.end());
  for (const std::string& id : account_ids) {
    ASSIGN_OR_RETURN(auto stmt, reader->Prepare("transfers_of_account",
                                                absl::StrCat("SELECT ", kTransferColumns,
                                                             " FROM transfers WHERE (credit_account_id = ?1 OR "
                                                             "debit_account_id = ?1) AND (?2 = 0 OR school_year = ?2) "
                                                             "ORDER BY journal_sequence")));
    stmt->Bind(1, id).Bind(2, int64_t{school_year});
    ASSIGN_OR_RETURN(std::vector<Transfer> transfers,
                     Collect<Transfer>(*stmt, [](const SqlStatement& row) { return ReadTransfer(row); }));
    for (Transfer& t : transfers) {
      const bool by_credit = t.credit_account_id == id;
      if (by_credit || ids.count(t.credit_account_id) == 0) result.push_back(std::move(t));
    }
  }
  return result;
}

absl::StatusOr<std::vector<Change>> SqlLedgerRepository::ListChanges(int64_t since_version, int32_t limit) {
  SqlDatabase::Lease reader = database_->Reader();
  ASSIGN_OR_RETURN(auto stmt, reader->Prepare("list_changes",
                                              absl::StrCat("SELECT c.change_version, c.request_id, c.district_code, "
                                                           "c.entity_type, c.entity_key, t.journal_sequence, "
                                                           "t.transfer_id, t.debit_account_id, t.credit_account_id, "
                                                           "t.amount_fen, t.school_year, t.purpose, t.memo, t.pending, "
                                                           "t.post_pending_id, t.void_pending_id, t.journal_hash, "
                                                           "t.change_version"
                                                           " FROM changes c LEFT JOIN transfers t ON "
                                                           "c.entity_type = 'transfer' AND t.transfer_id = "
                                                           "c.entity_key WHERE c.change_version > ? "
                                                           "ORDER BY c.change_version LIMIT ?")));
  stmt->Bind(1, since_version).Bind(2, int64_t{limit});
  std::vector<Change> changes;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) break;
    Change change;
    change.change_version = stmt->ColumnInt(0);
    change.request_id = stmt->ColumnText(1);
    change.district_code = stmt->ColumnText(2);
    if (stmt->ColumnText(3) == "transfer") {
      change.entity = ReadTransfer(*stmt, 5);
    } else {
      change.entity = Account{};  // filled below, outside this statement
      std::get<Account>(change.entity).account_id = stmt->ColumnText(4);
    }
    changes.push_back(std::move(change));
  }
  // An account change shows the account as opened: its definition, no
  // balances.
  for (Change& change : changes) {
    auto* account = std::get_if<Account>(&change.entity);
    if (account == nullptr) continue;
    ASSIGN_OR_RETURN(std::optional<Account> found, FindAccountOn(*reader, account->account_id));
    if (!found) return absl::InternalError(absl::StrCat("change names a missing account ", account->account_id));
    *account = *found;
    account->debits_posted_fen = account->credits_posted_fen = 0;
    account->debits_pending_fen = account->credits_pending_fen = 0;
  }
  return changes;
}

absl::StatusOr<int64_t> SqlLedgerRepository::LatestChangeVersion() {
  SqlDatabase::Lease reader = database_->Reader();
  return SqlLatestChangeVersion(*reader);
}

absl::Status SqlLedgerRepository::CheckHealth() { return SqlHealth(*database_); }

}  // namespace gzedu::funding
