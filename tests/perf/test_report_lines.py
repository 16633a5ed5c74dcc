"""REPORT lines: parsed into durations, cold when they carry an Init Duration, then aggregated."""

from __future__ import annotations

import pytest

from buildtools.aws_performance import Report, parse_report, percentile, summarise

COLD = (
    "REPORT RequestId: 3f1c-01\tDuration: 12.50 ms\tBilled Duration: 13 ms\t"
    "Memory Size: 256 MB\tMax Memory Used: 80 MB\tInit Duration: 410.25 ms\t\n"
)
WARM = (
    "REPORT RequestId: 3f1c-02\tDuration: 4.00 ms\tBilled Duration: 4 ms\t"
    "Memory Size: 256 MB\tMax Memory Used: 81 MB\t\n"
)


def test_a_cold_report_line_carries_its_init_duration() -> None:
    assert parse_report(COLD) == Report("3f1c-01", 12.5, 410.25)
    assert parse_report(COLD).cold


def test_a_warm_report_line_has_no_init_duration() -> None:
    assert parse_report(WARM) == Report("3f1c-02", 4.0, None)
    assert not parse_report(WARM).cold


@pytest.mark.parametrize(
    "line",
    ["START RequestId: 3f1c-01 Version: $LATEST", "END RequestId: 3f1c-01", '{"level":"INFO"}'],
)
def test_other_lines_are_not_reports(line: str) -> None:
    assert parse_report(line) is None


def test_cold_and_warm_are_aggregated_apart() -> None:
    reports = [Report(f"c{i}", 10.0, 100.0 * i) for i in (1, 2, 3)]
    reports += [Report(f"w{i}", float(i), None) for i in range(1, 101)]

    summary = summarise(reports)

    assert (summary["cold"], summary["warm"]) == (3, 100)
    assert summary["init_p50"] == 200.0
    assert summary["cold_p50"] == 210.0  # init + duration
    assert summary["warm_p50"] == pytest.approx(50.5)
    assert summary["warm_p95"] == pytest.approx(95.05)


def test_no_cold_start_leaves_the_cold_columns_empty() -> None:
    summary = summarise([Report("w1", 3.0, None)])

    assert summary["cold"] == 0
    assert summary["cold_p50"] is None and summary["init_p95"] is None
    assert percentile([], 50) is None
