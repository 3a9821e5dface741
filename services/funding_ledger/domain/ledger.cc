#include "services/funding_ledger/domain/ledger.h"

#include "common/domain/fingerprint.h"

namespace gzedu::funding {

bool Account::SameDefinition(const Account& o) const {
  return account_id == o.account_id && district_code == o.district_code && school_code == o.school_code &&
         purpose == o.purpose && debits_must_not_exceed_credits == o.debits_must_not_exceed_credits;
}

bool Transfer::SameContent(const Transfer& o) const {
  return transfer_id == o.transfer_id && debit_account_id == o.debit_account_id &&
         credit_account_id == o.credit_account_id && amount_fen == o.amount_fen && school_year == o.school_year &&
         purpose == o.purpose && memo == o.memo && pending == o.pending && post_pending_id == o.post_pending_id &&
         void_pending_id == o.void_pending_id;
}

std::string JournalHash(const std::string& previous_hash, const Transfer& t) {
  Fingerprint fp;
  fp.Add(previous_hash).Add(t.journal_sequence).Add(t.transfer_id).Add(t.debit_account_id).Add(t.credit_account_id);
  fp.Add(t.amount_fen).Add(static_cast<int64_t>(t.school_year)).Add(t.purpose).Add(t.memo).Add(t.pending);
  fp.Add(t.post_pending_id).Add(t.void_pending_id);
  return fp.Hex();
}

}  // namespace gzedu::funding
