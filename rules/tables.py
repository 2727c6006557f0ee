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
from .assess import Verdict, evaluate, verdict
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
#: The most columns (and cells in a row) a table may have: each column at most once.
MAX_COLUMNS = len(COLUMNS)
#: The longest cell, in characters.
MAX_CELL = 1_000
#: What a spreadsheet reads as the start of a formula (OWASP's list).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class TableError(ValueError):
    """A table that cannot be used, with every problem found in it."""

    def __init__(self, problems: list[str]):
        self.problems = tuple(problems)
        #: Problems counted but not kept (see ``Problems``).
        self.uncounted = getattr(problems, "more", 0)
        super().__init__("\n".join(self.problems))

    @property
    def shown(self) -> tuple[str, ...]:
        """The problems a report lists, at most MAX_PROBLEMS_SHOWN."""
        return self.problems[:MAX_PROBLEMS_SHOWN]

    @property
    def more(self) -> int:
        """How many problems a report leaves out."""
        return len(self.problems) - len(self.shown) + self.uncounted


class Problems(list):
    """The first MAX_PROBLEMS_SHOWN problems of a table, and a count of the rest.

    A bad table can have a problem in every cell; only the ones a report
    shows are kept, so memory stays bounded whatever the upload.
    """

    def __init__(self) -> None:
        super().__init__()
        self.more = 0

    @property
    def found(self) -> int:
        """Every problem found so far, kept or only counted."""
        return len(self) + self.more

    def append(self, problem: str) -> None:
        if len(self) < MAX_PROBLEMS_SHOWN:
            super().append(problem)
        else:
            self.more += 1

    def extend(self, problems: Iterable[str]) -> None:
        for problem in problems:
            self.append(problem)


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
    """A case judged: what the rules gave and any expectation it missed."""

    case: Case
    verdict: Verdict
    mismatches: tuple[Mismatch, ...]

    @property
    def assessment(self) -> Assessment:
        """The whole explained assessment, made when asked for (a table check needs none)."""
        return evaluate(self.case.answers)

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
    problems = Problems()
    problems.extend(_header_problems(header))
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
            _check_size(reader.line_num, row)
            return [cell.strip().lower() for cell in row]
    raise TableError(["the file is empty: a rule table needs a header row naming its "
                      "columns, then one row per case"])


def _rows(reader, max_rows: int | None) -> Iterator[tuple[int, list[str]]]:
    """Each non-blank row with the line it starts on."""
    count = 0
    line = reader.line_num + 1
    for row in reader:
        if any(cell.strip() for cell in row):
            _check_size(line, row)
            count += 1
            if max_rows is not None and count > max_rows:
                raise TableError([f"the table has more than {max_rows} cases; "
                                  f"split it into tables of at most {max_rows} rows"])
            yield line, row
        line = reader.line_num + 1


def _check_size(line: int, row: list[str]) -> None:
    """Refuse a row with more cells than a table has columns, or a cell that is too long."""
    if len(row) > MAX_COLUMNS:
        raise TableError([f"line {line}: {len(row)} cells; a rule table has at most "
                          f"{MAX_COLUMNS} columns (each allowed column once)"])
    for number, cell in enumerate(row, start=1):
        if len(cell) > MAX_CELL:
            raise TableError([f"line {line}, column {number}: the cell is {len(cell):,} "
                              f"characters long; a cell has at most {MAX_CELL:,}"])


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
    before = _found(problems)
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
    if _found(problems) > before:
        return None
    return Case(line, name, cells, answers, expected)


def _found(problems: list[str]) -> int:
    return problems.found if isinstance(problems, Problems) else len(problems)


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
    """Judge one case and compare it with what the row expects.

    Only the statuses are worked out; a criterion's explanation is made only
    for a row whose expectation it missed.
    """
    given = verdict(case.answers)
    mismatches = []
    for column, expected in case.expected.items():
        if column == EXPECT_OUTCOME:
            if given.outcome != expected:
                mismatches.append(Mismatch(column, expected, given.outcome,
                                           _outcome_why(given)))
        elif column == EXPECT_CAUTIONS:
            got = frozenset(given.caution_ids)
            if got != expected:
                mismatches.append(Mismatch(column, format_cautions(expected),
                                           format_cautions(got), _cautions_why(expected, got)))
        else:
            status = given.statuses[EXPECT_CRITERIA[column]]
            if status != expected:
                finding = evaluate(case.answers).finding(EXPECT_CRITERIA[column])
                mismatches.append(Mismatch(column, expected, status, finding.explanation))
    return Result(case, given, tuple(mismatches))


def judge_all(table: Table) -> list[Result]:
    """Every case of a table, judged in order."""
    return [judge(case) for case in table.cases]


def format_cautions(ids: Iterable[str]) -> str:
    """Caution ids as a table cell: declared order, ';' between, 'none' for none."""
    chosen = set(ids)
    return ";".join(cid for cid in CAUTIONS_BY_ID if cid in chosen) or NO_CAUTIONS


def _outcome_why(given: Verdict) -> str:
    """Which criteria decided the outcome."""
    deciding = [f"{criterion_id} is {status}" for criterion_id, status in given.statuses.items()
                if status != "met"]
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
    given = result.verdict
    row[EXPECT_OUTCOME] = given.outcome
    for column, criterion_id in EXPECT_CRITERIA.items():
        row[column] = given.statuses[criterion_id]
    row[EXPECT_CAUTIONS] = format_cautions(given.caution_ids)
    return row


def result_record(result: Result) -> dict[str, object]:
    """A case's result as a JSON-ready record."""
    given = result.verdict
    return {
        "line": result.case.line,
        "case": result.case.name,
        "answers": result.case.answers.to_dict(skip_blank=True),
        "outcome": given.outcome,
        "criteria": dict(given.statuses),
        "cautions": list(given.caution_ids),
    }


def output_columns(table: Table) -> tuple[str, ...]:
    """The table's own columns, then any expectation column it lacks."""
    return table.columns + tuple(c for c in EXPECT_COLUMNS if c not in table.columns)


def write_evaluated(handle: TextIO, table: Table, results: list[Result]) -> None:
    """Write the table back as CSV with every expectation column filled by the rules."""
    columns = output_columns(table)
    writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows({column: neutralised(value) for column, value in
                      result_row(result, columns).items()} for result in results)


def neutralised(cell: str) -> str:
    """A cell a spreadsheet would run as a formula, made plain text by a leading ``'``.

    A plain number (``-1``, ``+2.5``) is left as it is: a spreadsheet reads it as
    a number, not a formula.
    """
    if cell.startswith(FORMULA_START) and not _is_plain_number(cell):
        return "'" + cell
    return cell


def _is_plain_number(cell: str) -> bool:
    body = cell[1:] if cell[:1] in "+-" else cell
    whole, _, fraction = body.partition(".")
    return bool(whole) and whole.isascii() and whole.isdigit() \
        and (not fraction or (fraction.isascii() and fraction.isdigit()))


def failure_report(result: Result) -> str:
    """A failing case in words: each expectation, what the rules gave, and why."""
    lines = [f"FAIL {result.case.label}"]
    for mismatch in result.mismatches:
        lines.append(f"  {mismatch.column}: expected {mismatch.expected}, "
                     f"got {mismatch.got} — {mismatch.why}")
    return "\n".join(lines)

