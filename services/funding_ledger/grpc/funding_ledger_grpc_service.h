#ifndef GZEDU_SERVICES_FUNDING_LEDGER_GRPC_FUNDING_LEDGER_GRPC_SERVICE_H_
#define GZEDU_SERVICES_FUNDING_LEDGER_GRPC_FUNDING_LEDGER_GRPC_SERVICE_H_

#include "gzedu/funding/v1/funding.grpc.pb.h"
#include "services/funding_ledger/domain/funding_ledger.h"

namespace gzedu::funding {

Account FromProto(const v1::Account& proto);
Transfer FromProto(const v1::Transfer& proto);
void ToProto(const Account& account, v1::Account* proto);
void ToProto(const Transfer& transfer, v1::Transfer* proto);

// The gRPC face of FundingLedger: one domain call per method, the status
// converted once, the call logged with its request id. Thread-safe; does not
// own the ledger.
class FundingLedgerGrpcService final : public v1::FundingLedgerService::Service {
 public:
  explicit FundingLedgerGrpcService(FundingLedger* ledger) : ledger_(ledger) {}

  grpc::Status CreateAccounts(grpc::ServerContext* context, const v1::CreateAccountsRequest* request,
                              v1::CreateAccountsResponse* response) override;
  grpc::Status PostTransfers(grpc::ServerContext* context, const v1::PostTransfersRequest* request,
                             v1::PostTransfersResponse* response) override;
  grpc::Status GetAccount(grpc::ServerContext* context, const v1::GetAccountRequest* request,
                          v1::GetAccountResponse* response) override;
  grpc::Status ListTransfers(grpc::ServerContext* context, const v1::ListTransfersRequest* request,
                             v1::ListTransfersResponse* response) override;
  grpc::Status GetFundingSummary(grpc::ServerContext* context, const v1::GetFundingSummaryRequest* request,
                                 v1::GetFundingSummaryResponse* response) override;
  grpc::Status VerifyJournal(grpc::ServerContext* context, const v1::VerifyJournalRequest* request,
                             v1::VerifyJournalResponse* response) override;
  grpc::Status ListChanges(grpc::ServerContext* context, const v1::ListChangesRequest* request,
                           v1::ListChangesResponse* response) override;

 private:
  FundingLedger* ledger_;
};

}  // namespace gzedu::funding

#endif  // GZEDU_SERVICES_FUNDING_LEDGER_GRPC_FUNDING_LEDGER_GRPC_SERVICE_H_
