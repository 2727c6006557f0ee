"""Command line: ``python -m rules check TABLE.csv`` and ``python -m rules evaluate TABLE.csv``."""

import sys

from .cli import main

sys.exit(main())
