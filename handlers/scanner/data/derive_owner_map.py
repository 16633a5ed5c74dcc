"""Derive owners.json from the third-party-web npm package (MIT); run by hand, never imported.

npm pack third-party-web && tar xzf third-party-web-*.tgz
python handlers/scanner/data/derive_owner_map.py package/ handlers/scanner/data/owners.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def derive(package_dir: Path) -> dict:
    """Compact map: domain (without the leading '*.') -> index into [entity, company, category]."""
    version = json.loads((package_dir / "package.json").read_text())["version"]
    entities = json.loads((package_dir / "dist" / "entities-nostats.json").read_text())
    table: list[list[str]] = []
    domains: dict[str, int] = {}
    for entity in entities:
        index = len(table)
        table.append([entity["name"], entity.get("company", entity["name"]), entity["category"]])
        for domain in entity["domains"]:
            domains.setdefault(domain.removeprefix("*.").lower(), index)
    return {
        "source": f"third-party-web {version} (MIT, Copyright (c) 2019 Patrick Hulce)",
        "entities": table,
        "domains": dict(sorted(domains.items())),
    }


if __name__ == "__main__":
    package, out = Path(sys.argv[1]), Path(sys.argv[2])
    Path(out).write_text(json.dumps(derive(package), separators=(",", ":")) + "\n")
