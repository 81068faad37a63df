"""The library names fields and file kinds; only the CLI words them as flags."""

from __future__ import annotations

from finsam_cli.errors import MissingInput, UsageError


def test_a_missing_input_names_its_kind_and_the_config_key() -> None:
    error = MissingInput("budget")
    assert isinstance(error, UsageError) and error.kind == "budget"
    assert str(error) == "no budget file: set data.budget in finsam.toml"


def test_the_cli_words_a_missing_input_as_its_flag(run) -> None:
    result = run("budget-jamforelse", "2018")
    assert result.exit_code == 2
    assert result.stderr == "Usage error: no budget file: give --budget FILE or set data.budget in finsam.toml\n"
