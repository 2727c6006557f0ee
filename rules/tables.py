"""Rule tables: CSV files of cases with expected results (section 6 of the contract).

A table is read and checked whole before any case is judged: every unknown
column and every bad value is reported, naming the line, the column, the value
and what is allowed. A row's line is its line in the file, the header being 1.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TextIO

from .answers import Answers, AnswersError
from .assess import evaluate
from .cautions import CAUTIONS_BY_ID, RETIRED_CAUTIONS
from .criteria import CRITERIA
from .fields import FIELDS
from .model import OUTCOMES, STATUSES, Assessment

CASE = "case"
EXPECT_OUTCOME = "expect_outcome"
EXPECT_CAUTIONS = "expect_cautions"
EXPECT_CRITERIA = {f"expect_{criterion.id}": criterion.id for criterion in CRITERIA}
EXPECT_COLUMNS = (EXPECT_OUTCOME, *EXPECT_CRITERIA, EXPECT_CAUTIONS)
COLUMNS = (CASE, *FIELDS, *EXPECT_COLUMNS)
NO_CAUTIONS = "none"
#: Columns retired in a later version of the criteria: (version, replacement).
RETIRED_COLUMNS = {
    "expect_rrms": ("2026.12", "expect_relapsing_ms (relapsing MS, which now also counts "
                    "secondary progressive MS with recent activity)"),
}
#: How many problems of an unusable table are listed; the rest are counted.
MAX_PROBLEMS_SHOWN = 100


class TableError(ValueError):
    """A table that cannot be used, with every problem found in it."""

    def __init__(self, problems: list[str]):
        self.problems = tuple(problems)
        super().__init__("\n".join(self.problems))

    @property
    def shown(self) -> tuple[str, ...]:
        """The problems a report lists, at most MAX_PROBLEMS_SHOWN."""
        return self.problems[:MAX_PROBLEMS_SHOWN]

    @property
    def more(self) -> int:
        """How many problems a report leaves out."""
        return len(self.problems) - len(self.shown)


@dataclass(frozen=True, slots=True)
class Case:
    """One row of a rule table: its answers and what it expects."""

    line: int
    name: str
    cells: dict[str, str]
    answers: Answers
    expected: dict[str, object]

    @property
    def label(self) -> str:
        """How a report names this row: its line, and its name when it has one."""
        return f"line {self.line} ({self.name})" if self.name else f"line {self.line}"


@dataclass(frozen=True, slots=True)
class Mismatch:
    """One expectation the rules did not give."""

    column: str
    expected: str
    got: str
    why: str


@dataclass(frozen=True, slots=True)
class Result:
    """A case judged: the assessment and any expectation it missed."""

    case: Case
    assessment: Assessment
    mismatches: tuple[Mismatch, ...]

    @property
    def passed(self) -> bool:
        """True when every expectation in the row was met."""
        return not self.mismatches


@dataclass(frozen=True, slots=True)
class Table:
    """A rule table read and checked: its columns, in file order, and its cases."""

    columns: tuple[str, ...]
    cases: tuple[Case, ...]


def _allowed_columns() -> str:
    return ", ".join(COLUMNS)


def decode(data: bytes) -> str:
    """The text of an uploaded or read file, or a TableError saying why it is not CSV."""
    if b"\x00" in data:
        raise TableError(["the file is not a CSV text file (it contains binary data)"])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TableError([
            f"the file is not UTF-8 text (bad byte at position {error.start}); "
            "save it as CSV UTF-8"
        ]) from None


def read_table(text: str, *, max_rows: int | None = None) -> Table:
    """Read and check a whole table. Raises TableError listing every problem."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header, rows = _header(reader), list(_rows(reader, max_rows))
    except csv.Error as error:
        raise TableError([f"line {reader.line_num}: not valid CSV ({error})"]) from None
    problems = _header_problems(header)
    if not rows:
        raise TableError([*problems, "the table has a header but no cases: "
                          "add one row per case"])
    cases = []
    for line, row in rows:
        if len(row) > len(header):
            problems.append(
                f"line {line}: {len(row)} cells, but the header names only "
                f"{len(header)} columns")
            continue
        case = _case(line, dict(zip(header, row, strict=False)), problems)
        if case is not None:
            cases.append(case)
    if problems:
        raise TableError(problems)
    return Table(tuple(header), tuple(cases))


def _header(reader) -> list[str]:
    """The header row, with names trimmed and lower-cased."""
    for row in reader:
        if any(cell.strip() for cell in row):
            return [cell.strip().lower() for cell in row]
    raise TableError(["the file is empty: a rule table needs a header row naming its "
                      "columns, then one row per case"])


def _rows(reader, max_rows: int | None) -> Iterator[tuple[int, list[str]]]:
    """Each non-blank row with the line it starts on."""
    count = 0
    line = reader.line_num + 1
    for row in reader:
        if any(cell.strip() for cell in row):
            count += 1
            if max_rows is not None and count > max_rows:
                raise TableError([f"the table has more than {max_rows} cases; "
                                  f"split it into tables of at most {max_rows} rows"])
            yield line, row
        line = reader.line_num + 1


def _header_problems(header: list[str]) -> list[str]:
    """Unknown, blank and repeated column names."""
    problems = []
    if len(header) == 1 and any(sep in header[0] for sep in ";\t|"):
        return [f"line 1: the header {header[0]!r} is one column; "
                "columns must be separated by commas"]
    seen = set()
    for number, name in enumerate(header, start=1):
        if not name:
            problems.append(f"line 1, column {number}: the column has no name; "
                            f"allowed columns: {_allowed_columns()}")
        elif name in RETIRED_COLUMNS:
            version, replacement = RETIRED_COLUMNS[name]
            problems.append(f"line 1, column {name!r}: this column was retired in criteria "
                            f"version {version}; use {replacement}")
        elif name not in COLUMNS:
            problems.append(f"line 1, column {name!r}: unknown column; "
                            f"allowed columns: {_allowed_columns()}")
        elif name in seen:
            problems.append(f"line 1, column {name!r}: the column appears more than once")
        seen.add(name)
    return problems


def _case(line: int, cells: dict[str, str], problems: list[str]) -> Case | None:
    """One row as a Case, adding to ``problems`` instead when a cell is bad."""
    name = cells.get(CASE, "").strip()
    where = f"line {line} ({name})" if name else f"line {line}"
    before = len(problems)
    inputs = {column: value for column, value in cells.items() if column in FIELDS}
    try:
        answers = Answers.from_mapping(inputs)
    except AnswersError as error:
        answers = None
        problems.extend(
            f"{where}, column {problem.field!r}: {problem.value!r} is not allowed; "
            f"allowed: {problem.allowed}"
            for problem in error.problems
        )
    expected = {}
    for column in EXPECT_COLUMNS:
        raw = cells.get(column, "").strip()
        if raw:
            try:
                expected[column] = parse_expectation(column, raw)
            except ValueError as error:
                problems.append(f"{where}, column {column!r}: {raw!r} is not allowed; "
                                f"allowed: {error}")
    if len(problems) > before:
        return None
    return Case(line, name, cells, answers, expected)


def parse_expectation(column: str, raw: str) -> object:
    """An expectation cell as a value, or ValueError saying what is allowed."""
    value = raw.strip().lower()
    if column == EXPECT_OUTCOME:
        if value not in OUTCOMES:
            raise ValueError(", ".join(OUTCOMES) + ", or blank")
        return value
    if column == EXPECT_CAUTIONS:
        if value == NO_CAUTIONS:
            return frozenset()
        ids = [part.strip() for part in value.split(";") if part.strip()]
        retired = [caution_id for caution_id in ids if caution_id in RETIRED_CAUTIONS]
        if retired:
            version, replacement = RETIRED_CAUTIONS[retired[0]]
            raise ValueError(f"the caution {retired[0]!r} was retired in criteria version "
                             f"{version}; it is replaced by {replacement}. Other caution ids: "
                             + ", ".join(CAUTIONS_BY_ID))
        if not ids or any(caution_id not in CAUTIONS_BY_ID for caution_id in ids):
            raise ValueError(f"{NO_CAUTIONS!r}, or caution ids separated by ';' from: "
                             + ", ".join(CAUTIONS_BY_ID) + "; or blank")
        return frozenset(ids)
    if value not in STATUSES:
        raise ValueError(", ".join(STATUSES) + ", or blank")
    return value


def judge(case: Case) -> Result:
    """Evaluate one case and compare it with what the row expects."""
    assessment = evaluate(case.answers)
    mismatches = []
    for column, expected in case.expected.items():
        if column == EXPECT_OUTCOME:
            if assessment.outcome != expected:
                mismatches.append(Mismatch(column, expected, assessment.outcome,
                                           _outcome_why(assessment)))
        elif column == EXPECT_CAUTIONS:
            got = frozenset(caution.id for caution in assessment.cautions)
            if got != expected:
                mismatches.append(Mismatch(column, format_cautions(expected),
                                           format_cautions(got), _cautions_why(expected, got)))
        else:
            finding = assessment.finding(EXPECT_CRITERIA[column])
            if finding.status != expected:
                mismatches.append(Mismatch(column, expected, finding.status,
                                           finding.explanation))
    return Result(case, assessment, tuple(mismatches))


def judge_all(table: Table) -> list[Result]:
    """Every case of a table, judged in order."""
    return [judge(case) for case in table.cases]


def format_cautions(ids: Iterable[str]) -> str:
    """Caution ids as a table cell: declared order, ';' between, 'none' for none."""
    chosen = set(ids)
    return ";".join(cid for cid in CAUTIONS_BY_ID if cid in chosen) or NO_CAUTIONS


def _outcome_why(assessment: Assessment) -> str:
    """Which criteria decided the outcome."""
    deciding = [f"{f.id} is {f.status}" for f in assessment.findings if f.status != "met"]
    if not deciding:
        return "every criterion is met"
    return ", ".join(deciding)


def _cautions_why(expected: frozenset, got: frozenset) -> str:
    """Which cautions were missing and which were extra."""
    parts = []
    if expected - got:
        parts.append("not raised: " + format_cautions(expected - got))
    if got - expected:
        parts.append("also raised: " + format_cautions(got - expected))
    return "; ".join(parts)


def result_row(result: Result, columns: tuple[str, ...]) -> dict[str, str]:
    """A case's row with its expectation cells filled with what the rules gave."""
    row = {column: result.case.cells.get(column, "") for column in columns}
    assessment = result.assessment
    row[EXPECT_OUTCOME] = assessment.outcome
    for column, criterion_id in EXPECT_CRITERIA.items():
        row[column] = assessment.finding(criterion_id).status
    row[EXPECT_CAUTIONS] = format_cautions(caution.id for caution in assessment.cautions)
    return row


def result_record(result: Result) -> dict[str, object]:
    """A case's result as a JSON-ready record."""
    assessment = result.assessment
    return {
        "line": result.case.line,
        "case": result.case.name,
        "answers": result.case.answers.to_dict(skip_blank=True),
        "outcome": assessment.outcome,
        "criteria": dict(assessment.statuses),
        "cautions": [caution.id for caution in assessment.cautions],
    }


def output_columns(table: Table) -> tuple[str, ...]:
    """The table's own columns, then any expectation column it lacks."""
    return table.columns + tuple(c for c in EXPECT_COLUMNS if c not in table.columns)


def write_evaluated(handle: TextIO, table: Table, results: list[Result]) -> None:
    """Write the table back as CSV with every expectation column filled by the rules."""
    columns = output_columns(table)
    writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(result_row(result, columns) for result in results)


def failure_report(result: Result) -> str:
    """A failing case in words: each expectation, what the rules gave, and why."""
    lines = [f"FAIL {result.case.label}"]
    for mismatch in result.mismatches:
        lines.append(f"  {mismatch.column}: expected {mismatch.expected}, "
                     f"got {mismatch.got} — {mismatch.why}")
    return "\n".join(lines)

