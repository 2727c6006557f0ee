"""The rule-table command line (section 6 of the contract).

Exit codes: 0 when every case passes (or the table was evaluated), 1 when any
case fails, 2 when the table cannot be used.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from .docs import markdown
from .tables import (
    TableError,
    decode,
    failure_report,
    judge_all,
    read_table,
    result_record,
    write_evaluated,
)

OK, FAILED, UNUSABLE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hsct-rules",
        description="Run rule tables (CSV cases with expected results) against the "
                    "HSCT-for-MS screening criteria.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser(
        "check", help="judge every row and report the failing ones",
        description="Judge every row; print each failing row and a final "
                    "'N passed, M failed' line. Exit 0 if all pass, 1 if any fail, "
                    "2 if the table cannot be used.")
    check.add_argument("table", help="the CSV file, or - for standard input")
    evaluate = commands.add_parser(
        "evaluate", help="write the rows back with the rules' results filled in",
        description="Write every row back with expect_outcome, an expect_<criterion> "
                    "column for every criterion and expect_cautions filled with what the "
                    "rules give, as CSV or JSON lines.")
    evaluate.add_argument("table", help="the CSV file, or - for standard input")
    evaluate.add_argument("--format", choices=("csv", "jsonl"), default="csv")
    evaluate.add_argument("-o", "--output", help="write here instead of standard output")
    docs = commands.add_parser(
        "docs", help="write the specification (docs/criteria.md) from the declarations",
        description="Write every input, criterion, threshold, caution, exception, source "
                    "and change, as declared, as Markdown. With --check, exit 1 if FILE "
                    "differs from what would be written.")
    docs.add_argument("-o", "--output", help="write here instead of standard output")
    docs.add_argument("--check", metavar="FILE", help="compare with FILE instead of writing")
    return parser


def _load(path: str):
    """Read and check a table file, or raise TableError."""
    try:
        if path == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as handle:
                data = handle.read()
    except OSError as error:
        raise TableError([f"cannot read {path}: {error.strerror}"]) from None
    return read_table(decode(data))


def _report_unusable(path: str, error: TableError) -> int:
    """Print every problem of an unusable table to standard error."""
    print(f"{path}: this table cannot be used:", file=sys.stderr)
    for problem in error.shown:
        print(f"  {problem}", file=sys.stderr)
    if error.more:
        print(f"  … and {error.more} more problems", file=sys.stderr)
    return UNUSABLE


def check(path: str) -> int:
    """Judge every case and print the failures and the totals."""
    try:
        table = _load(path)
    except TableError as error:
        return _report_unusable(path, error)
    results = judge_all(table)
    failed = [result for result in results if not result.passed]
    for result in failed:
        print(failure_report(result))
    print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    return FAILED if failed else OK


def evaluate(path: str, output_format: str, output: str | None) -> int:
    """Write the table back with the rules' results."""
    try:
        table = _load(path)
    except TableError as error:
        return _report_unusable(path, error)
    results = judge_all(table)
    try:
        with _output(output) as handle:
            if output_format == "jsonl":
                for result in results:
                    handle.write(json.dumps(result_record(result), ensure_ascii=False) + "\n")
            else:
                write_evaluated(handle, table, results)
    except OSError as error:
        print(f"cannot write {output}: {error.strerror}", file=sys.stderr)
        return UNUSABLE
    return OK


@contextmanager
def _output(path: str | None) -> Iterator[TextIO]:
    """The file to write to, or standard output when no path is given."""
    if path is None:
        yield sys.stdout
        return
    with open(path, "w", newline="", encoding="utf-8") as handle:
        yield handle


def docs(output: str | None, compare: str | None) -> int:
    """Write the specification, or check that a file holds it."""
    text = markdown()
    if compare is not None:
        try:
            with open(compare, encoding="utf-8") as handle:
                current = handle.read()
        except OSError as error:
            print(f"cannot read {compare}: {error.strerror}", file=sys.stderr)
            return UNUSABLE
        if current != text:
            print(f"{compare} is out of date; run: python -m rules docs -o {compare}",
                  file=sys.stderr)
            return FAILED
        return OK
    try:
        with _output(output) as handle:
            handle.write(text)
    except OSError as error:
        print(f"cannot write {output}: {error.strerror}", file=sys.stderr)
        return UNUSABLE
    return OK


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = _parser().parse_args(argv)
    if args.command == "check":
        return check(args.table)
    if args.command == "docs":
        return docs(args.output, args.check)
    return evaluate(args.table, args.format, args.output)
