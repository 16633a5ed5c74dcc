"""The priced facts come from the Terraform environment map, not from copies of its numbers."""

from __future__ import annotations

import terraform_model
from buildtools.cost import deployment


def test_prod_reads_memory_retention_and_alarms_from_terraform() -> None:
    stack = terraform_model.load("prod")
    deployed = deployment.load("prod")

    assert {s: f.memory_mb for s, f in deployed.functions.items()} == stack.settings["memory_mb"]
    assert deployed.log_retention_days == stack.settings["log_retention_days"]
    assert deployed.alarms == len(stack.raw["aws_cloudwatch_metric_alarm"])
    assert deployed.alarm_metrics > deployed.alarms  # error-rate alarms evaluate two metrics
    assert deployed.point_in_time_recovery == stack.settings["point_in_time_recovery"]
    assert {f.architecture for f in deployed.functions.values()} <= {"x86_64", "arm64"}


def test_uploads_expiry_and_kept_images_come_from_their_lifecycles() -> None:
    deployed = deployment.load("prod")

    assert deployed.uploads_expire_after_days == 1
    assert deployed.ecr_tagged_images_kept == 20
