#!/usr/bin/env bash
# An outside client (buf curl) finds and calls the registry through server
# reflection alone, with no .proto files: the acceptance check of the
# registry's public contract.
set -euo pipefail
binary=$1
buf=$2
kind=${3:-registry}
dir=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT

# The server's stdout is a FIFO: its "listening" line is read as soon as it
# is written, with no polling.
mkfifo "$dir/out"
exec 3<>"$dir/out"
extra=()
# The evaluation service, alone here, is pointed at sources that are not there.
[ "$kind" = evaluation ] && extra=(--registry=127.0.0.1:1 --rotation=127.0.0.1:1 --ledger=127.0.0.1:1)
"$binary" --listen=127.0.0.1:0 --metrics-listen=127.0.0.1:0 --database="sqlite://$dir/r.db" "${extra[@]}" >&3 2>"$dir/err" &
pid=$!
read -r -t 30 -u 3 line || { echo "server did not start"; cat "$dir/err"; exit 1; }
echo "$line" >"$dir/listening"
address=$(sed -n 's/^listening grpc=\([^ ]*\) .*/\1/p' "$dir/listening")
[ -n "$address" ] || { echo "server did not report its address"; cat "$dir/err"; exit 1; }

call() { "$buf" curl --protocol grpc --http2-prior-knowledge "$@"; }
fail() { echo "FAIL: $*"; exit 1; }

methods=$(call --list-methods "http://$address")
grep -qx "grpc.health.v1.Health/Check" <<<"$methods" || fail "reflection does not list health"

if [ "$kind" = ledger ]; then
  service=gzedu.funding.v1.FundingLedgerService
  for m in CreateAccounts PostTransfers GetAccount ListTransfers GetFundingSummary VerifyJournal ListChanges; do
    grep -qx "$service/$m" <<<"$methods" || fail "reflection does not list $m"
  done
  out=$(call -d '{"request_id":"buf-1","accounts":[{"account_id":"t","district_code":"440114","purpose":"ACCOUNT_PURPOSE_OTHER"},{"account_id":"s","district_code":"440114","school_code":"2144011401","purpose":"ACCOUNT_PURPOSE_SCHOOL_OPERATING"}]}' \
    "http://$address/$service/CreateAccounts")
  grep -q 'ACCOUNT_RESULT_CREATED' <<<"$out" || fail "CreateAccounts: $out"
  out=$(call -d '{"request_id":"buf-2","transfers":[{"transfer_id":"x1","debit_account_id":"t","credit_account_id":"s","amount_fen":"12345","school_year":2024}]}' \
    "http://$address/$service/PostTransfers")
  grep -q 'TRANSFER_STATUS_CREATED' <<<"$out" || fail "PostTransfers: $out"
  out=$(call -d '{"account_id":"s"}' "http://$address/$service/GetAccount")
  grep -q '"creditsPostedFen": "12345"' <<<"$out" || fail "GetAccount: $out"
  out=$(call -d '{}' "http://$address/$service/VerifyJournal")
  grep -q '"ok": true' <<<"$out" || fail "VerifyJournal: $out"
  echo "buf curl through reflection ($kind): all checks passed"
  exit 0
fi

if [ "$kind" = evaluation ]; then
  service=gzedu.indicators.v1.IndicatorEvaluationService
  for m in ListIndicatorDefinitions UpsertDistrictReturns EvaluateDistrict EvaluateCity GetEvaluation \
           EvaluateScenario WatchIndicators; do
    grep -qx "$service/$m" <<<"$methods" || fail "reflection does not list $m"
  done
  out=$(call -d '{}' "http://$address/$service/ListIndicatorDefinitions")
  grep -q '"indicatorId": "S1"' <<<"$out" || fail "ListIndicatorDefinitions: $out"
  out=$(call -d '{"request_id":"buf-1","returns":[{"district_code":"440114","school_year":2024,"facts":{"quota_total_places":4228,"quota_allocated_places":2039}}]}' \
    "http://$address/$service/UpsertDistrictReturns")
  grep -q '"createdCount": 1' <<<"$out" || fail "UpsertDistrictReturns: $out"
  out=$(call -d '{"request_id":"buf-2","returns":[{"district_code":"440199","school_year":1999}]}' \
    "http://$address/$service/UpsertDistrictReturns" 2>&1 || true)
  grep -q 'invalid_argument' <<<"$out" || fail "invalid returns were not INVALID_ARGUMENT: $out"
  grep -q 'google.rpc.BadRequest' <<<"$out" || fail "invalid returns carried no BadRequest: $out"
  # No source service is running here: a clear, retryable UNAVAILABLE.
  out=$(call -d '{"district_code":"440114","school_year":2024}' "http://$address/$service/EvaluateDistrict" 2>&1 || true)
  grep -q 'unavailable' <<<"$out" || fail "EvaluateDistrict without sources: $out"
  out=$(call -d '{"service":"'$service'"}' "http://$address/grpc.health.v1.Health/Check")
  grep -q 'SERVING' <<<"$out" || fail "health: $out"
  echo "buf curl through reflection ($kind): all checks passed"
  exit 0
fi

if [ "$kind" = rotation ]; then
  service=gzedu.rotation.v1.TeacherRotationService
  for m in UpsertTeachers ListTeachers ProposeRotation ApproveRotation CancelRotation ListRotations \
           GetSectionStaffing GetRotationSummary ListChanges; do
    grep -qx "$service/$m" <<<"$methods" || fail "reflection does not list $m"
  done
  out=$(call -d '{"request_id":"buf-1","teachers":[{"teacher_id":"HD-1","district_code":"440114","school_code":"2144011401","stage":"STAGE_PRIMARY","full_time":true,"subject":"SUBJECT_MUSIC","highest_degree":"DEGREE_BACHELOR","backbone_level":"BACKBONE_LEVEL_NONE","certified":true,"at_current_school_since":"2012-09-01","school_ownership":"SCHOOL_OWNERSHIP_PUBLIC"}]}' \
    "http://$address/$service/UpsertTeachers")
  grep -q '"createdCount": 1' <<<"$out" || fail "UpsertTeachers: $out"
  out=$(call -d '{"school_code":"2144011401","school_year":2024}' "http://$address/$service/GetSectionStaffing")
  grep -q '"peMusicArt": 1' <<<"$out" || fail "GetSectionStaffing: $out"
  out=$(call -d '{"service":"'$service'"}' "http://$address/grpc.health.v1.Health/Check")
  grep -q 'SERVING' <<<"$out" || fail "health: $out"
  echo "buf curl through reflection ($kind): all checks passed"
  exit 0
fi

for m in UpsertSchools GetSchool ListSchools DeleteSchool UpsertSchoolYearRecords ListSchoolYearRecords ListChanges; do
  grep -qx "gzedu.registry.v1.SchoolRegistryService/$m" <<<"$methods" || fail "reflection does not list $m"
done

out=$(call -d '{"request_id":"buf-1","schools":[{"school_code":"2144011401","name":"花都区新华街第一小学","district_code":"440114","school_type":"SCHOOL_TYPE_PRIMARY","ownership":"OWNERSHIP_PUBLIC","locale":"LOCALE_URBAN"}]}' \
  "http://$address/gzedu.registry.v1.SchoolRegistryService/UpsertSchools")
grep -q '"createdCount": 1' <<<"$out" || fail "UpsertSchools: $out"

out=$(call -d '{"school_code":"2144011401"}' "http://$address/gzedu.registry.v1.SchoolRegistryService/GetSchool")
grep -q '花都区新华街第一小学' <<<"$out" || fail "GetSchool: $out"

out=$(call -d '{"request_id":"buf-2","schools":[{"school_code":"1"}]}' \
  "http://$address/gzedu.registry.v1.SchoolRegistryService/UpsertSchools" 2>&1 || true)
grep -q 'invalid_argument' <<<"$out" || fail "invalid upsert was not INVALID_ARGUMENT: $out"
grep -q 'google.rpc.BadRequest' <<<"$out" || fail "invalid upsert carried no BadRequest: $out"

out=$(call -d '{"service":"gzedu.registry.v1.SchoolRegistryService"}' "http://$address/grpc.health.v1.Health/Check")
grep -q 'SERVING' <<<"$out" || fail "health: $out"

out=$(call -d '{}' "http://$address/gzedu.registry.v1.SchoolRegistryService/ListChanges")
grep -q '"latestVersion": "1"' <<<"$out" || fail "ListChanges: $out"
echo "buf curl through reflection: all checks passed"
