"""Metrics are CloudWatch Embedded Metric Format lines on stdout."""

from __future__ import annotations

import io
import json

from handlers.core import metrics


def test_emf_line_declares_namespace_dimensions_and_units():
    out = io.StringIO()
    metrics.emit(
        {"SessionCreated": (1, "Count"), "SessionDuration": (42, "Seconds")},
        dimensions={"Function": "f"},
        namespace="Ns",
        stream=out,
    )
    record = json.loads(out.getvalue())
    directive = record["_aws"]["CloudWatchMetrics"][0]
    assert directive["Namespace"] == "Ns"
    assert directive["Dimensions"] == [["Function"]]
    assert {"Name": "SessionDuration", "Unit": "Seconds"} in directive["Metrics"]
    assert record["SessionCreated"] == 1
    assert record["Function"] == "f"
    assert isinstance(record["_aws"]["Timestamp"], int)


def test_namespace_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("METRICS_NAMESPACE", "FromEnv")
    monkeypatch.setitem(metrics._defaults, "namespace", None)
    out = io.StringIO()
    metrics.emit({"X": 1}, stream=out)
    assert json.loads(out.getvalue())["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "FromEnv"


def test_plain_number_defaults_to_count():
    out = io.StringIO()
    metrics.emit({"X": 3}, namespace="N", stream=out)
    directive = json.loads(out.getvalue())["_aws"]["CloudWatchMetrics"][0]
    assert directive["Metrics"] == [{"Name": "X", "Unit": "Count"}]


def test_without_any_namespace_the_default_is_used(monkeypatch):
    monkeypatch.delenv("METRICS_NAMESPACE", raising=False)
    monkeypatch.setitem(metrics._defaults, "namespace", None)
    out = io.StringIO()
    metrics.emit({"X": 1}, stream=out)
    namespace = json.loads(out.getvalue())["_aws"]["CloudWatchMetrics"][0]["Namespace"]
    assert namespace == metrics.DEFAULT_NAMESPACE
