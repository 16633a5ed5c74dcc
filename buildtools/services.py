"""Find the services under handlers/ from their settings.py, without importing them."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from buildtools.errors import BuildError

PACKAGE_TYPES = ("Zip", "Image")


@dataclass(frozen=True)
class Service:
    """One Lambda function: its folder under handlers/ and what settings.py declares."""

    package: str  # the folder name, e.g. "counter"
    function_name: str  # without the -{env} suffix, e.g. "visitor-counter"
    package_type: str  # "Zip" or "Image"

    @property
    def module(self) -> str:
        return f"handlers.{self.package}.app"


def _constant(tree: ast.Module, name: str, settings: Path) -> str:
    for node in tree.body:
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets = [node.target]
        for target in targets:
            if isinstance(target, ast.Name) and target.id == name:
                value = node.value
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    return value.value
                raise BuildError(f"{settings}: {name} must be a plain string literal")
    raise BuildError(f"{settings}: {name} is not declared")


def discover(root: Path) -> list[Service]:
    """Every sub-package of handlers/ other than core that has a settings.py, sorted by folder."""
    handlers = root / "handlers"
    if not (handlers / "__init__.py").is_file():
        raise BuildError(f"{handlers}/__init__.py not found: is {root} the project root?")
    services = []
    for settings in sorted(handlers.glob("*/settings.py")):
        folder = settings.parent
        if folder.name == "core" or not (folder / "__init__.py").is_file():
            continue
        rel = settings.relative_to(root)
        try:
            tree = ast.parse(settings.read_bytes(), filename=str(rel))
        except SyntaxError as exc:
            raise BuildError(f"{rel}:{exc.lineno}: syntax error: {exc.msg}") from None
        package_type = _constant(tree, "PACKAGE_TYPE", rel)
        if package_type not in PACKAGE_TYPES:
            raise BuildError(
                f"{rel}: PACKAGE_TYPE must be one of {PACKAGE_TYPES}, not {package_type!r}"
            )
        services.append(Service(folder.name, _constant(tree, "FUNCTION_NAME", rel), package_type))
    names = [s.function_name for s in services]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise BuildError(f"FUNCTION_NAME declared twice: {', '.join(duplicates)}")
    return services
