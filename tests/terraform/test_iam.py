"""Least privilege: no wildcard actions, resources scoped to this stack's ARNs."""

from __future__ import annotations

import pytest

# The only actions AWS offers no resource-level permission for (so "*" is their narrowest).
UNSCOPABLE = {"xray:PutTraceSegments", "xray:PutTelemetryRecords"}
BATCH_TABLE_ACTIONS = {"GetItem", "PutItem", "UpdateItem", "Query", "BatchWriteItem"}


def _allows(function):
    for statement in function.policy_statements:
        assert statement["Effect"] == "Allow"
        actions = statement["Action"]
        resources = statement["Resource"]
        yield (
            [actions] if isinstance(actions, str) else actions,
            [resources] if isinstance(resources, str) else resources,
        )


def _actions_on(function, resource_fragment):
    return {
        action
        for actions, resources in _allows(function)
        for action in actions
        if any(resource_fragment in r for r in resources)
    }


def test_no_statement_allows_a_wildcard_action(stack):
    for function in stack.functions.values():
        for actions, _ in _allows(function):
            for action in actions:
                assert "*" not in action, (function.name, action)


def test_a_wildcard_resource_only_for_actions_without_resource_level_permissions(stack):
    for function in stack.functions.values():
        for actions, resources in _allows(function):
            if "*" in resources:
                assert set(actions) <= UNSCOPABLE, (function.name, actions)


def test_every_resource_is_an_arn_of_this_stack(stack):
    for function in stack.functions.values():
        for _, resources in _allows(function):
            for resource in resources:
                if resource != "*":
                    assert resource.startswith("arn:aws:"), resource
                    assert f"-{stack.workspace}" in resource or f"/{stack.workspace}/" in resource


def test_logs_go_only_to_the_functions_own_log_group(stack):
    for function in stack.functions.values():
        assert _actions_on(function, ":log-group:") == {"logs:CreateLogStream", "logs:PutLogEvents"}
        groups = {r for _, resources in _allows(function) for r in resources if ":log-group:" in r}
        assert groups == {
            f"arn:aws:logs:{stack.region}:{stack.account_id}:log-group:{function.log_group}:*"
        }


@pytest.mark.parametrize(
    ("service", "table_variable", "actions"),
    [
        ("sessions", "SESSIONS_TABLE_NAME", {"GetItem", "PutItem", "UpdateItem"}),
        ("sessions", "RATE_LIMIT_TABLE_NAME", {"GetItem", "UpdateItem"}),
        ("realtime", "SESSIONS_TABLE_NAME", {"GetItem", "UpdateItem", "Query"}),
        ("counter", "COUNTERS_TABLE_NAME", {"GetItem", "UpdateItem"}),
        ("scanner", "SCAN_CACHE_TABLE_NAME", {"GetItem", "PutItem"}),
        ("scanner", "RATE_LIMIT_TABLE_NAME", {"GetItem", "UpdateItem"}),
        ("scanner", "SCAN_BATCHES_TABLE_NAME", BATCH_TABLE_ACTIONS),
        ("scanner", "SCAN_BATCH_ITEMS_TABLE_NAME", BATCH_TABLE_ACTIONS),
    ],
)
def test_each_function_gets_its_table_actions_and_no_more(stack, service, table_variable, actions):
    function = stack.functions[service]
    table = function.environment[table_variable]

    granted = _actions_on(function, f":table/{table}")
    assert granted == {f"dynamodb:{a}" for a in actions}


def test_realtime_queries_only_the_connection_index(stack):
    function = stack.functions["realtime"]
    table = function.environment["SESSIONS_TABLE_NAME"]

    queried = {
        r
        for actions, resources in _allows(function)
        if "dynamodb:Query" in actions
        for r in resources
    }
    assert queried == {
        f"arn:aws:dynamodb:{stack.region}:{stack.account_id}:table/{table}/index/wsConnectionId-index"
    }


def test_functions_touch_only_the_tables_they_are_configured_with(stack):
    for function in stack.functions.values():
        configured = {v for k, v in function.environment.items() if k.endswith("_TABLE_NAME")}
        touched = {
            r.split(":table/")[1].split("/")[0]
            for _, resources in _allows(function)
            for r in resources
            if ":table/" in r
        }
        assert touched == configured, function.name


def test_s3_access_is_limited_to_the_upload_prefix(stack):
    bucket = stack.functions["sessions"].environment["UPLOAD_BUCKET_NAME"]
    prefix = f"arn:aws:s3:::{bucket}/session-uploads/*"

    assert _actions_on(stack.functions["sessions"], ":s3:::") == {"s3:PutObject", "s3:GetObject"}
    s3 = {r for _, rs in _allows(stack.functions["sessions"]) for r in rs if ":s3:::" in r}
    assert s3 == {prefix}


def test_only_the_sessions_function_touches_the_upload_bucket(stack):
    # The realtime function learns of uploads from the S3 event and never reads the object.
    bucket = stack.functions["sessions"].environment["UPLOAD_BUCKET_NAME"]
    for service in ("realtime", "counter", "scanner"):
        assert _actions_on(stack.functions[service], f":s3:::{bucket}") == set(), service


def test_realtime_manages_only_this_apis_connections(stack):
    function = stack.functions["realtime"]
    (resources,) = [
        rs for actions, rs in _allows(function) if "execute-api:ManageConnections" in actions
    ]

    assert len(resources) == 1
    assert resources[0].startswith(f"arn:aws:execute-api:{stack.region}:{stack.account_id}:")
    assert resources[0].endswith(f"/{stack.websocket_stage}/*/@connections/*")
    for other in ("sessions", "counter", "scanner"):
        assert not _actions_on(stack.functions[other], ":execute-api:")


def test_only_the_scanner_reads_the_api_key_parameter(stack):
    name = stack.functions["scanner"].environment["SCANNER_API_KEY_PARAM"]
    arn = f"arn:aws:ssm:{stack.region}:{stack.account_id}:parameter{name}"

    assert _actions_on(stack.functions["scanner"], arn) == {"ssm:GetParameter"}
    for other in ("sessions", "realtime", "counter"):
        assert not _actions_on(stack.functions[other], ":ssm:")
