"""Workspaces: one settings map, names per environment, an unknown workspace stops the plan."""

from __future__ import annotations

import pytest

import terraform_model
from tests.terraform.conftest import WORKSPACES

SETTING_KEYS = {
    "batch_scans",
    "log_level",
    "log_retention_days",
    "memory_mb",
    "timeout_seconds",
    "reserved_concurrency",
    "duration_p95_threshold_ms",
    "error_rate_threshold_percent",
    "http_5xx_threshold",
    "dynamodb_throttle_threshold",
    "http_throttling",
    "websocket_throttling",
    "ip_limit",
    "global_limit",
    "scan_timeout_seconds",
    "point_in_time_recovery",
    "deletion_protection",
    "force_destroy",
    "monthly_budget_usd",
}


def test_the_allowed_workspaces_are_exactly_dev_staging_prod():
    assert set(terraform_model.allowed_workspaces()) == set(WORKSPACES)


@pytest.mark.parametrize("workspace", ["default", "test", "production"])
def test_an_unknown_workspace_fails_the_plan_naming_the_allowed_ones(workspace):
    errors = terraform_model.load(workspace).guard_errors

    assert len(errors) == 1
    assert f'Workspace "{workspace}" is not an environment' in errors[0]
    assert "Allowed workspaces: dev, prod, staging" in errors[0]


def test_environment_workspaces_pass_the_guard(stack):
    assert stack.guard_errors == ()


def test_every_table_bucket_and_function_evaluates_offline(stack):
    assert stack.unresolved == ()


def test_every_environment_sets_every_setting(stacks):
    for workspace, stack in stacks.items():
        assert set(stack.settings) == SETTING_KEYS, workspace


def test_the_scanner_gets_at_least_2048_mb_everywhere(stack):
    assert stack.settings["memory_mb"]["scanner"] >= 2048
    assert stack.functions["scanner"].memory_mb == stack.settings["memory_mb"]["scanner"]


def test_every_name_carries_the_environment(stack):
    names = [
        *stack.tables,
        *stack.buckets,
        *(f.name for f in stack.functions.values()),
        *stack.ssm_parameters,
    ]
    assert all(stack.workspace in name for name in names), names


def test_no_two_workspaces_share_a_name(stacks):
    def names(stack):
        return {
            *stack.tables,
            *stack.buckets,
            *(f.name for f in stack.functions.values()),
            *(f.role for f in stack.functions.values()),
            *(f.log_group for f in stack.functions.values()),
            *stack.ssm_parameters,
        }

    dev, staging, prod = (names(stacks[w]) for w in WORKSPACES)
    assert not dev & staging
    assert not dev & prod
    assert not staging & prod


def test_name_prefix_lets_two_copies_share_an_account():
    plain = terraform_model.load("dev")
    prefixed = terraform_model.load("dev", variables={"name_prefix": "alice-"})

    assert all(name.startswith("alice-") for name in prefixed.tables)
    assert all(f.name.startswith("alice-") for f in prefixed.functions.values())
    assert all(name.startswith("/alice-") for name in prefixed.ssm_parameters)
    assert not set(plain.tables) & set(prefixed.tables)
    assert not set(plain.buckets) & set(prefixed.buckets)


def test_prod_protects_its_tables():
    prod = terraform_model.load("prod")

    for table in prod.tables.values():
        assert table.point_in_time_recovery, table.name
        assert table.deletion_protection, table.name


def test_dev_tables_can_be_torn_down():
    dev = terraform_model.load("dev")

    assert not any(t.deletion_protection for t in dev.tables.values())


def test_provider_default_tags_allocate_costs():
    raw = terraform_model.load("staging").raw
    (provider,) = raw["provider"]
    tags = provider["default_tags"]["tags"]

    assert tags == {
        "Project": "qrstack",
        "Environment": "staging",
        "Service": "qrstack",
        "ManagedBy": "terraform",
    }


def test_the_s3_backend_is_configured_per_workspace_from_a_file():
    raw = terraform_model.load("dev").raw
    backend_blocks = [b.get("backend") for b in raw["terraform"] if b.get("backend")]
    example = (terraform_model.TERRAFORM_DIR / "backend.hcl.example").read_text()

    assert backend_blocks, 'terraform { backend "s3" {} } is missing'
    assert "use_lockfile" in example
    assert "workspace_key_prefix" in example
