"""Monthly cost of one profile on one deployment: line items per service, and the free tier."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from buildtools.cost.deployment import Deployment, FunctionSize
from buildtools.cost.prices import Prices
from buildtools.cost.profile import Profile

MILLION = 1_000_000
GB = 1024**3
# Services in the order the estimate prints them: the three of the stack, then what they share.
SERVICES = ("upload sessions", "visitor counter", "pixel detector", "shared")


@dataclass(frozen=True)
class Line:
    """One priced quantity: `quantity` `unit`s of `item`, costing `cost` dollars a month."""

    service: str
    item: str
    quantity: float
    unit: str
    cost: float
    resource: str = ""  # the function, when a service has several


@dataclass(frozen=True)
class FreeTierLine:
    """One always-free allowance: how much of it the month uses, and the dollars it takes off."""

    item: str
    used: float
    allowance: float
    unit: str
    saving: float


@dataclass
class Estimate:
    """The month's line items and what the always-free tier takes off them."""

    deployment: Deployment
    profile: Profile
    prices: Prices
    lines: list[Line] = field(default_factory=list)
    free_tier: list[FreeTierLine] = field(default_factory=list)

    def by_service(self) -> dict[str, float]:
        """Dollars a month per service, in SERVICES order."""
        return {s: sum(line.cost for line in self.lines if line.service == s) for s in SERVICES}

    @property
    def total(self) -> float:
        """Dollars a month before the free tier."""
        return sum(line.cost for line in self.lines)

    @property
    def free_tier_saving(self) -> float:
        """Dollars a month the always-free tier takes off."""
        return sum(line.saving for line in self.free_tier)

    def quantity(self, item: str) -> float:
        """The month's total quantity of `item` over every service."""
        return sum(line.quantity for line in self.lines if line.item == item)

    def cost_of(self, item: str) -> float:
        """The month's cost of `item` over every service."""
        return sum(line.cost for line in self.lines if line.item == item)


def estimate(deployment: Deployment, profile: Profile, prices: Prices) -> Estimate:
    """Price `profile` on `deployment` at `prices`."""
    result = Estimate(deployment, profile, prices)
    result.lines = [
        *_sessions(deployment, profile, prices),
        *_counter(deployment, profile, prices),
        *_scanner(deployment, profile, prices),
        *_shared(deployment, prices),
    ]
    result.free_tier = list(_free_tier(result))
    return result


# --- per service ------------------------------------------------------------------------------


def _sessions(d: Deployment, p: Profile, prices: Prices) -> Iterable[Line]:
    s = p.shape["session"]
    service = "upload sessions"
    n = p.sessions
    ws, s3 = prices.apigateway, prices.s3
    yield from _lambda(service, d, prices, "sessions", n * s["sessions_invocations"], p)
    yield from _lambda(service, d, prices, "realtime", n * s["realtime_invocations"], p)
    yield _http(service, n * s["http_requests"], prices)
    yield _priced(
        service,
        "WebSocket messages",
        n * s["websocket_messages"],
        "messages",
        ws["websocket_message_per_million"],
        per=MILLION,
    )
    yield _priced(
        service,
        "WebSocket connection minutes",
        n * s["websocket_connection_minutes"],
        "minutes",
        ws["websocket_connection_minute_per_million"],
        per=MILLION,
    )
    yield from _dynamodb(service, n * s["dynamodb_writes"], n * s["dynamodb_reads"], prices)
    # Uploads expire after the lifecycle's days; without one they pile up for the whole month.
    kept_days = min(d.uploads_expire_after_days or 30, 30)
    stored_gb = n * s["upload_mb"] / 1024 * kept_days / 30
    yield _priced(service, "S3 storage", stored_gb, "GB-month", s3["storage_gb_month"])
    puts, gets = n * s["s3_puts"], n * s["s3_gets"]
    yield _priced(service, "S3 PUT requests", puts, "requests", s3["put_per_thousand"], per=1000)
    yield _priced(service, "S3 GET requests", gets, "requests", s3["get_per_thousand"], per=1000)
    if d.static_site:
        views = n * s["page_views"]
        cf = prices.cloudfront
        yield _priced(
            service,
            "CloudFront HTTPS requests",
            views * s["page_requests"],
            "requests",
            cf["https_request_per_ten_thousand"],
            per=10_000,
        )
        yield _priced(
            service,
            "CloudFront transfer out",
            views * s["page_kb"] / 1024 / 1024,
            "GB",
            cf["transfer_out_gb"],
        )
    invocations = {
        "sessions": n * s["sessions_invocations"],
        "realtime": n * s["realtime_invocations"],
    }
    yield from _logs(service, d, prices, p, invocations, n * s["http_requests"])


def _counter(d: Deployment, p: Profile, prices: Prices) -> Iterable[Line]:
    visit, health = p.shape["visit"], p.shape["health_check"]
    service = "visitor counter"
    invocations = (
        p.visits * visit["counter_invocations"] + p.health_checks * health["counter_invocations"]
    )
    http = p.visits * visit["http_requests"] + p.health_checks * health["http_requests"]
    yield from _lambda(service, d, prices, "counter", invocations, p)
    yield _http(service, http, prices)
    writes = p.visits * visit["dynamodb_writes"]
    reads = p.visits * visit["dynamodb_reads"] + p.health_checks * health["dynamodb_reads"]
    yield from _dynamodb(service, writes, reads, prices)
    yield from _logs(service, d, prices, p, {"counter": invocations}, http)


def _scanner(d: Deployment, p: Profile, prices: Prices) -> Iterable[Line]:
    scan = p.shape["scan"]
    service = "pixel detector"
    hits = round(p.scans * p.scan_cache_hit_ratio)
    misses = p.scans - hits
    durations = p.shape["duration_ms"]
    size = d.functions["scanner"]
    gb_seconds = (
        size.memory_mb
        / 1024
        * (hits * durations["scanner_hit"] + misses * durations["scanner_miss"])
    ) / 1000
    invocations = p.scans * scan["scanner_invocations"]
    yield _lambda_requests(service, size, invocations, prices)
    yield _lambda_compute(service, size, gb_seconds, prices)
    yield _http(service, p.scans * scan["http_requests"], prices)
    writes = hits * scan["dynamodb_writes_hit"] + misses * scan["dynamodb_writes_miss"]
    yield from _dynamodb(service, writes, p.scans * scan["dynamodb_reads"], prices)
    # Every miss caches a result; the cache keeps about a month of them (TTL).
    cache_gb = misses * scan["result_kb"] / 1024 / 1024
    yield from _table_storage(service, d, cache_gb, prices)
    image_gb = p.shape["image"]["compressed_gb"] * d.ecr_tagged_images_kept
    yield _priced(service, "ECR storage", image_gb, "GB-month", prices.ecr["storage_gb_month"])
    yield from _logs(
        service, d, prices, p, {"scanner": invocations}, p.scans * scan["http_requests"]
    )


def _shared(d: Deployment, prices: Prices) -> Iterable[Line]:
    cw = prices.cloudwatch
    metrics, dashboards = d.alarm_metrics, d.dashboards
    yield _priced(
        "shared", "CloudWatch alarm metrics", metrics, "metrics", cw["alarm_metric_month"]
    )
    yield _priced(
        "shared", "CloudWatch dashboards", dashboards, "dashboards", cw["dashboard_month"]
    )


# --- building blocks --------------------------------------------------------------------------


def _priced(
    service: str, item: str, quantity: float, unit: str, price: float, per: float = 1, **extra: str
) -> Line:
    """`quantity` of `item` at `price` per `per` units."""
    return Line(service, item, quantity, unit, quantity / per * price, **extra)


def _lambda(
    service: str, d: Deployment, prices: Prices, function: str, invocations: float, p: Profile
) -> Iterable[Line]:
    size = d.functions[function]
    gb_seconds = invocations * p.shape["duration_ms"][function] / 1000 * size.memory_mb / 1024
    yield _lambda_requests(service, size, invocations, prices)
    yield _lambda_compute(service, size, gb_seconds, prices)


def _lambda_requests(service: str, size: FunctionSize, invocations: float, prices: Prices) -> Line:
    price = prices.lambda_["request_per_million"]
    return _priced(
        service, "Lambda requests", invocations, "requests", price, MILLION, resource=size.name
    )


def _lambda_compute(service: str, size: FunctionSize, gb_seconds: float, prices: Prices) -> Line:
    price = prices.lambda_gb_second(size.architecture)
    item = f"Lambda compute ({size.architecture})"
    return _priced(service, item, gb_seconds, "GB-s", price, resource=size.name)


def _http(service: str, requests: float, prices: Prices) -> Line:
    price = prices.apigateway["http_request_per_million"]
    return _priced(service, "HTTP API requests", requests, "requests", price, per=MILLION)


def _dynamodb(service: str, writes: float, reads: float, prices: Prices) -> Iterable[Line]:
    ddb = prices.dynamodb
    yield _priced(
        service,
        "DynamoDB write units",
        writes,
        "WRU",
        ddb["write_request_unit_per_million"],
        per=MILLION,
    )
    yield _priced(
        service,
        "DynamoDB read units",
        reads,
        "RRU",
        ddb["read_request_unit_per_million"],
        per=MILLION,
    )


def _table_storage(service: str, d: Deployment, gb: float, prices: Prices) -> Iterable[Line]:
    ddb = prices.dynamodb
    yield _priced(service, "DynamoDB storage", gb, "GB-month", ddb["storage_gb_month"])
    if d.point_in_time_recovery:
        yield _priced(
            service,
            "DynamoDB point-in-time recovery",
            gb,
            "GB-month",
            ddb["point_in_time_recovery_gb_month"],
        )


def _logs(
    service: str,
    d: Deployment,
    prices: Prices,
    p: Profile,
    invocations: dict[str, float],
    http_requests: float,
) -> Iterable[Line]:
    sizes = p.shape["log_bytes"]
    ingested = sum(n * sizes[function] for function, n in invocations.items())
    ingested_gb = (ingested + http_requests * sizes["http_access"]) / GB
    # Steady state: each month's logs stay for the retention period (stored uncompressed here,
    # an upper bound: CloudWatch bills the compressed size).
    stored_gb = ingested_gb * d.log_retention_days / 30
    cw = prices.cloudwatch
    yield _priced(service, "CloudWatch Logs ingestion", ingested_gb, "GB", cw["log_ingest_gb"])
    yield _priced(
        service, "CloudWatch Logs storage", stored_gb, "GB-month", cw["log_storage_gb_month"]
    )


# --- free tier --------------------------------------------------------------------------------


def _free_tier(e: Estimate) -> Iterable[FreeTierLine]:
    free = e.prices.free_tier
    yield _allowance(e, "Lambda requests", ["Lambda requests"], free["lambda_requests"], "requests")
    compute = [line.item for line in e.lines if line.item.startswith("Lambda compute")]
    yield _allowance(e, "Lambda compute", sorted(set(compute)), free["lambda_gb_seconds"], "GB-s")
    yield _allowance(
        e, "DynamoDB storage", ["DynamoDB storage"], free["dynamodb_storage_gb"], "GB-month"
    )
    yield _allowance(
        e,
        "CloudFront HTTPS requests",
        ["CloudFront HTTPS requests"],
        free["cloudfront_https_requests"],
        "requests",
    )
    yield _allowance(
        e,
        "CloudFront transfer out",
        ["CloudFront transfer out"],
        free["cloudfront_transfer_out_gb"],
        "GB",
    )
    yield _allowance(
        e,
        "CloudWatch Logs",
        ["CloudWatch Logs ingestion", "CloudWatch Logs storage"],
        free["cloudwatch_log_gb"],
        "GB",
    )
    yield _allowance(
        e,
        "CloudWatch alarm metrics",
        ["CloudWatch alarm metrics"],
        free["cloudwatch_alarm_metrics"],
        "metrics",
    )
    yield _allowance(
        e,
        "CloudWatch dashboards",
        ["CloudWatch dashboards"],
        free["cloudwatch_dashboards"],
        "dashboards",
    )


def _allowance(
    e: Estimate, label: str, items: list[str], allowance: float, unit: str
) -> FreeTierLine:
    used = sum(e.quantity(item) for item in items)
    cost = sum(e.cost_of(item) for item in items)
    # The allowance covers the same share of the cost as of the quantity: the items it pools
    # (x86 and arm64 GB-s, log ingestion and storage) are priced per unit alike within each.
    saving = cost if used <= allowance else cost * allowance / used
    return FreeTierLine(label, used, allowance, unit, saving)
