"""The always-free tier: shown apart, and taking off at most its allowance."""

from __future__ import annotations

from dataclasses import replace

import pytest

from buildtools.cost.estimate import estimate


def free(result, item: str):
    return next(line for line in result.free_tier if line.item == item)


def test_usage_within_an_allowance_is_free(deployment, profile, prices) -> None:
    result = estimate(deployment, replace(profile, sessions=0, visits=0, health_checks=0), prices)

    requests = free(result, "Lambda requests")
    assert requests.used == 10
    assert requests.saving == pytest.approx(result.cost_of("Lambda requests"))


def test_usage_beyond_an_allowance_pays_for_the_excess(deployment, profile, prices) -> None:
    result = estimate(deployment, profile, prices)

    requests = free(result, "Lambda requests")
    assert requests.used == 2e6 + 4e6 + 2e6 + 10
    # 1M of the 8,000,010 requests at $1 per million.
    assert requests.saving == pytest.approx(1.0)


def test_the_free_tier_does_not_change_the_line_items(deployment, profile, prices) -> None:
    result = estimate(deployment, profile, prices)

    assert result.total == pytest.approx(sum(line.cost for line in result.lines))
    assert 0 < result.free_tier_saving < result.total


def test_dashboards_and_alarms_within_the_allowance_cost_nothing(
    deployment, profile, prices
) -> None:
    result = estimate(deployment, profile, prices)

    assert free(result, "CloudWatch dashboards").saving == pytest.approx(6.0)
    assert free(result, "CloudWatch alarm metrics").saving == pytest.approx(1.0)
