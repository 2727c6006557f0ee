"""Benchmark the rules: evaluate() calls a second, and a 100,000-row table through the CLI.

Run with ``make bench`` or ``.venv/bin/python bench/bench_rules.py``. The table
has every expectation column filled (by ``python -m rules evaluate``), so that
``check`` compares every one. In the same run, ``bench/plain_check.py`` -- a
plain script that parses each row and compares its expectations, judging
nothing -- is the least work a check can do. Target (issue 12): ``check``
within 3 times of it. Nothing is kept between evaluate() calls (no cache is
keyed by answers). Figures are printed, never asserted in the test suite.
"""

from __future__ import annotations

import csv
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rules import FIELDS, Answers, evaluate
from rules.tables import COLUMNS, EXPECT_COLUMNS

ROOT = Path(__file__).resolve().parent.parent


def random_row(rng: random.Random) -> dict[str, str]:
    """One case with every field answered at random, blanks included."""
    row = {}
    for name, field in FIELDS.items():
        if rng.random() < 0.15:
            row[name] = ""
        elif field.values:
            row[name] = rng.choice(field.values)
        elif name == "edss":
            row[name] = rng.choice(["0", "1.5", "3.0", "5.5", "6.0", "6.5", "8"])
        elif name == "years_since_diagnosis":
            row[name] = f"{rng.uniform(0, 25):.1f}"
        elif name == "country":
            row[name] = rng.choice(["", "France", "United Kingdom", "Canada"])
        else:
            row[name] = str(rng.randint(int(field.minimum), min(int(field.maximum), 70)))
    return row


def bench_evaluate(pool: list[Answers], seconds: float = 3.0) -> float:
    """evaluate() calls a second over a pool of answer sets."""
    calls, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for answers in pool:
            evaluate(answers)
        calls += len(pool)
    return calls / (time.perf_counter() - start)


def timed(command: list[str]) -> tuple[float, str]:
    """Seconds a command takes (best of three), and the last line it printed."""
    best, last = float("inf"), ""
    for _ in range(3):
        start = time.perf_counter()
        run = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
        best = min(best, time.perf_counter() - start)
        if run.returncode != 0:
            raise SystemExit(f"{command[1:3]} failed: {run.stderr[:500]}")
        last = run.stdout.strip().splitlines()[-1]
    return best, last


def bench_table(rows: int, rng: random.Random) -> None:
    """``python -m rules check`` on ``rows`` random cases, beside the plain script."""
    with tempfile.TemporaryDirectory() as folder:
        inputs, table = Path(folder) / "inputs.csv", Path(folder) / "big.csv"
        with inputs.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=[c for c in COLUMNS
                                                        if c not in EXPECT_COLUMNS])
            writer.writeheader()
            for number in range(rows):
                writer.writerow({"case": f"case {number}", **random_row(rng)})
        subprocess.run([sys.executable, "-m", "rules", "evaluate", str(inputs), "-o",
                        str(table)], cwd=ROOT, check=True)
        check, check_last = timed([sys.executable, "-m", "rules", "check", str(table)])
        plain, plain_last = timed([sys.executable, str(ROOT / "bench" / "plain_check.py"),
                                   str(table)])
    print(f"100,000 rows, every expectation filled ({len(EXPECT_COLUMNS)} columns), "
          "best of 3:")
    print(f"  python -m rules check TABLE:      {check:6.2f} s  ({check_last})")
    print(f"  python bench/plain_check.py TABLE: {plain:6.2f} s  ({plain_last})")
    print(f"  check / plain: {check / plain:.2f}x (target: at most 3x)")


def main() -> None:
    rng = random.Random(20261121)
    pool = [Answers.from_mapping(random_row(rng)) for _ in range(10_000)]
    print(f"machine: {os.cpu_count()} cores; Python {sys.version.split()[0]}")
    rate = bench_evaluate(pool)
    print(f"evaluate(): {rate:,.0f} calls/s on one core over 10,000 random answer sets "
          "(nothing kept between calls)")
    bench_table(100_000, rng)


if __name__ == "__main__":
    main()
