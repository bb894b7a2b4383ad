"""`python -m mediprima_contracts.asyncapi export|check`: write the AsyncAPI document, or fail
when the committed one is not what the contracts give."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from mediprima_contracts.asyncapi.document import DOCUMENT_PATH, EXPORT_COMMAND, render


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mediprima_contracts.asyncapi")
    parser.add_argument("command", choices=("export", "check"))
    args = parser.parse_args(argv)
    wanted = render()
    current = DOCUMENT_PATH.read_text(encoding="utf-8") if DOCUMENT_PATH.exists() else ""
    if current == wanted:
        return 0
    if args.command == "export":
        DOCUMENT_PATH.write_text(wanted, encoding="utf-8")
        print(f"written: {DOCUMENT_PATH}")
        return 0
    print(f"{DOCUMENT_PATH} is out of date: run `{EXPORT_COMMAND}`", file=sys.stderr)
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
