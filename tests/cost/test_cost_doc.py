"""docs/cost.md and the README front page carry the tool's own table, so they cannot drift apart."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from buildtools.cost.__main__ import main

ROOT = Path(__file__).resolve().parents[2]
TABLE = re.compile(r"<!-- cost-table:begin -->\n(.*?)<!-- cost-table:end -->", re.DOTALL)


@pytest.mark.parametrize("doc", ["docs/cost.md", "README.md"])
def test_the_table_in_the_doc_is_the_tools_output(
    doc: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--env", "prod", "--table"]) == 0
    generated = capsys.readouterr().out

    found = TABLE.search((ROOT / doc).read_text())
    assert found, f"{doc} lost its <!-- cost-table:begin/end --> markers"
    assert found.group(1) == generated, (
        f"{doc} is stale: paste the output of "
        "`.venv/bin/python -m buildtools.cost --env prod --table` between the markers"
    )
