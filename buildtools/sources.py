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
IMAGE_PACKAGES = frozenset({"playwright", "publicsuffixlist"})

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


# The build interpreter's stdlib list, made to match the Lambda runtime (python3.12): modules
# removed in 3.12 are refused; those removed in 3.13 are still there in 3.12.
REMOVED_IN_312 = frozenset({"asynchat", "asyncore", "distutils", "imp", "smtpd"})
REMOVED_IN_313 = frozenset(
    {
        "aifc", "audioop", "cgi", "cgitb", "chunk", "crypt", "imghdr", "lib2to3", "mailcap",
        "msilib", "nis", "nntplib", "ossaudiodev", "pipes", "sndhdr", "spwd", "sunau",
        "telnetlib", "uu", "xdrlib",
    }
)  # fmt: skip
STDLIB_312 = (frozenset(sys.stdlib_module_names) | REMOVED_IN_313) - REMOVED_IN_312


@dataclass(frozen=True)
class _Import:
    line: int
    written: str  # as the source spells it, e.g. "..sessions.store"
    module: str | None  # absolute name; None when a relative import escapes `handlers`


def _package_of(arcname: str) -> list[str]:
    """The package a module lives in: handlers/counter/app.py and handlers/counter/__init__.py
    are both in handlers.counter."""
    return arcname.removesuffix(".py").split("/")[:-1]


def _imports(tree: ast.Module, arcname: str) -> list[_Import]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [_Import(node.lineno, a.name, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            written = "." * node.level + (node.module or "")
            if node.level == 0:
                base: list[str] | None = (node.module or "").split(".")
            else:
                package = _package_of(arcname)
                keep = len(package) - (node.level - 1)
                base = package[:keep] + (node.module.split(".") if node.module else [])
                base = base if keep > 0 else None
            if base is None:
                names = ", ".join(a.name for a in node.names)
                found.append(_Import(node.lineno, f"from {written} import {names}", None))
            elif base == ["handlers"] or (node.level > 0 and not node.module):
                # `from handlers import x` / `from . import x`: each name may be a sub-package.
                for alias in node.names:
                    name = ".".join(base + ([alias.name] if alias.name != "*" else []))
                    found.append(_Import(node.lineno, f"from {written} import {alias.name}", name))
            else:
                found.append(_Import(node.lineno, written, ".".join(base)))
    return found


def _refusal(arcname: str, found: _Import, service: Service, image: bool) -> str | None:
    """Why an import cannot run in the function's Lambda runtime, or None when it can."""
    where = f"{arcname}:{found.line}: import of '{found.written}'"
    if found.module is None:
        return f"{where} refused: relative import beyond the top-level package handlers"
    resolved = f" ({found.module})" if found.module != found.written else ""
    parts = found.module.split(".")
    if parts[0] == "handlers":
        if len(parts) == 1:
            return None  # `import handlers`
        if arcname.startswith("handlers/core/") and parts[1] != "core":
            return f"{where}{resolved} refused: handlers/core must not import a service"
        if parts[1] in ("core", service.package):
            return None
        return (
            f"{where}{resolved} refused: {service.function_name} may import only handlers.core "
            f"and handlers.{service.package}"
        )
    if parts[0] in REMOVED_IN_312:
        return f"{where} refused: {parts[0]} is not in python3.12, the Lambda runtime"
    if parts[0] in STDLIB_312 or parts[0] in RUNTIME_PACKAGES:
        return None
    if image and parts[0] in IMAGE_PACKAGES:
        return None
    return (
        f"{where} refused: {service.function_name} may import only the standard library, "
        f"boto3, botocore{''.join(', ' + p for p in sorted(IMAGE_PACKAGES)) if image else ''}"
        " and handlers"
    )


def check(sources: list[SourceFile], service: Service) -> None:
    """Compile every .py and scan its imports; raise one BuildError listing every problem."""
    image = service.package_type == "Image"
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
        for found in _imports(tree, source.arcname):
            problem = _refusal(source.arcname, found, service, image)
            if problem:
                problems.append(problem)
    if problems:
        raise BuildError(
            f"{service.function_name}: {len(problems)} problem(s): " + "; ".join(problems)
        )
