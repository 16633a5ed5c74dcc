"""Calls moto 5.2.5 lacks that the provider makes, served for the live suite's server.

- AWS Budgets: the provider reads a budget's notifications' subscribers
  (DescribeSubscribersForNotification) and its tags (ListTagsForResource, TagResource,
  UntagResource); served from moto's own budgets backend.
- CloudWatch Logs Insights saved queries (PutQueryDefinition, DescribeQueryDefinitions,
  DeleteQueryDefinition), kept per account and region.

moto answers an unknown call with a 500, which the provider retries until its timeout; with
these the budget's SNS subscriptions and the saved queries stay checkable in the live suite.
"""

from __future__ import annotations

import json
import time
import uuid
from collections import defaultdict
from typing import Any

_TAGS: dict[str, dict[str, str]] = defaultdict(dict)  # budget ARN -> tags
# (account, region) -> query definition id -> definition as DescribeQueryDefinitions gives it
_QUERIES: dict[tuple[str, str], dict[str, dict[str, Any]]] = defaultdict(dict)


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


def _queries(self: Any) -> dict[str, dict[str, Any]]:
    return _QUERIES[(self.current_account, self.region)]


def _put_query(self: Any) -> str:
    definition_id = self._get_param("queryDefinitionId") or str(uuid.uuid4())
    _queries(self)[definition_id] = {
        "queryDefinitionId": definition_id,
        "name": self._get_param("name"),
        "queryString": self._get_param("queryString"),
        "logGroupNames": self._get_param("logGroupNames", []),
        "lastModified": int(time.time() * 1000),
    }
    return json.dumps({"queryDefinitionId": definition_id})


def _describe_queries(self: Any) -> str:
    prefix = self._get_param("queryDefinitionNamePrefix") or ""
    found = [q for q in _queries(self).values() if q["name"].startswith(prefix)]
    return json.dumps({"queryDefinitions": sorted(found, key=lambda q: q["name"])})


def _delete_query(self: Any) -> str:
    found = _queries(self).pop(self._get_param("queryDefinitionId"), None)
    return json.dumps({"success": found is not None})


def install() -> None:
    """Add the calls to moto's responses, and keep the tags CreateBudget is given."""
    from moto.budgets.responses import BudgetsResponse
    from moto.logs.responses import LogsResponse

    LogsResponse.put_query_definition = _put_query
    LogsResponse.describe_query_definitions = _describe_queries
    LogsResponse.delete_query_definition = _delete_query

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
