"""`python -m local` (make up): run the whole stack on 127.0.0.1 until Ctrl-C."""

from __future__ import annotations

import argparse
import errno
import os
import shutil
import signal
import sys
import threading
from pathlib import Path

from local.functions.overrides import OverrideError
from local.lock import AlreadyRunning, StackLock
from local.stack import ROOT, LocalStack, Options

DEFAULT_PORT = 8700


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m local",
        description="The whole stack on this machine: moto as AWS, provisioned from the Terraform "
        "workspace, functions run from dist/*.zip, HTTP + WebSocket APIs, S3 events, web pages.",
    )
    parser.add_argument("--workspace", default="dev", help="Terraform workspace to mirror")
    parser.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("LOCAL_PORT", DEFAULT_PORT)),
        help="first of five ports: web, HTTP API, WebSocket, management, AWS (0 = any free)",
    )
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="built ZIPs")
    parser.add_argument(
        "--state-dir", type=Path, default=ROOT / ".local-stack", help="lock, stack.json, code"
    )
    parser.add_argument(
        "--override",
        action="append",
        default=[],
        metavar="FUNCTION:VAR=VALUE",
        help="set an environment variable of one function (its name or service), repeatable",
    )
    parser.add_argument(
        "--no-config-file",
        action="store_true",
        help="do not write web/config.js (it is served from memory either way)",
    )
    parser.add_argument("--quiet", action="store_true", help="do not relay function logs")
    return parser


def _ports(base: int) -> dict[str, int]:
    names = ("web_port", "api_port", "ws_port", "control_port", "moto_port")
    return {name: (0 if base == 0 else base + offset) for offset, name in enumerate(names)}


def _chromium() -> str:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or ""


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    lock = StackLock(args.state_dir.resolve())
    try:
        lock.acquire()
    except AlreadyRunning as running:
        web = running.info.get("urls", {}).get("web")
        where = f": open {web}" if web else ""
        print(f"make up: {running}{where}. Stop it with Ctrl-C in its terminal.", file=sys.stderr)
        return 1

    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())

    def log(line: str) -> None:
        if not args.quiet:
            print(line, file=sys.stderr, flush=True)

    stack = None
    try:
        from terraform_model import load_plannable

        print(f"Reading the Terraform ({args.workspace} workspace)…", flush=True)
        model = load_plannable(args.workspace)
        options = Options(
            **_ports(args.port),
            dist=args.dist,
            state_dir=args.state_dir.resolve(),
            chromium=_chromium(),
            overrides=args.override,
            log=log,
        )
        try:
            stack = LocalStack(model, options)
        except OverrideError as exc:
            print(f"make up: {exc}", file=sys.stderr)
            return 2
        print("Starting moto, the function workers and the gateways…", flush=True)
        stack.start()
        urls = stack.urls()
        if not args.no_config_file:
            (options.web_root / "config.js").write_text(
                stack.site.configure(urls["api"], urls["websocket"])
            )
        lock.publish(
            {
                "pid": os.getpid(),
                "workspace": args.workspace,
                "urls": urls,
                "functions": {name: pool.pids for name, pool in stack.workers.items()},
                "awsPid": stack.moto.pid,
                "scannerApiKey": stack.scanner_api_key,
            }
        )
        _announce(stack, urls)
        stop.wait()
        print("\nStopping…", flush=True)
        return 0
    except OSError as exc:
        hint = ""
        if exc.errno == errno.EADDRINUSE:
            hint = f" (a port from {args.port} to {args.port + 4} is taken: try make up PORT=9000)"
        print(f"make up: could not start: {exc}{hint}", file=sys.stderr)
        return 1
    except Exception as exc:  # a clear one-liner instead of a traceback for the usual causes
        print(f"make up: could not start: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    finally:
        if stack is not None:
            stack.stop()
        lock.release()
        if stack is not None:
            print("Stopped.", flush=True)


def _announce(stack: LocalStack, urls: dict[str, str]) -> None:
    width = 22
    lines = [
        "",
        "The stack is up (127.0.0.1 only). Ctrl-C stops everything.",
        "",
        f"  {'QR demo (desktop)':<{width}}{urls['web']}/",
        f"  {'HTTP API':<{width}}{urls['api']}",
        f"  {'WebSocket API':<{width}}{urls['websocket']}/?sessionId=...",
        f"  {'WS management API':<{width}}{urls['websocket_management']}/@connections/{{id}}",
        f"  {'Lambda invoke API':<{width}}{urls['lambda_invoke']}"
        "/2015-03-31/functions/{name}/invocations",
        f"  {'AWS (moto)':<{width}}{urls['aws']}",
        "",
        "  functions: " + ", ".join(sorted(stack.workers)),
    ]
    if stack.scanner_api_key:
        lines.append("  POST /scan needs the x-api-key in .local-stack/stack.json (scannerApiKey)")
    lines += [
        "",
        f"  try: curl -s {urls['api']}/health",
        f"       make smoke API={urls['api']} WS={urls['websocket']}",
        "",
    ]
    print("\n".join(lines), flush=True)
