"""The unit prices of prices.toml: the only place the estimate's prices live."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PRICES_FILE = Path(__file__).with_name("prices.toml")


@dataclass(frozen=True)
class Prices:
    """US dollar prices of one region, as read on `read_on`, and the always-free allowances."""

    region: str
    read_on: str
    source: str
    lambda_: dict[str, Any]
    apigateway: dict[str, float]
    dynamodb: dict[str, float]
    s3: dict[str, float]
    cloudfront: dict[str, float]
    cloudwatch: dict[str, float]
    ecr: dict[str, float]
    free_tier: dict[str, float]

    def lambda_gb_second(self, architecture: str) -> float:
        """The GB-second price of `architecture` (x86_64 or arm64)."""
        try:
            return float(self.lambda_["gb_second"][architecture])
        except KeyError:
            raise ValueError(
                f"no Lambda GB-second price for architecture {architecture!r}"
            ) from None


def load(path: Path = PRICES_FILE) -> Prices:
    """The prices of `path`."""
    data = tomllib.loads(path.read_text())
    return Prices(
        region=data["region"],
        read_on=data["read_on"],
        source=data["source"],
        lambda_=data["lambda"],
        apigateway=data["apigateway"],
        dynamodb=data["dynamodb"],
        s3=data["s3"],
        cloudfront=data["cloudfront"],
        cloudwatch=data["cloudwatch"],
        ecr=data["ecr"],
        free_tier=data["free_tier"],
    )
