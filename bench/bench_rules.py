"""Benchmark the rules: evaluate() calls a second, and a 100,000-row table through the CLI.

Run with ``make bench`` or ``.venv/bin/python bench/bench_rules.py``. Targets
(issue 2, on a 2-core machine): at least 50,000 evaluate() calls a second on one
core from already-parsed Answers; 100,000 rows through ``python -m rules check``
in under 10 seconds. Figures are printed, never asserted in the test suite.
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
from rules.assess import _finding
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


def bench_evaluate(pool: list[Answers], seconds: float = 3.0) -> tuple[float, float]:
    """Calls a second, with findings already kept (warm) and with none kept (cold)."""
    calls, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for answers in pool:
            evaluate(answers)
        calls += len(pool)
    warm = calls / (time.perf_counter() - start)
    calls, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for answers in pool[:1000]:
            _finding.cache_clear()
            evaluate(answers)
        calls += 1000
    cold = calls / (time.perf_counter() - start)
    return warm, cold


def bench_table(rows: int, rng: random.Random) -> tuple[float, str]:
    """Seconds for ``python -m rules check`` on a table of ``rows`` random cases."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=[c for c in COLUMNS
                                                        if c not in EXPECT_COLUMNS])
            writer.writeheader()
            for number in range(rows):
                writer.writerow({"case": f"case {number}", **random_row(rng)})
        start = time.perf_counter()
        run = subprocess.run([sys.executable, "-m", "rules", "check", str(path)],
                             capture_output=True, text=True, cwd=ROOT, check=False)
        elapsed = time.perf_counter() - start
    if run.returncode != 0:
        raise SystemExit(f"check failed: {run.stderr[:500]}")
    return elapsed, run.stdout.strip().splitlines()[-1]


def main() -> None:
    rng = random.Random(20261121)
    pool = [Answers.from_mapping(random_row(rng)) for _ in range(10_000)]
    print(f"machine: {os.cpu_count()} cores; Python {sys.version.split()[0]}")
    warm, cold = bench_evaluate(pool)
    print(f"evaluate(): {warm:,.0f} calls/s on one core over 10,000 random answer sets "
          f"(findings kept between calls); {cold:,.0f} calls/s with nothing kept "
          "(target: 50,000)")
    elapsed, last = bench_table(100_000, rng)
    print(f"python -m rules check, 100,000 rows: {elapsed:.2f} s ({last}) (target: < 10 s)")


if __name__ == "__main__":
    main()
