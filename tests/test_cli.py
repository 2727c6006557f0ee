"""``python -m rules check`` and ``evaluate``: output, exit codes and unusable tables."""

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
TABLES = Path(__file__).parent / "tables"


def run_rules(*args, stdin=None):
    """Run the command line as a tester would."""
    return subprocess.run(
        [sys.executable, "-m", "rules", *map(str, args)],
        capture_output=True, cwd=ROOT, check=False, input=stdin,
        text=stdin is None or isinstance(stdin, str),
    )


def write(tmp_path, text, name="table.csv"):
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_check_reports_each_failing_row_with_expectation_result_and_why(tmp_path):
    table = write(tmp_path, "case,relapses_12m,new_mri_activity_12m,expect_inflammatory_activity\n"
                            "two relapses,2,,met\n"
                            "one relapse no mri,1,no,met\n"
                            ",0,no,unknown\n"
                            "mri only,0,yes,not_met\n")
    run = run_rules("check", table)
    assert run.returncode == 1
    out = run.stdout
    assert "line 3 (one relapse no mri)" in out
    assert "expect_inflammatory_activity: expected met, got unknown" in out
    assert "MRI scans showed no new damage" in out
    assert "One relapse alone is for a specialist to weigh" in out
    assert "line 4" in out and "expected unknown, got not_met" in out
    assert "line 5 (mri only)" in out and "expected not_met, got unknown" in out
    assert "Damage seen only on a scan is for a specialist to weigh" in out
    assert "two relapses" not in out
    assert out.strip().splitlines()[-1] == "1 passed, 3 failed"


def test_check_exits_0_when_every_row_passes(tmp_path):
    table = write(tmp_path, "age,expect_age_range\n30,met\n")
    run = run_rules("check", table)
    assert (run.returncode, run.stdout) == (0, "1 passed, 0 failed\n")


def test_a_row_without_expectations_passes(tmp_path):
    run = run_rules("check", write(tmp_path, "age\n30\n"))
    assert (run.returncode, run.stdout) == (0, "1 passed, 0 failed\n")


def test_check_reads_standard_input():
    run = run_rules("check", "-", stdin="age,expect_age_range\n17,not_met\n30,met\n")
    assert (run.returncode, run.stdout) == (0, "2 passed, 0 failed\n"), run.stderr
    failing = run_rules("check", "-", stdin="age,expect_age_range\n17,met\n")
    assert failing.returncode == 1 and "expected met, got not_met" in failing.stdout


def test_evaluate_fills_in_every_result_as_csv(tmp_path):
    table = write(tmp_path, "case,age,edss,expect_outcome\nolder,50,6.0,matches\n"
                            "from 45,45,,\nunder 45,44,,\n")
    run = run_rules("evaluate", table)
    assert run.returncode == 0, run.stderr
    row, at_45, under_45 = list(csv.DictReader(run.stdout.splitlines()))
    assert row["case"] == "older" and row["age"] == "50" and row["edss"] == "6.0"
    assert row["expect_outcome"] == "unclear"
    assert row["expect_age_range"] == "met" and row["expect_ambulatory"] == "met"
    assert row["expect_relapsing_ms"] == "unknown" and "expect_rrms" not in row
    assert row["expect_cautions"] == "age_over_45;walking_aid"
    assert at_45["expect_cautions"] == "age_over_45"
    assert under_45["expect_cautions"] == "none"


def test_evaluate_output_is_a_table_that_check_passes(tmp_path):
    out = tmp_path / "golden.csv"
    run = run_rules("evaluate", TABLES / "outcome.csv", "-o", out)
    assert run.returncode == 0 and run.stdout == ""
    check = run_rules("check", out)
    assert check.returncode == 0, check.stdout
    with (TABLES / "outcome.csv").open(newline="", encoding="utf-8") as handle:
        count = len(list(csv.DictReader(handle)))
    assert count >= 9
    assert check.stdout.endswith(f"{count} passed, 0 failed\n")


def test_evaluate_writes_json_lines(tmp_path):
    table = write(tmp_path, "case,age,ms_type,relapses_12m,new_mri_activity_12m\n"
                            "a,30,RRMS,,\nb,,spms,,\nc,,spms,0,no\nd,,spms,1,\n")
    run = run_rules("evaluate", table, "--format", "jsonl")
    assert run.returncode == 0
    first, second, third, fourth = (json.loads(line) for line in run.stdout.splitlines())
    assert first["line"] == 2 and first["case"] == "a"
    assert first["answers"] == {"age": 30, "ms_type": "rrms"}
    assert first["outcome"] == "unclear" and first["criteria"]["relapsing_ms"] == "met"
    assert "rrms" not in first["criteria"] and first["cautions"] == []
    assert second["line"] == 3 and second["outcome"] == "unclear"
    assert second["criteria"]["relapsing_ms"] == "unknown"
    assert second["cautions"] == ["progressive_ms"]
    assert third["outcome"] == "does_not_match"
    assert third["criteria"]["relapsing_ms"] == "not_met"
    assert third["cautions"] == ["progressive_ms"]
    assert fourth["criteria"]["relapsing_ms"] == "met"
    assert fourth["criteria"]["inflammatory_activity"] == "unknown"


def test_countries_are_accepted_by_name_code_and_short_form_in_any_case(tmp_path):
    table = write(tmp_path, "case,country\nname,United Kingdom\ncode,gb\nshort,UK\n"
                            "spaces and case,  united KINGDOM \nusa,USA\nblank,\n")
    run = run_rules("evaluate", table, "--format", "jsonl")
    assert run.returncode == 0, run.stderr
    countries = [record["answers"].get("country") for record in
                 map(json.loads, run.stdout.splitlines())]
    assert countries == ["United Kingdom"] * 4 + ["United States", None]


def test_row_numbers_count_the_header_as_line_1_and_follow_quoted_newlines(tmp_path):
    table = write(tmp_path, 'case,age\n"two\nlines",30\n\nthird,abc\n')
    run = run_rules("check", table)
    assert run.returncode == 2
    assert "line 5 (third), column 'age': 'abc' is not allowed" in run.stderr


BAD_TABLES = [
    ("unknown column", "age,colour\n30,red\n", ["line 1", "'colour'", "unknown column",
                                                 "allowed columns: case, age"]),
    ("bad age", "age\n200\n", ["line 2", "'age'", "'200'", "whole number from 0 to 120"]),
    ("bad ms_type", "ms_type\nrelapsing\n", ["line 2", "'ms_type'", "'relapsing'",
                                             "rrms, spms, ppms, cis, unsure"]),
    ("bad years", "years_since_diagnosis\nten\n", ["line 2", "'ten'", "number from 0 to 100"]),
    ("bad relapses", "relapses_12m\n1.5\n", ["line 2", "'1.5'", "whole number from 0 to 50"]),
    ("bad mri", "new_mri_activity_12m\nmaybe\n", ["'maybe'", "yes, no, unsure"]),
    ("bad dmt count", "dmt_count\n-1\n", ["'-1'", "whole number from 0 to 30"]),
    ("bad activity", "activity_on_dmt\ny\n", ["'y'", "yes, no, unsure"]),
    ("bad high efficacy", "high_efficacy_dmt\n2\n", ["'2'", "yes, no, unsure"]),
    ("bad edss", "edss\n0.5\n", ["'0.5'", "EDSS step"]),
    ("bad walking", "walking\nfar\n", ["'far'", "unaided_far, unaided_short, one_aid"]),
    ("bad health", "heart_disease\nnone\n", ["'none'", "yes, no, unsure"]),
    ("bad country", "country\nNarnia\n", ["line 2", "'country'", "'Narnia'",
                                           "rules/countries.py", "United Kingdom", "GB"]),
    ("long country", "country\n" + "x" * 81 + "\n", ["'country'", "rules/countries.py"]),
    ("bad chemotherapy", "prior_chemotherapy\nonce\n", ["'prior_chemotherapy'", "'once'",
                                                         "yes, no, unsure"]),
    ("retired column", "ms_type,expect_rrms\nrrms,met\n",
     ["line 1", "'expect_rrms'", "retired", "2026.12", "expect_relapsing_ms"]),
    ("retired caution", "high_efficacy_dmt,expect_cautions\nno,no_high_efficacy_dmt\n",
     ["line 2", "'expect_cautions'", "'no_high_efficacy_dmt'", "retired", "2026.12",
      "expect_treatment_failure"]),
    ("retired caution among others", "age,expect_cautions\n50,age_over_45;no_high_efficacy_dmt\n",
     ["'no_high_efficacy_dmt'", "2026.12", "expect_treatment_failure"]),
    ("bad outcome expectation", "age,expect_outcome\n30,match\n",
     ["line 2", "'expect_outcome'", "'match'", "matches, unclear, does_not_match"]),
    ("bad status expectation", "age,expect_age_range\n30,yes\n",
     ["'expect_age_range'", "'yes'", "met, not_met, unknown"]),
    ("bad caution expectation", "age,expect_cautions\n50,old_age\n",
     ["'expect_cautions'", "'old_age'", "age_over_45"]),
    ("empty file", "", ["the file is empty"]),
    ("only blank lines", "\n\n  \n", ["the file is empty"]),
    ("only a header", "age,expect_age_range\n", ["header but no cases"]),
    ("not csv at all", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ["not a CSV text file"]),
    ("not utf-8", b"age\n30\ncase\n\xff\xfe", ["not UTF-8"]),
    ("semicolons", "age;ms_type\n30;rrms\n", ["separated by commas"]),
    ("too many cells", "age,ms_type\n30,rrms,extra\n", ["line 2", "3 cells",
                                                        "only 2 columns"]),
    ("repeated column", "age,age\n30,31\n", ["'age'", "more than once"]),
    ("nameless column", "age,,ms_type\n30,,rrms\n", ["column 2", "no name"]),
]


@pytest.mark.parametrize(("text", "expected"), [case[1:] for case in BAD_TABLES],
                         ids=[case[0] for case in BAD_TABLES])
@pytest.mark.parametrize("command", ["check", "evaluate"])
def test_an_unusable_table_exits_2_naming_what_is_wrong(tmp_path, command, text, expected):
    run = run_rules(command, write(tmp_path, text))
    assert run.returncode == 2
    assert run.stdout == ""
    assert "this table cannot be used" in run.stderr
    for fragment in expected:
        assert fragment in run.stderr


def test_every_problem_of_a_table_is_reported_before_any_case_is_judged(tmp_path):
    table = write(tmp_path, "age,edss,colour,expect_outcome\n30,6.2,,yes\n300,6,,matches\n")
    run = run_rules("check", table)
    assert run.returncode == 2
    for fragment in ["'colour'", "line 2, column 'edss'", "line 2, column 'expect_outcome'",
                     "line 3, column 'age'"]:
        assert fragment in run.stderr
    assert "passed" not in run.stdout


def test_a_missing_file_exits_2(tmp_path):
    run = run_rules("check", tmp_path / "nope.csv")
    assert run.returncode == 2 and "cannot read" in run.stderr


def test_a_usage_error_exits_2():
    assert run_rules("judge", "x.csv").returncode == 2
