"""`python -m mediprima_contracts.schemas export|check [--dir DIR] [--allow-breaking]`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from mediprima_contracts.registry import EVENT_CLASSES
from mediprima_contracts.schemas.export import SCHEMA_DIR, SchemaStatus, export, status


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mediprima_contracts.schemas")
    parser.add_argument("command", choices=("export", "check"))
    parser.add_argument("--dir", type=Path, default=SCHEMA_DIR, help="schema directory")
    parser.add_argument(
        "--allow-breaking",
        action="store_true",
        help="overwrite even incompatible schemas (only for versions never published)",
    )
    args = parser.parse_args(argv)
    if args.command == "export":
        statuses = export(directory=args.dir, allow_breaking=args.allow_breaking)
    else:
        statuses = [status(event, args.dir) for event in EVENT_CLASSES]
    return _report(statuses, writing=args.command == "export", forced=args.allow_breaking)


def _report(statuses: list[SchemaStatus], *, writing: bool, forced: bool) -> int:
    failed = False
    for found in statuses:
        if found.incompatibilities:
            failed = failed or not forced
            verb = "overwritten despite" if writing and forced else "has"
            print(f"{found.name}: {verb} backward-incompatible changes:", file=sys.stderr)
            for issue in found.incompatibilities:
                print(f"  - {issue}", file=sys.stderr)
            if not forced:
                print("  add a new event version instead of changing this one", file=sys.stderr)
        elif not found.up_to_date:
            failed = failed or not writing
            print(f"{found.name}: {'written' if writing else 'out of date'} ({found.path})")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
