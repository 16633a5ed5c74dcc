"""Usage profiles (usage.toml): a month's volumes, and what one unit of each workload requests."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

USAGE_FILE = Path(__file__).with_name("usage.toml")


class UnknownProfile(ValueError):
    """The profile is not in the usage file."""


@dataclass(frozen=True)
class Profile:
    """One month of usage: volumes of each workload, and the shared shape of one unit of each."""

    name: str
    description: str
    sessions: int
    visits: int
    health_checks: int
    scans: int
    scan_cache_hit_ratio: float
    shape: dict[str, dict[str, Any]]


def names(path: Path = USAGE_FILE) -> tuple[str, ...]:
    """The profiles the usage file defines, in file order."""
    return tuple(tomllib.loads(path.read_text())["profiles"])


def load(name: str, path: Path = USAGE_FILE) -> Profile:
    """The profile `name` of `path`; UnknownProfile names the ones there are."""
    data = tomllib.loads(path.read_text())
    profiles = data["profiles"]
    if name not in profiles:
        raise UnknownProfile(f"unknown profile {name!r}: use one of {', '.join(profiles)}")
    volumes = profiles[name]
    ratio = float(volumes["scan_cache_hit_ratio"])
    if not 0 <= ratio <= 1:
        raise ValueError(f"profile {name!r}: scan_cache_hit_ratio must be within 0..1, not {ratio}")
    return Profile(
        name=name,
        description=volumes["description"],
        sessions=int(volumes["sessions"]),
        visits=int(volumes["visits"]),
        health_checks=int(volumes["health_checks"]),
        scans=int(volumes["scans"]),
        scan_cache_hit_ratio=ratio,
        shape=data["shape"],
    )
