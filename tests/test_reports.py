"""Reports read well when piped: tables take the width they need instead of 80 columns."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from autograder.cli import app


@pytest.mark.filterwarnings("ignore::UserWarning")  # torch warns about a catalogued wrong answer
def test_piped_tables_are_not_squeezed_to_80_columns() -> None:
    """Issue 9, observation 7: names were cut short ("zero_i…") when output was not a terminal."""
    result = CliRunner().invoke(app, ["verify", "--exercise", "reshape", "--reference-seeds", "1", "--seed", "3"],
                                env={"COLUMNS": ""})
    assert result.exit_code == 0, result.output
    assert "…" not in result.output
    assert "synthetic_generator_and_integer_w" in result.output and "loss_row_reshape" in result.output
