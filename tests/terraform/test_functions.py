"""Every service is a function with the code, settings, role, logs and alarms it needs."""

from __future__ import annotations

import json

import pytest

import terraform_model
from tests.terraform.conftest import services

ROOT = terraform_model.TERRAFORM_DIR.parent
SIZES = {  # service: (timeout s, memory MB or None when per environment)
    "sessions": (30, 256),
    "realtime": (60, 256),
    "counter": (30, 128),
    "scanner": (300, None),
}


def test_terraform_deploys_exactly_the_services_in_handlers(stack):
    assert set(stack.functions) == set(services())


@pytest.mark.parametrize("service", sorted(services()))
def test_function_name_and_package_come_from_the_service_settings(stack, service):
    settings = services()[service]
    function = stack.functions[service]

    assert function.name == f"{settings.FUNCTION_NAME}-{stack.workspace}"
    assert function.package_type == settings.PACKAGE_TYPE
    assert function.handler == f"handlers.{service}.app.lambda_handler"


@pytest.mark.parametrize("service", sorted(services()))
def test_every_function_gets_the_one_metrics_namespace_the_code_defaults_to(stack, service):
    from handlers.core import metrics

    environment = stack.functions[service].environment
    assert environment["METRICS_NAMESPACE"] == metrics.DEFAULT_NAMESPACE
    setting = {s.name: s for s in services()[service].SETTINGS.settings}["METRICS_NAMESPACE"]
    assert setting.default == metrics.DEFAULT_NAMESPACE


@pytest.mark.parametrize("service", sorted(services()))
def test_environment_variables_are_exactly_the_deployed_settings(stack, service):
    declared = services()[service].SETTINGS.deployed_names

    assert set(stack.functions[service].environment) == set(declared)


@pytest.mark.parametrize("service", sorted(services()))
def test_environment_values_parse_with_the_service_settings(stack, service):
    services()[service].SETTINGS.load(stack.functions[service].environment)


def test_the_artifacts_path_is_relative_so_the_state_does_not_depend_on_the_checkout(stack):
    filenames = {b.get("filename") for b in stack.raw["aws_lambda_function"]} - {None}

    assert filenames == {
        f"./../dist/{name}.zip"
        for name in ("qr-upload-http-api", "qr-upload-websocket-event", "visitor-counter")
    }


def test_zip_functions_run_python312_from_the_dist_artifact(stack):
    for function in stack.functions.values():
        if function.package_type == "Zip":
            assert function.runtime == "python3.12"
            base = function.name.removesuffix(f"-{stack.workspace}")
            assert function.artifact == str(ROOT / "dist" / f"{base}.zip")


def test_without_build_artifacts_the_zip_functions_refuse_to_plan(tmp_path):
    stack = terraform_model.load("dev", variables={"artifacts_dir": str(tmp_path)})

    for function in stack.functions.values():
        if function.package_type == "Zip":
            assert function.source_code_hash is None
    preconditions = [
        condition
        for block in stack.raw["aws_lambda_function"]
        if block.get("package_type") == "Zip"
        for condition in [block["lifecycle"]["precondition"]]
    ]
    assert preconditions
    assert all(c["condition"] is False for c in preconditions)
    assert all("python build.py" in c["error_message"] for c in preconditions)


def test_zip_functions_redeploy_when_the_manifest_hash_changes(tmp_path):
    manifest = {"functions": {"visitor-counter": {"base64_sha256": "bmV3LWhhc2g="}}}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))

    stack = terraform_model.load("dev", variables={"artifacts_dir": str(tmp_path)})

    assert stack.functions["counter"].source_code_hash == "bmV3LWhhc2g="
    assert stack.functions["counter"].artifact == str(tmp_path / "visitor-counter.zip")


@pytest.mark.parametrize("service", sorted(SIZES))
def test_timeouts_and_memory_follow_the_issue_table(stack, service):
    timeout, memory = SIZES[service]
    function = stack.functions[service]

    assert function.timeout_s == timeout
    assert function.memory_mb == (memory or stack.settings["memory_mb"][service])


def test_every_function_has_its_own_role(stack):
    roles = [f.role for f in stack.functions.values()]

    assert None not in roles
    assert len(set(roles)) == len(roles)


def test_every_function_has_a_log_group_with_retention(stack):
    for function in stack.functions.values():
        assert function.log_group == f"/aws/lambda/{function.name}"
        assert function.log_retention_days == stack.settings["log_retention_days"]


def test_every_function_alarms_on_error_rate_p95_duration_and_throttles(stack):
    for service, function in stack.functions.items():
        alarms = {alarm.name.removeprefix(f"{function.name}-"): alarm for alarm in function.alarms}

        assert set(alarms) == {"error-rate", "duration-p95", "throttles"}, service
        assert "errors / invocations" in alarms["error-rate"].metric
        assert alarms["error-rate"].threshold == 5
        assert alarms["duration-p95"].statistic == "p95"
        expected_ms = 120_000 if service == "scanner" else 10_000
        assert alarms["duration-p95"].threshold == expected_ms
        assert (alarms["throttles"].metric, alarms["throttles"].threshold) == ("Throttles", 0)


def test_every_alarm_notifies_the_one_alarm_topic(stack):
    topics = {
        action
        for function in stack.functions.values()
        for alarm in function.alarms
        for action in alarm.actions
    }

    assert topics == {
        f"arn:aws:sns:{stack.region}:{stack.account_id}:qrstack-{stack.workspace}-alarms"
    }


def test_the_scanner_is_an_image_published_behind_the_alias_live(stack):
    scanner = stack.functions["scanner"]

    assert scanner.package_type == "Image"
    assert scanner.publish
    assert scanner.alias == "live"


def _parameter(stack, leaf: str) -> dict:
    """The SSM parameter resource /qrstack/<workspace>/scanner/<leaf>."""
    name = f"/qrstack/{stack.workspace}/scanner/{leaf}"
    (parameter,) = [
        p
        for p in stack.raw["aws_ssm_parameter"]
        if p.get("name") == name and p["__tfmeta"]["type"] == "resource"
    ]
    return parameter


def test_terraform_creates_the_image_tag_parameter_holding_no_tag_and_never_owns_its_value(stack):
    resource = _parameter(stack, "image/tag")

    assert resource["value"] == "(none)"
    assert resource["lifecycle"]["ignore_changes"], "the tag written by deploys must win"


def test_no_tag_build_py_accepts_can_be_mistaken_for_no_image_yet():
    from buildtools import naming
    from buildtools.errors import BuildError

    with pytest.raises(BuildError):
        naming.validate_tag("(none)")


def test_the_image_tag_is_read_back_live_at_plan_time_even_before_the_parameter_exists(stack):
    (lookup,) = [
        b
        for b in stack.raw["aws_ssm_parameters_by_path"]
        if b["__tfmeta"]["path"].endswith(".scanner_image")
    ]

    # By path: an absent parameter reads as empty instead of failing the plan.
    assert lookup["path"] == f"/qrstack/{stack.workspace}/scanner/image"
    assert "depends_on" not in lookup, "a dependency would defer the read to apply"


def test_the_scanner_runs_the_tagged_image_by_digest_as_rollback_sets_it(stack):
    scanner_tf = (ROOT / "terraform" / "scanner.tf").read_text()
    (lookup,) = stack.raw["aws_ecr_image"]

    assert "scanner_image_digest = one(data.aws_ecr_image.scanner[*].image_digest)" in scanner_tf
    assert '"${module.ecr.repository_url}@${local.scanner_image_digest}"' in scanner_tf
    # Named, not referenced from module.ecr: so the lookup happens at plan time.
    assert lookup["repository_name"] == f"pixel-detector-{stack.workspace}"
    assert lookup["image_tag"]["__attribute__"] == "local.scanner_image_tag"


def test_a_plan_without_a_recorded_image_stops_at_the_guard_naming_make_deploy(stack):
    (guard,) = [
        b for b in stack.raw["terraform_data"] if b["__tfmeta"]["path"].endswith("image_guard")
    ]
    message = guard["lifecycle"]["precondition"]["error_message"]

    assert f"No scanner image is recorded for {stack.workspace}" in message
    assert f"make deploy ENV={stack.workspace} TAG=v1.0.0" in message


def test_the_api_key_is_a_secure_string_whose_value_terraform_never_owns(stack):
    name = f"/qrstack/{stack.workspace}/scanner/api-key"
    parameter = _parameter(stack, "api-key")

    assert parameter["type"] == "SecureString"
    assert parameter["lifecycle"]["ignore_changes"]
    assert stack.functions["scanner"].environment["SCANNER_API_KEY_PARAM"] == name


def test_names_agree_with_build_py(stack):
    from buildtools import naming

    scanner = stack.functions["scanner"]

    assert scanner.name == naming.function_name(stack.workspace)
    assert naming.image_tag_parameter(stack.workspace) in stack.ssm_parameters
    repositories = [r["name"] for r in stack.raw["aws_ecr_repository"]]
    assert repositories == [naming.repository_name(stack.workspace)]


def test_the_scanner_image_command_is_the_handler_terraform_sets(stack):
    dockerfile = (ROOT / "handlers" / "scanner" / "Dockerfile").read_text()

    assert f'CMD ["{stack.functions["scanner"].handler}"]' in dockerfile
