"""Destroy, last: nothing of any environment is left in moto (staging and prod, planned only,
were destroyed after their plans)."""

from __future__ import annotations

import pytest

from tests.terraform.live import inventory

pytestmark = pytest.mark.terraform_live


def test_make_destroy_leaves_nothing_behind(deployed, checkout):
    checkout.make("destroy", "ENV=dev", "AUTO_APPROVE=1")

    assert inventory.resources(checkout) == {}
