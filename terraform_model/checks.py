"""What `terraform plan` would refuse: failing workspace-guard preconditions, invalid variables."""

from __future__ import annotations

from terraform_model.evaluation import blocks
from terraform_model.resources import Resources


def guard_errors(resources: Resources) -> tuple[str, ...]:
    """The error messages of terraform_data.workspace_guard's failing preconditions."""
    errors = []
    for block in resources.of_type("terraform_data"):
        if block["__tfmeta"].get("path") != "terraform_data.workspace_guard":
            continue
        for lifecycle in blocks(block.get("lifecycle")):
            for condition in blocks(lifecycle.get("precondition")):
                if condition.get("condition") is not True:
                    errors.append(condition.get("error_message", "precondition failed"))
    return tuple(errors)


def variable_errors(resources: Resources) -> tuple[str, ...]:
    """The error messages of the root variables' failing validations."""
    errors = []
    for variable in resources.of_type("variable"):
        if variable["__tfmeta"]["filename"].startswith("modules/"):
            continue
        for validation in blocks(variable.get("validation")):
            if validation.get("condition") is False:
                errors.append(validation.get("error_message", "invalid value"))
    return tuple(errors)
