"""What apply created: the QR hand-off runs through the handlers on it, its buckets are TLS-only,
and the offline model `make up` provisions from equals it field by field."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

import terraform_model
from handlers.core import aws as aws_clients
from handlers.realtime.app import app as realtime_app
from handlers.sessions.app import app as sessions_app
from tests.support.events import LambdaContext, body_of, http_v2, websocket
from tests.support.uploads import post_form
from tests.terraform.handoff import deliver_upload_event, session_of
from tests.terraform.live.deployment import ACCOUNT_ID, REGION

pytestmark = pytest.mark.terraform_live

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def _environment(checkout, function_name: str) -> dict[str, str]:
    config = checkout.client("lambda").get_function_configuration(FunctionName=function_name)
    return config["Environment"]["Variables"]


@pytest.fixture
def handlers_on_the_stack(deployed, checkout, monkeypatch):
    """The sessions and realtime handlers in this process, with the environment moto's Lambda
    holds for them and AWS = the moto server."""
    names = deployed.outputs["names"]["functions"]
    for service in ("sessions", "realtime"):
        for name, value in _environment(checkout, names[service]).items():
            monkeypatch.setenv(name, value)
    for name in ("AWS_ENDPOINT_URL", "AWS_CA_BUNDLE", "SSL_CERT_FILE", "AWS_REGION"):
        monkeypatch.setenv(name, checkout.env[name])
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    aws_clients.reset()
    for app in (sessions_app, realtime_app):
        app.reset()
    yield deployed.outputs
    for app in (sessions_app, realtime_app):
        app.reset()
    aws_clients.reset()


def test_a_phone_upload_completes_the_desktop_session_on_the_applied_stack(
    handlers_on_the_stack, checkout
):
    outputs, context = handlers_on_the_stack, LambdaContext()
    session_id = body_of(sessions_app.lambda_handler(http_v2("POST", "/sessions"), context))[
        "sessionId"
    ]
    connect = websocket("$connect", connection_id="desk-1", query={"sessionId": session_id})
    assert realtime_app.lambda_handler(connect, context)["statusCode"] == 200

    query = {"sessionId": session_id, "contentType": "image/jpeg"}
    upload = body_of(
        sessions_app.lambda_handler(http_v2("GET", "/upload-url", query=query), context)
    )
    status, _ = post_form(upload["uploadUrl"], upload["fields"], JPEG, "image/jpeg")
    assert status == 204

    bucket = outputs["names"]["uploads_bucket"]
    (subscription,) = checkout.client("s3").get_bucket_notification_configuration(Bucket=bucket)[
        "LambdaFunctionConfigurations"
    ]
    assert subscription["LambdaFunctionArn"].endswith(
        f":function:{outputs['names']['functions']['realtime']}:live"
    )
    (rule,) = subscription["Filter"]["Key"]["FilterRules"]
    assert upload["uploadKey"].startswith(rule["Value"])
    endpoint = _environment(checkout, outputs["names"]["functions"]["realtime"])["WS_API_ENDPOINT"]
    deliver_upload_event(endpoint, upload["uploadKey"], bucket, context)

    session = session_of(session_id, context)
    assert (session["status"], session["uploadKey"]) == ("COMPLETED", upload["uploadKey"])


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_the_upload_bucket_serves_tls_and_refuses_plain_http(deployed, checkout, aws):
    bucket = deployed.outputs["names"]["uploads_bucket"]
    checkout.client("s3").put_object(Bucket=bucket, Key="session-uploads/probe", Body=b"x")
    key = f"{bucket}/session-uploads/probe"

    assert _get(f"{aws.plain_endpoint}/{key}") == 403
    secure = checkout.client("s3").get_object(Bucket=bucket, Key="session-uploads/probe")
    assert secure["Body"].read() == b"x"


@pytest.fixture(scope="module")
def model(checkout, deployed):
    """The offline model of the applied workspace, as `make up` evaluates it."""
    return terraform_model.load(
        "dev", checkout.root / "terraform", account_id=ACCOUNT_ID, variables={"region": REGION}
    )


def test_the_tables_are_keyed_indexed_and_expire_as_the_model_says(model, checkout):
    dynamodb = checkout.client("dynamodb")
    for table in model.tables.values():
        described = dynamodb.describe_table(TableName=table.name)["Table"]
        ttl = dynamodb.describe_time_to_live(TableName=table.name)["TimeToLiveDescription"]

        keys = [{"AttributeName": table.hash_key, "KeyType": "HASH"}]
        if table.range_key:
            keys.append({"AttributeName": table.range_key, "KeyType": "RANGE"})
        assert described["KeySchema"] == keys
        assert {
            a["AttributeName"]: a["AttributeType"] for a in described["AttributeDefinitions"]
        } == table.attributes
        indexes = {
            (i["IndexName"], i["KeySchema"][0]["AttributeName"], i["Projection"]["ProjectionType"])
            for i in described.get("GlobalSecondaryIndexes", [])
        }
        assert indexes == {(i.name, i.hash_key, i.projection) for i in table.indexes}
        assert ttl.get("AttributeName") == table.ttl_attribute


def test_the_upload_bucket_has_the_models_cors_and_notification(model, checkout, deployed):
    s3 = checkout.client("s3")
    bucket = model.buckets[deployed.outputs["names"]["uploads_bucket"]]
    (rule,) = bucket.cors_rules
    (notification,) = bucket.notifications

    (cors,) = s3.get_bucket_cors(Bucket=bucket.name)["CORSRules"]
    assert (cors["AllowedMethods"], cors["AllowedOrigins"]) == (
        rule["allowed_methods"],
        rule["allowed_origins"],
    )
    assert (cors["AllowedHeaders"], cors["ExposeHeaders"]) == (
        rule["allowed_headers"],
        rule["expose_headers"],
    )
    assert cors["MaxAgeSeconds"] == rule["max_age_seconds"]
    (applied,) = s3.get_bucket_notification_configuration(Bucket=bucket.name)[
        "LambdaFunctionConfigurations"
    ]
    # arn:aws:lambda:<region>:<account>:function:<name>:live, the alias
    function, alias = applied["LambdaFunctionArn"].split(":function:")[1].split(":")
    assert (function, alias) == (notification.function, "live")
    assert applied["Events"] == list(notification.events)
    assert applied["Filter"]["Key"]["FilterRules"] == [
        {"Name": "prefix", "Value": notification.prefix}
    ]


def test_each_function_has_the_environment_the_model_gives_it(model, checkout):
    apis = {api["Name"]: api for api in checkout.client("apigatewayv2").get_apis()["Items"]}
    for function in model.functions.values():
        expected = dict(function.environment)
        if "WS_API_ENDPOINT" in expected:
            # The model stands in the WebSocket API's name for the id AWS gives it.
            api = apis[f"qrstack-{model.workspace}-ws"]
            expected["WS_API_ENDPOINT"] = expected["WS_API_ENDPOINT"].replace(
                f"https://{api['Name']}.", f"https://{api['ApiId']}."
            )

        assert _environment(checkout, function.name) == expected, function.service


def _routes(gateway, api_id: str) -> dict[str, str]:
    integrations = {
        i["IntegrationId"]: i["IntegrationUri"]
        for i in gateway.get_integrations(ApiId=api_id)["Items"]
    }
    routes = {}
    for route in gateway.get_routes(ApiId=api_id)["Items"]:
        uri = integrations[route["Target"].removeprefix("integrations/")]
        # .../functions/arn:aws:lambda:<region>:<account>:function:<name>[:<alias>]/invocations
        routes[route["RouteKey"]] = uri.split(":function:")[1].split("/")[0].split(":")[0]
    return routes


def _qualifiers(gateway, api_id: str) -> set[str]:
    return {
        i["IntegrationUri"].split(":function:")[1].split("/")[0].partition(":")[2]
        for i in gateway.get_integrations(ApiId=api_id)["Items"]
    }


def test_every_http_and_websocket_integration_invokes_alias_live(checkout):
    gateway = checkout.client("apigatewayv2")
    apis = {api["Name"]: api["ApiId"] for api in gateway.get_apis()["Items"]}

    assert _qualifiers(gateway, apis["qrstack-dev-http"]) == {"live"}
    assert _qualifiers(gateway, apis["qrstack-dev-ws"]) == {"live"}


def test_every_function_serves_a_published_version_through_alias_live(model, checkout):
    lam = checkout.client("lambda")
    for function in model.functions.values():
        alias = lam.get_alias(FunctionName=function.name, Name="live")
        assert alias["FunctionVersion"].isdigit(), function.name


def test_the_budget_alerts_the_alarm_topic_at_80_and_100_percent(checkout, deployed):
    budgets = checkout.client("budgets")
    name = f"qrstack-dev-monthly-{REGION}"
    budget = budgets.describe_budget(AccountId=ACCOUNT_ID, BudgetName=name)["Budget"]
    notifications = budgets.describe_notifications_for_budget(
        AccountId=ACCOUNT_ID, BudgetName=name
    )["Notifications"]

    assert (budget["BudgetType"], budget["TimeUnit"]) == ("COST", "MONTHLY")
    assert float(budget["BudgetLimit"]["Amount"]) == 5.0
    assert sorted(n["Threshold"] for n in notifications) == [80, 100]
    for notification in notifications:
        (subscriber,) = budgets.describe_subscribers_for_notification(
            AccountId=ACCOUNT_ID, BudgetName=name, Notification=notification
        )["Subscribers"]
        assert subscriber == {
            "SubscriptionType": "SNS",
            "Address": deployed.outputs["names"]["alarm_topic_arn"],
        }


def test_the_saved_queries_are_the_models_over_every_functions_log_group(model, checkout):
    saved = checkout.client("logs").describe_query_definitions(
        queryDefinitionNamePrefix="qrstack-dev/"
    )["queryDefinitions"]
    expected = {q["name"]: q["query_string"] for q in model.raw["aws_cloudwatch_query_definition"]}

    assert {q["name"]: q["queryString"] for q in saved} == expected
    groups = {f.log_group for f in model.functions.values()}
    assert all(set(q["logGroupNames"]) == groups for q in saved)


def test_the_http_and_websocket_routes_are_the_models(model, checkout):
    gateway = checkout.client("apigatewayv2")
    apis = {api["Name"]: api["ApiId"] for api in gateway.get_apis()["Items"]}

    assert _routes(gateway, apis["qrstack-dev-http"]) == model.http_routes
    assert _routes(gateway, apis["qrstack-dev-ws"]) == model.websocket_routes


def test_the_scan_queue_redrives_to_its_dead_letter_queue_as_the_model_says(model, checkout):
    sqs = checkout.client("sqs")
    (queue,) = [q for q in model.queues.values() if q.dead_letter_queue]
    url = sqs.get_queue_url(QueueName=queue.name)["QueueUrl"]
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    redrive = json.loads(attributes["RedrivePolicy"])

    assert redrive["deadLetterTargetArn"].endswith(f":{queue.dead_letter_queue}")
    assert int(redrive["maxReceiveCount"]) == queue.max_receive_count
    assert int(attributes["VisibilityTimeout"]) == queue.visibility_timeout_s
    assert attributes["SqsManagedSseEnabled"] == "true"


def test_the_scan_queue_feeds_the_scanners_alias_with_partial_batch_responses(model, checkout):
    (mapping,) = model.event_source_mappings
    (applied,) = checkout.client("lambda").list_event_source_mappings()["EventSourceMappings"]

    assert applied["EventSourceArn"].endswith(f":{mapping.queue}")
    # moto keeps the function's ARN without the alias (moto_gaps.py); the model has the alias.
    assert applied["FunctionArn"].split(":function:")[1].split(":")[0] == mapping.function
    assert mapping.qualifier == "live"
    assert applied["BatchSize"] == mapping.batch_size
    assert applied["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert applied["ScalingConfig"] == {"MaximumConcurrency": mapping.maximum_concurrency}


def test_the_results_bucket_expires_batches_and_refuses_plain_http(model, checkout, aws):
    s3 = checkout.client("s3")
    name = model.functions["scanner"].environment["SCAN_RESULTS_BUCKET_NAME"]
    rules = s3.get_bucket_lifecycle_configuration(Bucket=name)["Rules"]
    (rule,) = [r for r in rules if r["ID"] == "expire-batches"]
    s3.put_object(Bucket=name, Key="batches/probe", Body=b"x")

    assert (rule["Status"], rule["Filter"]["Prefix"]) == ("Enabled", "batches/")
    assert rule["Expiration"]["Days"] == model.settings["batch_scans"]["retention_days"]
    assert _get(f"{aws.plain_endpoint}/{name}/batches/probe") == 403
    s3.delete_object(Bucket=name, Key="batches/probe")
