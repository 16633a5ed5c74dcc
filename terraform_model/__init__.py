"""The Terraform root stack (terraform/), evaluated offline for one workspace, as plain data.

Tests check the Terraform against the handlers with it, and `make up` builds the same stack on
moto from it, so neither can drift from what `terraform apply` creates.
"""

from terraform_model.evaluation import (
    DEFAULT_ACCOUNT_ID,
    TERRAFORM_DIR,
    TerraformModelError,
    allowed_workspaces,
    evaluate,
)
from terraform_model.model import (
    Alarm,
    Bucket,
    Cors,
    EventSourceMapping,
    Function,
    Index,
    Notification,
    Queue,
    Stack,
    Table,
)
from terraform_model.stack import WorkspaceRefused, load, load_plannable

__all__ = [
    "DEFAULT_ACCOUNT_ID",
    "TERRAFORM_DIR",
    "Alarm",
    "Bucket",
    "Cors",
    "EventSourceMapping",
    "Function",
    "Index",
    "Notification",
    "Queue",
    "Stack",
    "Table",
    "TerraformModelError",
    "WorkspaceRefused",
    "allowed_workspaces",
    "evaluate",
    "load",
    "load_plannable",
]
