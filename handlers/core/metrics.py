"""CloudWatch Embedded Metric Format: metrics as log lines, so no PutMetricData calls."""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any, TextIO

# Terraform owns the namespace and passes it as METRICS_NAMESPACE; this default equals it, so a
# function run without Terraform's environment still writes where the dashboards look.
DEFAULT_NAMESPACE = "QrStack"
_defaults: dict[str, Any] = {"namespace": None, "dimensions": {}}


def configure(namespace: str | None = None, dimensions: dict[str, str] | None = None) -> None:
    """Set the namespace and the dimensions every metric carries (the function name)."""
    if namespace:
        _defaults["namespace"] = namespace
    if dimensions is not None:
        _defaults["dimensions"] = dict(dimensions)


def emit(
    metrics: dict[str, tuple[float, str] | float],
    dimensions: dict[str, str] | None = None,
    properties: dict[str, Any] | None = None,
    namespace: str | None = None,
    stream: TextIO | None = None,
) -> dict[str, Any]:
    """Write one EMF line; `metrics` maps a name to a value or (value, unit). Returns the record."""
    dims = {**_defaults["dimensions"], **(dimensions or {})}
    ns = (
        namespace
        or _defaults["namespace"]
        or os.environ.get("METRICS_NAMESPACE", DEFAULT_NAMESPACE)
    )
    definitions = []
    record: dict[str, Any] = dict(properties or {})
    for name, spec in metrics.items():
        value, unit = spec if isinstance(spec, tuple) else (spec, "Count")
        definitions.append({"Name": name, "Unit": unit})
        record[name] = value
    record.update(dims)
    record["_aws"] = {
        "Timestamp": int(time.time() * 1000),
        "CloudWatchMetrics": [
            {"Namespace": ns, "Dimensions": [sorted(dims)], "Metrics": definitions}
        ],
    }
    (stream or sys.stdout).write(json.dumps(record, default=str, separators=(",", ":")) + "\n")
    return record
