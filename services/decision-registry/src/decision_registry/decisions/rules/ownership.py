"""D-14: a decision belongs to the OCMW that filed it."""

from __future__ import annotations

from servicekit.errors import Forbidden, NotFound


def check_ownership_d14(*, owner: str, caller: str) -> None:
    """D-14: only the owning OCMW may act on a decision."""
    if owner != caller:
        raise Forbidden.for_rule(
            "D-14",
            "decision.not_owner",
            "Only the OCMW that owns a decision may change it",
            "ocmw.enterprise_number",
        )


def hide_unless_owner_d14(*, owner: str, caller: str | None, decision_number: str) -> None:
    """D-14 on reads and changes: another OCMW's decision does not exist for the caller."""
    if caller is not None and owner != caller:
        raise NotFound.for_rule(
            "D-14", "decision.not_found", f"Decision {decision_number} not found"
        )
