"""The local stack, started once per test session exactly as `make up` starts it, and a browser."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest

from local.launcher import StackDidNotStart, build_artifacts, launch, stop, wait_until_ready
from terraform_model import Stack as Model
from terraform_model import load_plannable
from tests.support.browser import chromium

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
# Small enough that the "too large" test uploads ~1 MB, not 10.
MAX_UPLOAD_BYTES = 512 * 1024


@dataclass
class Stack:
    """A running local stack: its URLs, the Terraform model it mirrors and its log."""

    urls: dict[str, str]
    model: Model
    log_path: Path
    info: dict

    @property
    def api(self) -> str:
        return self.urls["api"]

    @property
    def ws(self) -> str:
        return self.urls["websocket"]

    @property
    def web(self) -> str:
        return self.urls["web"]

    def client(self, service: str, **kwargs):
        """A boto3 client of the stack's moto (test-only access behind the functions' backs)."""
        arguments = {
            "endpoint_url": self.urls["aws"],
            "region_name": self.model.region,
            "aws_access_key_id": "local",
            "aws_secret_access_key": "local",
            **kwargs,
        }
        return boto3.client(service, **arguments)

    def table_keyed(self, hash_key: str) -> str:
        return self.model.table_keyed(hash_key).name

    @property
    def upload_bucket(self) -> str:
        return self.model.bucket_notifying().name

    def function(self, service: str) -> str:
        return self.model.functions[service].name

    def log_tail(self, lines: int = 60) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


def processes_under(state: Path) -> list[int]:
    """Processes whose command line names the stack's state folder: workers started on demand
    (beyond the first of each function) are not in stack.json."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if f"{state}/functions/" in command:
            found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture(scope="package")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """`python -m local` on free ports, from freshly built ZIPs; stopped with Ctrl-C (SIGINT)."""
    state = tmp_path_factory.mktemp("local-stack")
    build_artifacts(state / "dist")
    log_path = state / "stack.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    with log_path.open("w") as log:
        process = launch(
            state,
            state / "dist",
            "--override",
            f"sessions:MAX_UPLOAD_BYTES={MAX_UPLOAD_BYTES}",
            output=log,
            env=env,
        )
    try:
        info = wait_until_ready(process, state)
    except StackDidNotStart as exc:
        raise RuntimeError(f"{exc}:\n{log_path.read_text()[-4000:]}") from None
    yield Stack(info["urls"], load_plannable("dev"), log_path, info)
    returncode = stop(process)
    assert returncode == 0, log_path.read_text()[-4000:]
    started = [pid for pids in info["functions"].values() for pid in pids] + [info["awsPid"]]
    leftovers = [pid for pid in started if _alive(pid)] + processes_under(state)
    assert leftovers == [], f"workers still running after Ctrl-C: {leftovers}"


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright (module scope: see tests/support/browser.py)."""
    with chromium() as launched:
        yield launched


@pytest.fixture
def desktop(browser, stack):
    context = browser.new_context(viewport={"width": 1100, "height": 800})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone(browser, stack):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
