"""The AWS Budgets calls moto 5.2.5 lacks and the provider makes, for the live suite's server.

The provider reads a budget's notifications' subscribers (DescribeSubscribersForNotification)
and its tags (ListTagsForResource, TagResource, UntagResource); moto answers those with a 500,
which the provider retries until its timeout. These serve them from moto's own budgets backend,
so the budget's SNS subscriptions stay checkable in the live suite.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

_TAGS: dict[str, dict[str, str]] = defaultdict(dict)  # budget ARN -> tags


def _budget_of(response: Any) -> Any:
    account, name = response._get_param("AccountId"), response._get_param("BudgetName")
    return response.backend.budgets[account][name]


def _subscribers(self: Any) -> str:
    wanted = self._get_param("Notification")
    for notification in _budget_of(self).notifications:
        if notification.details == wanted:
            return json.dumps({"Subscribers": notification.subscribers, "NextToken": None})
    return json.dumps({"Subscribers": [], "NextToken": None})


def _list_tags(self: Any) -> str:
    tags = _TAGS[self._get_param("ResourceARN")]
    return json.dumps({"ResourceTags": [{"Key": k, "Value": v} for k, v in tags.items()]})


def _tag(self: Any) -> str:
    tags = _TAGS[self._get_param("ResourceARN")]
    tags.update({t["Key"]: t["Value"] for t in self._get_param("ResourceTags", [])})
    return json.dumps({})


def _untag(self: Any) -> str:
    tags = _TAGS[self._get_param("ResourceARN")]
    for key in self._get_param("ResourceTagKeys", []):
        tags.pop(key, None)
    return json.dumps({})


def install() -> None:
    """Add the four calls to moto's BudgetsResponse, and keep the tags CreateBudget is given."""
    from moto.budgets.responses import BudgetsResponse

    create = BudgetsResponse.create_budget

    def create_budget(self: Any) -> str:
        result = create(self)
        account, budget = self._get_param("AccountId"), self._get_param("Budget")
        arn = f"arn:aws:budgets::{account}:budget/{budget['BudgetName']}"
        _TAGS[arn] = {t["Key"]: t["Value"] for t in self._get_param("ResourceTags", []) or []}
        return result

    BudgetsResponse.create_budget = create_budget
    BudgetsResponse.describe_subscribers_for_notification = _subscribers
    BudgetsResponse.list_tags_for_resource = _list_tags
    BudgetsResponse.tag_resource = _tag
    BudgetsResponse.untag_resource = _untag
