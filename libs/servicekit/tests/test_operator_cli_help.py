"""Every operator command explains itself and offers JSON for scripts."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from servicekit.cli import app

COMMANDS = [
    ["status"],
    ["prune"],
    ["dead-letters", "list"],
    ["dead-letters", "show"],
    ["dead-letters", "replay"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_each_operator_command_has_help_and_a_json_option(command: list[str]) -> None:
    result = CliRunner().invoke(app, [*command, "--help"], env={"COLUMNS": "200"})

    assert result.exit_code == 0, result.output
    assert "--json" in result.output


def test_replay_wants_one_letter_or_all() -> None:
    result = CliRunner().invoke(app, ["dead-letters", "replay", "invoicing"])

    assert result.exit_code == 2
    assert "give one letter's id, or --all" in result.output
