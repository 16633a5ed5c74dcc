"""Serves web/ as CloudFront would, plus the generated config.js of this stack."""

from __future__ import annotations

import json
from functools import partial
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from string import Template

from local.gateways.background_server import BackgroundServer
from terraform_model import TERRAFORM_DIR

# Terraform renders the same template for the deployed pages (templatefile's ${name} is
# string.Template's too).
CONFIG_TEMPLATE = TERRAFORM_DIR / "templates" / "config.js.tftpl"


def config_js(api_url: str, ws_url: str) -> str:
    """The page configuration: where the HTTP and WebSocket APIs are."""
    config = json.dumps({"apiUrl": api_url, "wsUrl": ws_url})
    return Template(CONFIG_TEMPLATE.read_text()).substitute(config=config)


class _Handler(SimpleHTTPRequestHandler):
    config_body: bytes = b""

    def log_message(self, format: str, *args) -> None:  # page loads are not news
        return

    def end_headers(self) -> None:
        # A demo that changes while it runs: always revalidate.
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def do_GET(self) -> None:
        if self.path.split("?", 1)[0] == "/config.js":
            self.send_response(200)
            self.send_header("Content-Type", "text/javascript; charset=utf-8")
            self.send_header("Content-Length", str(len(self.config_body)))
            self.end_headers()
            self.wfile.write(self.config_body)
            return
        super().do_GET()


class StaticSite(BackgroundServer):
    """web/ on host:port, with /config.js generated in memory."""

    thread_name = "static-site"

    def __init__(self, host: str, port: int, root: Path) -> None:
        handler = type("Handler", (_Handler,), {})
        self._handler = handler
        self._listen(host, port, partial(handler, directory=str(root)))

    def configure(self, api_url: str, ws_url: str) -> str:
        """Set what /config.js says; returns the file's text."""
        text = config_js(api_url, ws_url)
        self._handler.config_body = text.encode("utf-8")
        return text
