"""The least work a rule-table check can do: read each row, parse it, compare expectations.

The baseline of ``bench/bench_rules.py``: it reads the CSV, parses every input
cell as the rules' fields do, and compares every expectation cell with a
fixed value, without judging any criterion. ``python -m rules check`` should
take at most three times as long on the same table.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rules import FIELDS, Answers


def main(path: str) -> None:
    same = different = 0
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            Answers.from_mapping({name: value for name, value in row.items() if name in FIELDS})
            for column, value in row.items():
                if column.startswith("expect_"):
                    if value.strip().lower() == "met":
                        same += 1
                    else:
                        different += 1
    print(f"{same} cells 'met', {different} others")


if __name__ == "__main__":
    main(sys.argv[1])
