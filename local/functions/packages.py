"""What the python3.12 Lambda runtime provides beside the standard library: boto3 and its
dependencies. A ZIP function must run with nothing more, so it is run with only these."""

from __future__ import annotations

import importlib.util
from pathlib import Path

RUNTIME_MODULES = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3", "six")


def link_runtime_packages(target: Path) -> Path:
    """Fill `target` with links to this interpreter's copies of the runtime's packages."""
    target.mkdir(parents=True, exist_ok=True)
    for name in RUNTIME_MODULES:
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.origin:
            raise RuntimeError(f"{name} is not installed: run `make install`")
        origin = Path(spec.origin)
        source = origin.parent if origin.name == "__init__.py" else origin
        link = target / source.name
        if not link.exists():
            link.symlink_to(source, target_is_directory=source.is_dir())
    return target
