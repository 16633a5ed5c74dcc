"""Rate limiter designs under a burst: 200 concurrent requests, DynamoDB-style contention.

Run: .venv/bin/python benchmarks/bench_ratelimit.py   (or `make bench`)

A moto server stands in for DynamoDB, with tests/support/dynamodb_contention.py adding what
moto leaves out: a transaction touching an item another transaction holds is cancelled
(TransactionConflict). Three designs, same burst, same run:
  transaction        both windows in one TransactWriteItems (the design this replaced)
  transaction+retry  the same, retrying conflicts up to 3 times with full jitter
  one global item    one conditional UpdateItem per window, no transaction
  sharded (chosen)   the same, the global window over 4 shard items
moto serialises nothing and has no per-partition write limit, so the last two measure alike
here; on DynamoDB one item takes at most 1,000 writes a second, and shards lift that.
Target: only 200s and 429s, exactly GLOBAL_LIMIT 200s.
"""

from __future__ import annotations

import hashlib
import os
import random
import statistics
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import boto3  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402
from moto.server import ThreadedMotoServer  # noqa: E402

from handlers.core import aws, errors  # noqa: E402
from handlers.core.ratelimit import RateLimiter  # noqa: E402
from tests.support.dynamodb_contention import Contention  # noqa: E402

BURST = 200
GLOBAL_LIMIT = 150
IP_LIMIT = 3
TABLE = "bench-rate-limits"


class TransactionLimiter:
    """The replaced design, kept here only to be measured against."""

    def __init__(self, retries: int = 0) -> None:
        self.retries = retries

    def _items(self, ip: str, now: int) -> list[dict]:
        who = hashlib.sha256(ip.encode()).hexdigest()[:32]
        items = []
        for key, limit in (
            (f"tx#ip#{who}#{now // 86400}", IP_LIMIT),
            (f"tx#global#{now // 3600}", GLOBAL_LIMIT),
        ):
            items.append(
                {
                    "Update": {
                        "TableName": TABLE,
                        "Key": {"key": {"S": key}},
                        "UpdateExpression": "ADD #c :one",
                        "ConditionExpression": "attribute_not_exists(#c) OR #c < :limit",
                        "ExpressionAttributeNames": {"#c": "count"},
                        "ExpressionAttributeValues": {
                            ":one": {"N": "1"},
                            ":limit": {"N": str(limit)},
                        },
                    }
                }
            )
        return items

    def check(self, ip: str) -> None:
        items = self._items(ip, int(time.time()))
        for attempt in range(self.retries + 1):
            try:
                aws.client("dynamodb").transact_write_items(TransactItems=items)
                return
            except ClientError as exc:
                reasons = exc.response.get("CancellationReasons") or []
                if any(r.get("Code") == "ConditionalCheckFailed" for r in reasons):
                    raise errors.TooManyRequests() from exc
                conflict = any(r.get("Code") == "TransactionConflict" for r in reasons)
                if not conflict or attempt == self.retries:
                    raise
                time.sleep(random.uniform(0, 0.025 * 2**attempt))


def burst(limiter, scope: str) -> tuple[Counter, list[float]]:
    def one(n: int) -> tuple[object, float]:
        started = time.perf_counter()
        try:
            limiter.check(f"198.51.{100 + n // 250}.{n % 250}")
            status = 200
        except errors.TooManyRequests:
            status = 429
        except Exception:
            status = 500  # what the app turns an unexpected error into
        return status, (time.perf_counter() - started) * 1000

    with ThreadPoolExecutor(max_workers=BURST) as pool:
        results = list(pool.map(one, range(BURST)))
    return Counter(s for s, _ in results), [t for _, t in results]


def main() -> int:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    os.environ.update(
        AWS_ENDPOINT_URL=f"http://{host}:{port}",
        AWS_ACCESS_KEY_ID="bench",
        AWS_SECRET_ACCESS_KEY="bench",
        AWS_DEFAULT_REGION="us-east-1",
    )
    import logging

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    boto3.client("dynamodb").create_table(
        TableName=TABLE,
        KeySchema=[{"AttributeName": "key", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "key", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    contention = Contention(aws.client("dynamodb"))
    aws.client("dynamodb").transact_write_items = contention.transact_write_items
    aws.client("dynamodb").update_item = contention.update_item
    designs = {
        "transaction": TransactionLimiter(),
        "transaction+retry": TransactionLimiter(retries=3),
        "one global item": RateLimiter(TABLE, IP_LIMIT, GLOBAL_LIMIT, scope="bench1", shards=1),
        "sharded (chosen)": RateLimiter(TABLE, IP_LIMIT, GLOBAL_LIMIT, scope="bench"),
    }
    print(f"{BURST} concurrent requests, GLOBAL_LIMIT {GLOBAL_LIMIT}, against moto + contention")
    print(f"{'design':<20}{'200':>6}{'429':>6}{'500':>6}{'p50 ms':>9}{'p95 ms':>9}  target")
    for name, limiter in designs.items():
        boto3.client("dynamodb").delete_table(TableName=TABLE)
        boto3.client("dynamodb").create_table(
            TableName=TABLE,
            KeySchema=[{"AttributeName": "key", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "key", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        statuses, times = burst(limiter, name)
        p95 = sorted(times)[int(len(times) * 0.95) - 1]
        print(
            f"{name:<20}{statuses[200]:>6}{statuses[429]:>6}{statuses[500]:>6}"
            f"{statistics.median(times):>9.1f}{p95:>9.1f}  0 x 500, {GLOBAL_LIMIT} x 200"
        )
    server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
