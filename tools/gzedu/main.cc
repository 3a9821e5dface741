// gzedu: the command-line tool of the gzedu platform. Wiring only: each
// subcommand calls one function of the tool's libraries.
#include <cstdio>

#include <CLI/CLI.hpp>

#include "tools/gzedu/evaluate_file_command.h"
#include "tools/gzedu/import_command.h"
#include "tools/gzedu/ledger_command.h"
#include "tools/gzedu/registry_summary.h"
#include "tools/gzedu/rotation_summary.h"

int main(int argc, char** argv) {
  CLI::App app{
      "gzedu: command-line tool of the gzedu compulsory-education data platform.\n"
      "Imports district data into the services through their public gRPC APIs, reads it back, and evaluates\n"
      "districts against the 2017 quality-balanced standard."};
  app.require_subcommand(1);

  gzedu::cli::ImportOptions import_options;
  CLI::App* import = app.add_subcommand("import", "Import a CSV file through the public API");
  import->require_subcommand(1);
  std::string registry_target = "127.0.0.1:50061";
  std::string rotation_target = "127.0.0.1:50062";
  auto add_import_flags = [&](CLI::App* command, const std::string& service, const std::string& env,
                              std::string* target) {
    command
        ->add_option("FILE", import_options.file,
                     "CSV file (UTF-8; English or Chinese headers, see "
                     "docs/import-formats.md)")
        ->required()
        ->check(CLI::ExistingFile);
    command->add_option("--target,--" + service, *target, "the " + service + " service, HOST:PORT")
        ->envname(env)
        ->capture_default_str();
    command->add_flag("--dry-run", import_options.dry_run, "check every row with the registry, write nothing");
    command->add_option("--batch-size", import_options.batch_size, "rows per request (1 to 5000)")
        ->check(CLI::Range(1, 5000))
        ->capture_default_str();
    command->add_flag("--quiet", import_options.quiet, "no progress lines on stderr");
  };
  CLI::App* import_schools = import->add_subcommand("schools", "Import schools (one row per school)");
  add_import_flags(import_schools, "registry", "GZEDU_REGISTRY", &registry_target);
  CLI::App* import_years =
      import->add_subcommand("school-years", "Import school-year records (one row per school and year)");
  add_import_flags(import_years, "registry", "GZEDU_REGISTRY", &registry_target);
  CLI::App* import_teachers =
      import->add_subcommand("teachers", "Import the teacher roster (one row per teacher; no personal data)");
  add_import_flags(import_teachers, "rotation", "GZEDU_ROTATION", &rotation_target);
  CLI::App* import_rotations =
      import->add_subcommand("rotations", "Propose (and approve) rotations, one row per rotation; safe to run again");
  add_import_flags(import_rotations, "rotation", "GZEDU_ROTATION", &rotation_target);

  std::string registry = "127.0.0.1:50061";
  int school_year = 2024;
  CLI::App* registry_cmd = app.add_subcommand("registry", "Read the school registry");
  registry_cmd->require_subcommand(1);
  CLI::App* summary = registry_cmd->add_subcommand("summary", "Schools, sections and students per district");
  summary->add_option("--registry", registry, "school registry HOST:PORT")
      ->envname("GZEDU_REGISTRY")
      ->capture_default_str();
  summary->add_option("--year", school_year, "school year (the calendar year it starts in)")->capture_default_str();

  std::string district;
  CLI::App* rotation_cmd = app.add_subcommand("rotation", "Read the teacher rotation service");
  rotation_cmd->require_subcommand(1);
  CLI::App* rotation_summary =
      rotation_cmd->add_subcommand("summary", "Rotation figures (G11) per district for a school year");
  rotation_summary->add_option("--target,--rotation", rotation_target, "rotation service HOST:PORT")
      ->envname("GZEDU_ROTATION")
      ->capture_default_str();
  rotation_summary->add_option("--district", district, "one district code; all eleven when empty");
  rotation_summary->add_option("--year", school_year, "school year")->capture_default_str();

  std::string ledger_target = "127.0.0.1:50063";
  std::string ledger_file;
  std::string account_id;
  bool ledger_quiet = false;
  CLI::App* ledger = app.add_subcommand("ledger", "Use the funding ledger");
  ledger->require_subcommand(1);
  ledger->add_option("--target,--ledger", ledger_target, "funding ledger HOST:PORT")
      ->envname("GZEDU_LEDGER")
      ->capture_default_str();
  CLI::App* ledger_open = ledger->add_subcommand("open", "Open the accounts of a CSV file");
  ledger_open->add_option("FILE", ledger_file, "accounts CSV")->required()->check(CLI::ExistingFile);
  ledger_open->add_flag("--quiet", ledger_quiet, "no progress lines");
  CLI::App* ledger_post = ledger->add_subcommand("post", "Post the transfers of a CSV file (safe to repeat)");
  ledger_post->add_option("FILE", ledger_file, "transfers CSV")->required()->check(CLI::ExistingFile);
  ledger_post->add_flag("--quiet", ledger_quiet, "no progress lines");
  CLI::App* ledger_balance = ledger->add_subcommand("balance", "Show an account's balances");
  ledger_balance->add_option("ACCOUNT", account_id, "account id")->required();
  CLI::App* ledger_verify = ledger->add_subcommand("verify", "Recompute the hash chain and every balance");

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

  CLI11_PARSE(app, argc, argv);

  import_options.target = import_teachers->parsed() || import_rotations->parsed() ? rotation_target : registry_target;
  if (import_schools->parsed()) return gzedu::cli::ImportSchools(import_options);
  if (import_years->parsed()) return gzedu::cli::ImportSchoolYears(import_options);
  if (import_teachers->parsed()) return gzedu::cli::ImportTeachers(import_options);
  if (import_rotations->parsed()) return gzedu::cli::ImportRotations(import_options);
  if (summary->parsed()) return gzedu::cli::PrintRegistrySummary(registry, school_year);
  if (rotation_summary->parsed()) return gzedu::cli::PrintRotationSummary(rotation_target, district, school_year);
  if (ledger_open->parsed()) return gzedu::cli::LedgerOpen(ledger_file, ledger_target, ledger_quiet);
  if (ledger_post->parsed()) return gzedu::cli::LedgerPost(ledger_file, ledger_target, ledger_quiet);
  if (ledger_balance->parsed()) return gzedu::cli::LedgerBalance(account_id, ledger_target);
  if (ledger_verify->parsed()) return gzedu::cli::LedgerVerify(ledger_target);
  if (evaluate_file->parsed()) return gzedu::cli::EvaluateFile(evaluate_options);
  return 2;
}
