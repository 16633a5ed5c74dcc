"""docs/cost.md carries the tool's own table, so the two cannot drift apart."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from buildtools.cost.__main__ import main

DOC = Path(__file__).resolve().parents[2] / "docs" / "cost.md"
TABLE = re.compile(r"<!-- cost-table:begin -->\n(.*?)<!-- cost-table:end -->", re.DOTALL)


def test_the_table_in_docs_is_the_tools_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--env", "prod", "--table"]) == 0
    generated = capsys.readouterr().out

    found = TABLE.search(DOC.read_text())
    assert found, "docs/cost.md lost its <!-- cost-table:begin/end --> markers"
    assert found.group(1) == generated, (
        "docs/cost.md is stale: paste the output of "
        "`.venv/bin/python -m buildtools.cost --env prod --table` between the markers"
    )
