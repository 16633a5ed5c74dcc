"""100 users at once, each from its own 127.0.x.y address, through the whole QR flow."""

from __future__ import annotations

import pytest

from local import load

pytestmark = pytest.mark.e2e

USERS = 100


@pytest.fixture(scope="module")
def crowd(stack) -> load.Report:
    """One run of the whole crowd; the tests read its report."""
    return load.run(USERS, stack.api, stack.ws)


def test_100_concurrent_users_complete_the_qr_flow_with_no_error(crowd):
    assert crowd.errors == [], "\n".join(crowd.lines())
    assert len(crowd.counts) == USERS


def test_every_visit_of_the_crowd_is_counted_exactly_once(crowd):
    assert crowd.counts_exact, sorted(crowd.counts)


def test_each_user_comes_from_its_own_address():
    addresses = {load.user_address(n) for n in range(USERS)}
    assert len(addresses) == USERS
    assert all(a.startswith("127.0.") for a in addresses)
