"""The local stack: moto as AWS, function workers, the HTTP and WebSocket APIs, the web pages."""

from __future__ import annotations

import contextlib
import secrets
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import boto3

from local.aws.moto_process import MotoProcess
from local.aws.provision import provision
from local.aws.s3_events import S3EventBridge
from local.aws.sqs_poller import SqsPoller
from local.functions import artifacts, overrides
from local.functions.packages import link_runtime_packages
from local.functions.pool import FunctionPool, concurrency
from local.functions.workers import FunctionSpec, InvocationError
from local.gateways.control_api import ControlApi
from local.gateways.http import HttpGateway, Route
from local.gateways.openapi import api_document
from local.gateways.static_site import StaticSite
from local.gateways.websocket import WebSocketGateway
from terraform_model import Function, Stack

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Options:
    host: str = "127.0.0.1"
    web_port: int = 8700
    api_port: int = 8701
    ws_port: int = 8702
    control_port: int = 8703
    moto_port: int = 8704
    dist: Path = ROOT / "dist"
    web_root: Path = ROOT / "web"
    state_dir: Path = ROOT / ".local-stack"
    chromium: str = ""
    # "function-name:VAR=value" pairs applied last (e.g. a smaller MAX_UPLOAD_BYTES in tests)
    overrides: list[str] = field(default_factory=list)
    log: Callable[[str], None] = lambda line: print(line, file=sys.stderr, flush=True)


class LocalStack:
    """Everything `make up` runs, started and stopped as one."""

    def __init__(self, model: Stack, options: Options) -> None:
        self.model = model  # the Terraform workspace this stack mirrors
        self.options = options
        # Checked first: a typo in a function's name must stop the stack, not be ignored.
        self.overrides = overrides.parse(options.overrides, model.functions.values())
        self.workers: dict[str, FunctionPool] = {}
        self.pollers: list[SqsPoller] = []
        self.s3_events = S3EventBridge(self._deliver_s3_event)
        self.moto = None
        self.websocket: WebSocketGateway | None = None
        self.control: ControlApi | None = None
        self.http: HttpGateway | None = None
        self.site: StaticSite | None = None
        self.scanner_api_key: str | None = None
        self._log_lock = threading.Lock()

    # urls --------------------------------------------------------------------------------

    @property
    def moto_url(self) -> str:
        host, port = self.moto.get_host_and_port()
        return f"http://{host}:{port}"

    @property
    def api_url(self) -> str:
        return self.http.url

    @property
    def ws_url(self) -> str:
        return f"ws://{self.options.host}:{self.websocket.port}"

    @property
    def ws_management_url(self) -> str:
        return f"http://{self.options.host}:{self.control.port}/{self.model.websocket_stage}"

    @property
    def web_url(self) -> str:
        return self.site.url

    def urls(self) -> dict[str, str]:
        """Where everything listens."""
        return {
            "web": self.web_url,
            "api": self.api_url,
            "websocket": self.ws_url,
            "websocket_management": self.ws_management_url,
            "lambda_invoke": f"http://{self.options.host}:{self.control.port}",
            "aws": self.moto_url,
        }

    # lifecycle ---------------------------------------------------------------------------

    def start(self) -> None:
        """Bring everything up; on failure, stop what had started and re-raise."""
        try:
            self._start()
        except BaseException:
            self.stop()
            raise

    def _start(self) -> None:
        opts = self.options
        self.moto = MotoProcess(
            opts.host,
            opts.moto_port,
            self.s3_events.receive,
            log=lambda line: self.log("aws", line),
        )
        self.moto.start()
        provision(self.model, self.moto_url)
        self._provision_parameters()

        self.websocket = WebSocketGateway(
            opts.host,
            opts.ws_port,
            set(self.model.websocket_routes),
            self._invoke_websocket_route,
            stage=self.model.websocket_stage,
        )
        self.websocket.start()
        self.control = ControlApi(
            opts.host, opts.control_port, self.websocket, self.workers, self.s3_events
        )
        self.control.start()
        self.site = StaticSite(opts.host, opts.web_port, opts.web_root)

        self._start_workers()
        self._start_pollers()
        self.http = HttpGateway(
            opts.host,
            opts.api_port,
            [Route(key, function) for key, function in self.model.http_routes.items()],
            self._invoke_http,
            cors=self.model.http_cors,
            log=lambda line: self.log("api", line),
            documents={"/openapi.json": lambda: api_document(self.model, self.api_url)},
        )
        self.http.start()
        self.site.configure(self.api_url, self.ws_url)
        self.site.start()

    def _provision_parameters(self) -> None:
        """SSM parameters the functions read (the scanner's API key), with a fresh local value."""
        names = {
            fn.environment.get("SCANNER_API_KEY_PARAM")
            for fn in self.model.functions.values()
            if fn.environment.get("SCANNER_API_KEY_PARAM")
        }
        if not names:
            return
        self.scanner_api_key = secrets.token_urlsafe(24)
        ssm = self._moto_client("ssm")
        for name in names:
            ssm.put_parameter(
                Name=name, Value=self.scanner_api_key, Type="SecureString", Overwrite=True
            )

    def _moto_client(self, service: str):
        """A boto3 client of the stack's moto, for what the stack itself sets up."""
        return boto3.client(
            service,
            endpoint_url=self.moto_url,
            region_name=self.model.region,
            aws_access_key_id="local",
            aws_secret_access_key="local",  # noqa: S106 - moto accepts any credentials
        )

    def _environment(self, function: Function) -> dict[str, str]:
        env = dict(function.environment)
        env.update(
            {
                "AWS_ENDPOINT_URL": self.moto_url,
                "AWS_ACCESS_KEY_ID": "local",
                "AWS_SECRET_ACCESS_KEY": "local",
                "AWS_SESSION_TOKEN": "local",
                "AWS_REGION": self.model.region,
                "AWS_DEFAULT_REGION": self.model.region,
                "AWS_EC2_METADATA_DISABLED": "true",
            }
        )
        if "WS_API_ENDPOINT" in env:
            env["WS_API_ENDPOINT"] = self.ws_management_url
        if function.package_type == "Image" and self.options.chromium:
            env["CHROMIUM_PATH"] = self.options.chromium
        env.update(overrides.environment_of(function, self.overrides))
        return env

    def _start_workers(self) -> None:
        zips = artifacts.zips_by_service(self.options.dist)
        code_root = self.options.state_dir / "functions"
        runtime_dir = link_runtime_packages(self.options.state_dir / "lambda-runtime")
        specs: list[tuple[FunctionSpec, int]] = []
        for service, function in sorted(self.model.functions.items()):
            target = code_root / function.name
            if function.package_type == "Image":
                code_dir = artifacts.image_tree(service, target)
            else:
                if service not in zips:
                    raise artifacts.MissingArtifact(
                        f"dist/ has no ZIP for {function.name}: run `python build.py`"
                    )
                code_dir = artifacts.extract(zips[service], target)
            spec = FunctionSpec(
                name=function.name,
                code_dir=code_dir,
                handler=function.handler,
                environment=self._environment(function),
                memory_mb=function.memory_mb,
                timeout_s=function.timeout_s,
                runtime_dir=None if function.package_type == "Image" else runtime_dir,
            )
            specs.append((spec, concurrency(function.reserved_concurrency)))
        for spec, size in specs:
            self.workers[spec.name] = FunctionPool(spec, self.log, max_workers=size)
        # The first worker of each function starts now, in parallel; the others on demand.
        threads = [threading.Thread(target=w.start) for w in self.workers.values()]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def _start_pollers(self) -> None:
        """Lambda's event source mappings: each queue feeds its function's worker pool."""
        sqs = self._moto_client("sqs")
        for mapping in self.model.event_source_mappings:
            pool = self.workers[mapping.function]
            poller = SqsPoller(
                sqs, mapping, pool.invoke, self.model.region, log=lambda s: self.log("sqs", s)
            )
            poller.start()
            self.pollers.append(poller)

    def stop(self) -> None:
        """Stop everything that started; safe to call twice."""
        for poller in self.pollers:
            poller.stop()
        self.pollers.clear()
        for component in (self.site, self.http, self.control):
            if component is not None:
                with contextlib.suppress(OSError):
                    component.stop()
        if self.websocket is not None:
            self.websocket.stop()
        # Side by side: each worker gets a grace period to exit on its own.
        stopping = [threading.Thread(target=pool.stop) for pool in self.workers.values()]
        for thread in stopping:
            thread.start()
        for thread in stopping:
            thread.join()
        self.s3_events.shutdown()
        if self.moto is not None:
            self.moto.stop()
            self.moto = None

    # dispatch ----------------------------------------------------------------------------

    def log(self, source: str, line: str) -> None:
        with self._log_lock:
            self.options.log(f"[{source}] {line}")

    def _invoke_http(self, function: str, event: dict, request_id: str) -> object:
        return self.workers[function].invoke(event, request_id)

    def _invoke_websocket_route(self, route_key: str, event: dict) -> object:
        function = self.model.websocket_routes[route_key]
        return self.workers[function].invoke(event)

    def _deliver_s3_event(self, function: str, event: dict) -> None:
        worker = self.workers.get(function)
        if worker is None:
            self.log("s3", f"notification for unknown function {function}")
            return
        # S3 invokes asynchronously; Lambda retries a failed event twice, with back-off.
        for attempt in range(3):
            try:
                worker.invoke(event)
                return
            except InvocationError as exc:
                self.log("s3", f"{function} failed on attempt {attempt + 1}: {exc}")
                time.sleep(1 + attempt)
