"""Every rule table under tests/tables, one test per row, and through the command line."""

import subprocess
import sys
from pathlib import Path

import pytest

from rules.tables import decode, failure_report, judge, read_table

TABLES = sorted((Path(__file__).parent / "tables").glob("*.csv"))
ROOT = Path(__file__).parent.parent


def _cases():
    for path in TABLES:
        table = read_table(decode(path.read_bytes()))
        for case in table.cases:
            yield pytest.param(case, id=f"{path.stem}: {case.name or case.line}")


def test_the_tables_are_there():
    assert {path.stem for path in TABLES} >= {"criteria", "cautions", "outcome", "boundaries"}


@pytest.mark.parametrize("case", list(_cases()))
def test_rule_table_row(case):
    assert case.expected, "a row in the tables must expect something"
    result = judge(case)
    assert result.passed, failure_report(result)


@pytest.mark.parametrize("path", TABLES, ids=lambda path: path.name)
def test_rule_table_passes_through_the_command_line(path):
    run = subprocess.run(
        [sys.executable, "-m", "rules", "check", str(path)],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )
    rows = len(read_table(decode(path.read_bytes())).cases)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.strip().splitlines()[-1] == f"{rows} passed, 0 failed"
