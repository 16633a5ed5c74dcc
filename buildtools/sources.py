"""What goes into a function's artifact, and the checks every source passes first.

A ZIP holds handlers/__init__.py, handlers/core/ and the service's own folder. Every .py is
compile-checked, and a static import scan refuses imports the Lambda runtime cannot satisfy.
"""

from __future__ import annotations

import ast
import hashlib
import sys
from dataclasses import dataclass
from pathlib import Path

from buildtools.errors import BuildError
from buildtools.services import Service

# Present in the Lambda python3.12 runtime beside the standard library.
RUNTIME_PACKAGES = frozenset({"boto3", "botocore"})
# The scanner image adds these on top (see handlers/scanner/Dockerfile).
IMAGE_PACKAGES = frozenset({"playwright"})

_SKIP_DIRS = frozenset({"__pycache__", "tests", "test", "node_modules"})
_SKIP_SUFFIXES = (".pyc", ".pyo", ".md", ".orig", ".rej", ".swp")
_SKIP_NAMES = frozenset({"conftest.py", ".dockerignore"})


@dataclass(frozen=True)
class SourceFile:
    """One file of an artifact: its path inside the archive and its normalised bytes."""

    arcname: str  # posix path, e.g. "handlers/core/app.py"
    data: bytes


def _excluded(rel_parts: tuple[str, ...]) -> bool:
    name = rel_parts[-1]
    return (
        any(part in _SKIP_DIRS or part.startswith(".") for part in rel_parts[:-1])
        or name.startswith(".")
        or name in _SKIP_NAMES
        or name.startswith("Dockerfile")
        or name.startswith("test_")
        or name.endswith("_test.py")
        or name.endswith(_SKIP_SUFFIXES)
    )


def _read(path: Path) -> bytes:
    data = path.read_bytes()
    # A Windows checkout with autocrlf must give the same artifact as a Linux one.
    return data.replace(b"\r\n", b"\n") if path.suffix == ".py" else data


def collect(root: Path, service: Service) -> list[SourceFile]:
    """The files of one function's artifact, sorted by archive name."""
    handlers = root / "handlers"
    files = [handlers / "__init__.py"]
    for folder in (handlers / "core", handlers / service.package):
        if not folder.is_dir():
            raise BuildError(f"{folder.relative_to(root)}/ not found")
        for path in folder.rglob("*"):
            if path.is_file() and not _excluded(path.relative_to(handlers).parts):
                files.append(path)
    sources = [SourceFile(p.relative_to(root).as_posix(), _read(p)) for p in files]
    return sorted(sources, key=lambda s: s.arcname)


def fingerprint(sources: list[SourceFile], salt: str) -> str:
    """sha256 over archive names, contents and the archive format: the incremental-build key."""
    digest = hashlib.sha256(salt.encode())
    for source in sources:
        digest.update(source.arcname.encode() + b"\0")
        digest.update(hashlib.sha256(source.data).digest())
    return digest.hexdigest()


def _allowed_handlers_import(module: str, service: Service) -> bool:
    parts = module.split(".")
    if len(parts) == 1:
        return True  # `import handlers`
    return parts[1] == "core" or parts[1] == service.package


def _imports(tree: ast.Module) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "handlers":
                found += [(node.lineno, f"handlers.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, node.module))
    return found


def check(sources: list[SourceFile], service: Service) -> None:
    """Compile every .py and scan its imports; raise one BuildError listing every problem."""
    allowed = set(sys.stdlib_module_names) | RUNTIME_PACKAGES
    if service.package_type == "Image":
        allowed |= IMAGE_PACKAGES
    problems = []
    for source in sources:
        if not source.arcname.endswith(".py"):
            continue
        try:
            tree = ast.parse(source.data, filename=source.arcname)
            compile(tree, source.arcname, "exec", dont_inherit=True)
        except (SyntaxError, ValueError) as exc:
            line = getattr(exc, "lineno", None) or 0
            problems.append(f"{source.arcname}:{line}: syntax error: {getattr(exc, 'msg', exc)}")
            continue
        in_core = source.arcname.startswith("handlers/core/")
        for line, module in _imports(tree):
            top = module.split(".")[0]
            if top == "handlers":
                if in_core and len(module.split(".")) > 1 and module.split(".")[1] != "core":
                    problems.append(
                        f"{source.arcname}:{line}: import of '{module}' refused: "
                        "handlers/core must not import a service"
                    )
                elif not _allowed_handlers_import(module, service):
                    problems.append(
                        f"{source.arcname}:{line}: import of '{module}' refused: "
                        f"{service.function_name} may import only handlers.core and "
                        f"handlers.{service.package}"
                    )
            elif top not in allowed:
                extra = ", playwright" if service.package_type == "Image" else ""
                problems.append(
                    f"{source.arcname}:{line}: import of '{module}' refused: "
                    f"{service.function_name} may import only the standard library, "
                    f"boto3, botocore{extra} and handlers"
                )
    if problems:
        raise BuildError(
            f"{service.function_name}: {len(problems)} problem(s): " + "; ".join(problems)
        )
