"""docs/RUNBOOK.md has one section per alarm Terraform creates (no more, no fewer), each with its
four parts, and quotes the Logs Insights queries exactly as Terraform ships them."""

from __future__ import annotations

import re

import pytest

import terraform_model
from tests.terraform.conftest import WORKSPACES

RUNBOOK = terraform_model.TERRAFORM_DIR.parent / "docs" / "RUNBOOK.md"
ALARM_HEADING = re.compile(r"^## Alarm: `([^`]+)`$", re.M)
QUERY = re.compile(r"^### Query `([^`]+)`\n.*?^```\n(.*?)^```$", re.M | re.S)
PARTS = ("**Meaning.**", "**First checks.**", "**Mitigation.**", "**Rollback.**")


def _generic(name: str, workspace: str) -> str:
    """A Terraform name with its environment written as the runbook writes it: <env>."""
    return re.sub(rf"(?<![a-z0-9]){workspace}(?![a-z0-9])", "<env>", name)


def _alarms(stack: terraform_model.Stack) -> set[str]:
    return {
        _generic(alarm["alarm_name"], stack.workspace)
        for alarm in stack.raw["aws_cloudwatch_metric_alarm"]
    }


def _sections() -> dict[str, str]:
    text = RUNBOOK.read_text()
    headings = list(ALARM_HEADING.finditer(text))
    ends = [h.start() for h in headings[1:]] + [len(text)]
    return {h.group(1): text[h.end() : end] for h, end in zip(headings, ends, strict=True)}


def _queries(stack: terraform_model.Stack) -> dict[str, str]:
    return {
        _generic(query["name"], stack.workspace): query["query_string"]
        for query in stack.raw["aws_cloudwatch_query_definition"]
    }


def test_every_alarm_terraform_creates_has_a_runbook_section(stack):
    assert _alarms(stack) - set(_sections()) == set()


def test_every_runbook_section_is_an_alarm_terraform_creates(stack):
    assert set(_sections()) - _alarms(stack) == set()


def test_no_alarm_has_two_sections():
    names = ALARM_HEADING.findall(RUNBOOK.read_text())
    assert len(names) == len(set(names))


@pytest.mark.parametrize("part", PARTS)
def test_every_section_says_what_it_means_what_to_check_how_to_mitigate_and_roll_back(part):
    missing = [name for name, body in _sections().items() if part not in body]
    assert missing == []


def test_every_first_check_points_at_a_saved_query():
    names = {name.split("/")[-1] for name in _queries(terraform_model.load("dev"))}
    for alarm, body in _sections().items():
        checks = body.split("**First checks.**")[1].split("**Mitigation.**")[0]
        assert any(f"`{name}`" in checks for name in names), alarm


def test_the_runbook_quotes_every_query_terraform_ships_exactly(stack):
    quoted = dict(QUERY.findall(RUNBOOK.read_text()))
    assert {name: quoted.get(name) for name in _queries(stack)} == _queries(stack)


def test_every_query_the_runbook_quotes_is_one_terraform_ships(stack):
    quoted = dict(QUERY.findall(RUNBOOK.read_text()))
    assert set(quoted) - set(_queries(stack)) == set()


def test_the_queries_find_lines_by_correlation_id_and_by_request_id(stack):
    queries = _queries(stack)
    assert 'filter correlationId = "' in queries["qrstack-<env>/by-correlation-id"]
    assert 'filter requestId = "' in queries["qrstack-<env>/by-request-id"]


def test_the_queries_search_every_functions_log_group(stack):
    groups = {f.log_group for f in stack.functions.values()}
    for query in stack.raw["aws_cloudwatch_query_definition"]:
        assert set(query["log_group_names"]) == groups, query["name"]


def test_the_workspaces_tested_are_the_environments():
    assert set(WORKSPACES) == set(terraform_model.allowed_workspaces())
