"""Where things are: the repository, the workspace's commands, the results."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent  # the workspace's .venv/bin
MEDIPRIMA = BIN / "mediprima"
PY_SPY = BIN / "py-spy"
RESULTS = ROOT / "bench" / "results"
BENCHMARKS_MD = ROOT / "BENCHMARKS.md"
