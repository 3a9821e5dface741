// gzedu: the command-line tool of the gzedu platform. Wiring only: each
// subcommand calls one function of the tool's libraries.
#include <cstdio>

#include <CLI/CLI.hpp>

#include "common/build_info/build_info.h"
#include "tools/gzedu/audit_command.h"
#include "tools/gzedu/error_text.h"
#include "tools/gzedu/evaluate_file_command.h"
#include "tools/gzedu/evaluation_commands.h"
#include "tools/gzedu/import_command.h"
#include "tools/gzedu/ledger_command.h"
#include "tools/gzedu/registry_summary.h"
#include "tools/gzedu/report_command.h"
#include "tools/gzedu/returns_command.h"
#include "tools/gzedu/rotation_summary.h"
#include "tools/gzedu/serve_command.h"
#include "tools/gzedu/targets.h"
#include "tools/gzedu/token_command.h"

int main(int argc, char** argv) {
  CLI::App app{
      "gzedu: command-line tool of the gzedu compulsory-education data platform.\n"
      "Imports district data into the services through their public gRPC APIs, reads it back, and evaluates\n"
      "districts against the 2017 quality-balanced standard."};
  app.require_subcommand(1);
  app.set_version_flag("--version", gzedu::VersionLine("gzedu"), "print the version and git revision, then exit");
  // Every command that calls a service declares it here (AddTargetOptions),
  // and reads its address with ResolveTarget after parsing: one rule for all.
  using gzedu::cli::AddTargetOptions;
  using gzedu::cli::Service;
  gzedu::cli::TargetFlags target_flags;
  // The language of a service's refusals on the commands whose own words
  // are English (import, registry, rotation, ledger): English unless asked.
  std::string error_language = "en";
  auto add_error_language = [&](CLI::App* command) {
    command->add_option("--lang", error_language, "language of the services' refusals: zh or en")
        ->check(CLI::IsMember({"zh", "en"}))
        ->capture_default_str();
  };

  gzedu::cli::ImportOptions import_options;
  CLI::App* import = app.add_subcommand("import", "Import district data through the public APIs");
  import->require_subcommand(1);
  auto add_import_flags = [&](CLI::App* command, Service service) {
    command
        ->add_option("FILE", import_options.file,
                     "CSV file (UTF-8, or GBK/GB18030 as Excel saves it; English or Chinese headers, see "
                     "docs/import-formats.md)")
        ->required()
        ->check(CLI::ExistingFile);
    AddTargetOptions(command, &target_flags, {service});
    command->add_flag("--dry-run", import_options.dry_run, "check every row with the registry, write nothing");
    command->add_option("--batch-size", import_options.batch_size, "rows per request (1 to 5000)")
        ->check(CLI::Range(1, 5000))
        ->capture_default_str();
    command->add_flag("--quiet", import_options.quiet, "no progress lines on stderr");
    add_error_language(command);
  };
  CLI::App* import_schools = import->add_subcommand("schools", "Import schools (one row per school)");
  add_import_flags(import_schools, Service::kRegistry);
  CLI::App* import_years =
      import->add_subcommand("school-years", "Import school-year records (one row per school and year)");
  add_import_flags(import_years, Service::kRegistry);
  CLI::App* import_teachers =
      import->add_subcommand("teachers", "Import the teacher roster (one row per teacher; no personal data)");
  add_import_flags(import_teachers, Service::kRotation);
  // The teachers' schools are checked against the registry (--registry, else the target).
  AddTargetOptions(import_teachers, &target_flags, {Service::kRegistry});
  CLI::App* import_rotations =
      import->add_subcommand("rotations", "Propose (and approve) rotations, one row per rotation; safe to run again");
  add_import_flags(import_rotations, Service::kRotation);

  int school_year = 2024;
  CLI::App* registry_cmd = app.add_subcommand("registry", "Read the school registry");
  registry_cmd->require_subcommand(1);
  CLI::App* summary = registry_cmd->add_subcommand("summary", "Schools, sections and students per district");
  AddTargetOptions(summary, &target_flags, {Service::kRegistry});
  summary->add_option("--year", school_year, "school year (the calendar year it starts in)")->capture_default_str();
  add_error_language(summary);

  std::string district;
  CLI::App* rotation_cmd = app.add_subcommand("rotation", "Read the teacher rotation service");
  rotation_cmd->require_subcommand(1);
  CLI::App* rotation_summary =
      rotation_cmd->add_subcommand("summary", "Rotation figures (G11) per district for a school year");
  AddTargetOptions(rotation_summary, &target_flags, {Service::kRotation});
  rotation_summary->add_option("--district", district, "one district code; all eleven when empty");
  rotation_summary->add_option("--year", school_year, "school year")->capture_default_str();
  add_error_language(rotation_summary);

  std::string ledger_file;
  std::string account_id;
  bool ledger_quiet = false;
  CLI::App* ledger = app.add_subcommand("ledger", "Use the funding ledger");
  ledger->require_subcommand(1);
  CLI::App* ledger_open = ledger->add_subcommand("open", "Open the accounts of a CSV file");
  ledger_open->add_option("FILE", ledger_file, "accounts CSV")->required()->check(CLI::ExistingFile);
  ledger_open->add_flag("--quiet", ledger_quiet, "no progress lines");
  AddTargetOptions(ledger_open, &target_flags, {Service::kLedger});
  CLI::App* ledger_post = ledger->add_subcommand("post", "Post the transfers of a CSV file (safe to repeat)");
  ledger_post->add_option("FILE", ledger_file, "transfers CSV")->required()->check(CLI::ExistingFile);
  ledger_post->add_flag("--quiet", ledger_quiet, "no progress lines");
  AddTargetOptions(ledger_post, &target_flags, {Service::kLedger});
  CLI::App* ledger_balance = ledger->add_subcommand("balance", "Show an account's balances");
  ledger_balance->add_option("ACCOUNT", account_id, "account id")->required();
  AddTargetOptions(ledger_balance, &target_flags, {Service::kLedger});
  CLI::App* ledger_verify = ledger->add_subcommand("verify", "Recompute the hash chain and every balance");
  AddTargetOptions(ledger_verify, &target_flags, {Service::kLedger});
  for (CLI::App* command : {ledger_open, ledger_post, ledger_balance, ledger_verify}) add_error_language(command);

  gzedu::cli::EvaluateFileOptions evaluate_options;
  CLI::App* evaluate_file = app.add_subcommand(
      "evaluate-file",
      "Evaluate one district-year described in a JSON file (docs/engine-input.md), with no service running");
  evaluate_file->add_option("INPUT", evaluate_options.file, "the district-year as JSON")->required();
  evaluate_file->add_option("--lang", evaluate_options.language, "report language: zh or en")
      ->check(CLI::IsMember({"zh", "en"}))
      ->capture_default_str();
  evaluate_file->add_option("--format", evaluate_options.format, "text (the report) or json (the evaluation)")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();

  gzedu::cli::ServeOptions serve_options;
  CLI::App* serve = app.add_subcommand(
      "serve",
      "Run the whole suite in one process on one port: school registry, teacher rotation, funding ledger and\n"
      "indicator evaluation, each on SQLite under --data-dir; no Redis needed. Stops on SIGTERM or Ctrl-C.");
  serve->set_version_flag("--version", gzedu::VersionLine("gzedu serve"),
                          "print the version and git revision, then exit");
  serve->add_option("--listen", serve_options.listen, "gRPC address HOST:PORT (port 0: any free port)")
      ->envname("GZEDU_LISTEN")
      ->capture_default_str();
  serve->add_option("--metrics-listen", serve_options.metrics_listen, "/metrics address HOST:PORT")
      ->envname("GZEDU_METRICS_LISTEN")
      ->capture_default_str();
  serve->add_option("--data-dir", serve_options.data_dir, "directory of the four SQLite files (created if missing)")
      ->envname("GZEDU_DATA_DIR")
      ->capture_default_str();
  serve->add_option("--log-level", serve_options.log_level, "debug, info, warning or error (audit records always)")
      ->envname("GZEDU_LOG_LEVEL")
      ->check(CLI::IsMember({"debug", "info", "warning", "error"}))
      ->capture_default_str();
  serve
      ->add_option("--rotation-min-years", serve_options.rotation_min_years,
                   "years at the current school on 1 September that make a teacher eligible for rotation")
      ->check(CLI::Range(0, 60))
      ->capture_default_str();
  serve
      ->add_option("--watch-heartbeat-seconds", serve_options.heartbeat_seconds,
                   "seconds of silence after which a watch stream gets a heartbeat")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  serve->add_flag("--insecure", serve_options.insecure,
                  "allow a non-loopback --listen address (the embedded default is plaintext; without this flag it\n"
                  "refuses to listen anywhere but loopback); there --auth-key-file is required too");
  serve
      ->add_option("--auth-key-file", serve_options.auth_key_file,
                   "check bearer tokens signed with this key (roles, district scopes) on every call")
      ->envname("GZEDU_AUTH_KEY_FILE");

  gzedu::cli::EvaluationTarget evaluation_target;
  std::string evaluate_district;
  std::string language = "zh";
  std::string format = "text";
  auto add_evaluation_flags = [&](CLI::App* command, bool district_required) {
    AddTargetOptions(command, &target_flags, {Service::kEvaluation});
    auto* district_option = command->add_option("--district", evaluate_district, "district code, e.g. 440114");
    if (district_required) district_option->required();
    command->add_option("--year", evaluation_target.school_year, "school year")->capture_default_str();
    command->add_option("--convention", evaluation_target.conventions,
                        "a named convention (indicators.md section 7), repeatable: quota_excludes_hk_macao_classes, "
                        "disabled_enrolment_excludes_deferred, retention_formula=annual_loss, ...");
    command->add_option("--lang", language, "zh or en")->check(CLI::IsMember({"zh", "en"}))->capture_default_str();
  };
  CLI::App* evaluate = app.add_subcommand(
      "evaluate", "Evaluate a district-year through the evaluation service (--district all: the city table)");
  add_evaluation_flags(evaluate, true);
  evaluate->add_option("--format", format, "text (the report) or json (the evaluation)")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  CLI::App* plan = app.add_subcommand(
      "plan", "Remediation: a step per failing indicator, then one plan per failing school section (一校一案)");
  add_evaluation_flags(plan, true);
  gzedu::cli::ReportOptions report_options;
  CLI::App* report = app.add_subcommand(
      "report", "The evaluation as a report file: text, xlsx workbook, printable html or csv (--district all: city)");
  add_evaluation_flags(report, false);
  report->add_option("--format", report_options.format, "text, xlsx, html or csv")
      ->check(CLI::IsMember({"text", "xlsx", "html", "csv"}))
      ->capture_default_str();
  report->add_option("--out", report_options.out, "the file to write (-: stdout)")->capture_default_str();
  report->add_option("--input", report_options.input,
                     "evaluate this district-year JSON (as evaluate-file takes) here instead of asking the service");
  gzedu::cli::ScenarioOptions scenario_options;
  CLI::App* scenario = app.add_subcommand("scenario", "What-if: evaluate with hypothetical changes, write nothing");
  add_evaluation_flags(scenario, true);
  scenario->add_option("--enrolment", scenario_options.enrolment_percent, "enrolment change in percent, e.g. 5");
  scenario->add_option("--enrolment-stage", scenario_options.enrolment_stage, "only this stage: primary or junior");
  scenario->add_option("--enrolment-school", scenario_options.enrolment_school, "only this school");
  scenario->add_option("--add-teachers", scenario_options.add_teachers,
                       "SCHOOL:primary|junior:N[:BACKBONE] more full-time teachers (repeatable)");
  scenario->add_option("--add-area", scenario_options.add_area,
                       "SCHOOL:TEACHING_M2[:SPORTS_M2] more floor area (repeatable)");
  scenario->add_option("--format", format, "text (what changes) or json (the whole response)")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  scenario->add_option("--new-school", scenario_options.new_schools,
                       "CODE:primary|junior:STUDENTS:CLASSES[:key=value,...] a new school (repeatable); keys "
                       "teachers, qualified, backbone, pe_music_art, teaching_m2, sports_m2, equipment_yuan, "
                       "multimedia_rooms, name");
  std::vector<std::string> watch_districts;
  std::vector<std::string> watch_indicators;
  int64_t resume_after = 0;
  bool initial_state = false;
  int max_updates = 0;
  CLI::App* watch = app.add_subcommand("watch", "Follow indicator updates as sources change (Ctrl-C to stop)");
  AddTargetOptions(watch, &target_flags, {Service::kEvaluation});
  watch->add_option("--district", watch_districts, "only these districts (repeatable)");
  watch->add_option("--indicator", watch_indicators, "only these indicators, e.g. R4 (repeatable)");
  watch->add_option("--resume-after", resume_after, "replay the updates after this version first");
  watch->add_flag("--initial", initial_state, "start with every matching district's current indicators");
  watch->add_option("--max-updates", max_updates, "stop after this many updates, the initial state not counted");
  int watch_year = 0;
  watch->add_option("--year", watch_year, "only this school year (0: every year)")->capture_default_str();
  std::string watch_language = "zh";
  watch->add_option("--lang", watch_language, "zh or en")->check(CLI::IsMember({"zh", "en"}))->capture_default_str();

  std::string returns_file;
  bool returns_dry_run = false;
  CLI::App* import_returns = import->add_subcommand(
      "returns", "Import district returns (district statistics, attestations, vetoes): a YAML or CSV form, or JSON");
  import_returns
      ->add_option("FILE", returns_file,
                   ".yaml/.yml or .csv form (money in yuan; gzedu returns template), or .json {\"returns\": [...]} "
                   "(contract JSON form, money in fen)")
      ->required()
      ->check(CLI::ExistingFile);
  AddTargetOptions(import_returns, &target_flags, {Service::kEvaluation});
  import_returns->add_flag("--dry-run", returns_dry_run, "check the file here and with the service, write nothing");
  gzedu::cli::ReturnsTemplateOptions returns_template_options;
  std::string returns_template_from;
  CLI::App* returns_cmd = app.add_subcommand("returns", "District returns as forms a person fills");
  returns_cmd->require_subcommand(1);
  CLI::App* returns_template = returns_cmd->add_subcommand(
      "template", "Print a blank district return form with a comment for every field (fill it, then import it)");
  returns_template->add_option("--format", returns_template_options.format, "yaml or csv")
      ->check(CLI::IsMember({"yaml", "csv"}))
      ->capture_default_str();
  returns_template->add_option("--lang", returns_template_options.language, "field names and comments: zh or en")
      ->check(CLI::IsMember({"zh", "en"}))
      ->capture_default_str();
  returns_template->add_option("--district", returns_template_options.district, "prefill this district code");
  returns_template->add_option("--year", returns_template_options.school_year, "school year")->capture_default_str();
  returns_template
      ->add_option(
          "--from", returns_template_from,
          "fill in the district's return from this contract JSON file (e.g. data/guangzhou/district_returns.json)")
      ->check(CLI::ExistingFile);
  std::string bundle_dir;
  bool bundle_quiet = false;
  CLI::App* import_bundle = import->add_subcommand(
      "bundle",
      "Import a whole dataset directory (schools, school years, teachers, rotations, accounts, transfers, "
      "district returns) through the public APIs");
  import_bundle->add_option("DIR", bundle_dir, "the dataset directory, e.g. data/guangzhou")
      ->required()
      ->check(CLI::ExistingDirectory);
  AddTargetOptions(import_bundle, &target_flags,
                   {Service::kRegistry, Service::kRotation, Service::kLedger, Service::kEvaluation});
  import_bundle->add_flag("--quiet", bundle_quiet, "no progress lines");
  add_error_language(import_bundle);

  gzedu::cli::TokenOptions token_options;
  CLI::App* token = app.add_subcommand("token", "Bearer tokens for district-scoped access");
  token->require_subcommand(1);
  CLI::App* token_issue = token->add_subcommand(
      "issue",
      "Print a signed token (HS256 JWT): role, districts, expiry. Servers started with --auth-key-file check it;\n"
      "the CLI sends the token in GZEDU_TOKEN with every call");
  token_issue->add_option("--key-file", token_options.key_file, "the signing key (at least 32 bytes)")
      ->required()
      ->check(CLI::ExistingFile);
  token_issue->add_option("--role", token_options.role, "district-writer, reader or admin")->required();
  token_issue->add_option("--districts", token_options.districts, "district codes (repeatable), or * for the city")
      ->required();
  token_issue->add_option("--ttl", token_options.ttl, "lifetime: 90s, 30m, 1h, 7d")->capture_default_str();
  token_issue->add_option("--subject", token_options.subject, "who holds it (default: role and districts)");

  gzedu::cli::AuditQuery audit_query;
  CLI::App* audit = app.add_subcommand(
      "audit", "Query a server's audit log (--audit-log FILE): every write and every refused call, oldest first");
  audit->add_option("file", audit_query.file, "the audit log file")->required()->check(CLI::ExistingFile);
  audit->add_option("--principal", audit_query.principal, "only this principal (a token's subject)");
  audit->add_option("--method", audit_query.method, "only this RPC, e.g. UpsertSchools");
  audit->add_option("--outcome", audit_query.outcome, "only ok, failed or denied")
      ->check(CLI::IsMember({"ok", "failed", "denied"}));
  audit->add_option("--district", audit_query.district, "only records naming this district");
  audit->add_option("--request-id", audit_query.request_id, "only this request id");
  audit->add_option("--format", audit_query.format, "text (a table) or json (the matching lines)")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();

  // Set last: a footer set earlier would be copied to every subcommand.
  app.footer(gzedu::cli::TargetRuleHelp());
  // A command line that cannot be used (a missing file, an unknown flag) is
  // exit 2, as every other refused input; --help and --version exit 0.
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  const std::string registry_target = gzedu::cli::ResolveTarget(target_flags, Service::kRegistry);
  const std::string rotation_target = gzedu::cli::ResolveTarget(target_flags, Service::kRotation);
  const std::string ledger_target = gzedu::cli::ResolveTarget(target_flags, Service::kLedger);
  evaluation_target.target = gzedu::cli::ResolveTarget(target_flags, Service::kEvaluation);

  // A service's refusals are written in the language the command speaks.
  const bool reports_command = evaluate->parsed() || report->parsed() || plan->parsed() || scenario->parsed();
  gzedu::cli::SetErrorLanguage(reports_command           ? language
                               : watch->parsed()         ? watch_language
                               : evaluate_file->parsed() ? evaluate_options.language
                                                         : error_language);

  if (token_issue->parsed()) return gzedu::cli::IssueTokenCommand(token_options);
  if (audit->parsed()) return gzedu::cli::AuditCommand(audit_query);

  if (serve->parsed()) return gzedu::cli::Serve(serve_options);
  if (evaluate->parsed()) return gzedu::cli::Evaluate(evaluation_target, evaluate_district, language, format);
  if (report->parsed()) {
    report_options.target = evaluation_target;
    report_options.district = evaluate_district;
    report_options.language = language;
    return gzedu::cli::Report(report_options);
  }
  if (plan->parsed()) return gzedu::cli::Plan(evaluation_target, evaluate_district, language);
  if (scenario->parsed()) {
    return gzedu::cli::Scenario(evaluation_target, evaluate_district, scenario_options, language, format);
  }
  if (watch->parsed()) {
    return gzedu::cli::Watch(evaluation_target.target, watch_districts, watch_indicators, resume_after, initial_state,
                             max_updates, watch_year, watch_language);
  }
  if (import_returns->parsed()) {
    return gzedu::cli::ImportReturnsFile({returns_file, evaluation_target.target, returns_dry_run});
  }
  if (returns_template->parsed()) {
    return gzedu::cli::PrintReturnsTemplate(returns_template_options, returns_template_from);
  }
  if (import_bundle->parsed()) {
    gzedu::cli::BundleTargets bundle_targets;
    bundle_targets.registry = registry_target;
    bundle_targets.rotation = rotation_target;
    bundle_targets.ledger = ledger_target;
    bundle_targets.evaluation = evaluation_target.target;
    return gzedu::cli::ImportBundle(bundle_dir, bundle_targets, bundle_quiet);
  }

  import_options.target = import_teachers->parsed() || import_rotations->parsed() ? rotation_target : registry_target;
  if (import_schools->parsed()) return gzedu::cli::ImportSchools(import_options);
  if (import_years->parsed()) return gzedu::cli::ImportSchoolYears(import_options);
  if (import_teachers->parsed()) {
    import_options.registry_target = registry_target;
    return gzedu::cli::ImportTeachers(import_options);
  }
  if (import_rotations->parsed()) return gzedu::cli::ImportRotations(import_options);
  if (summary->parsed()) return gzedu::cli::PrintRegistrySummary(registry_target, school_year);
  if (rotation_summary->parsed()) return gzedu::cli::PrintRotationSummary(rotation_target, district, school_year);
  if (ledger_open->parsed()) return gzedu::cli::LedgerOpen(ledger_file, ledger_target, ledger_quiet);
  if (ledger_post->parsed()) return gzedu::cli::LedgerPost(ledger_file, ledger_target, ledger_quiet);
  if (ledger_balance->parsed()) return gzedu::cli::LedgerBalance(account_id, ledger_target);
  if (ledger_verify->parsed()) return gzedu::cli::LedgerVerify(ledger_target);
  if (evaluate_file->parsed()) return gzedu::cli::EvaluateFile(evaluate_options);
  return 2;
}
