"""The vendor stubs as a real server on 127.0.0.1, for browsers we cannot route from Python
(Blacklight's Puppeteer): Chromium maps every host name to this port
(`--host-resolver-rules=MAP * 127.0.0.1:<port>`), and the server speaks TLS (a throwaway
self-signed certificate) or plain HTTP on the same port, whichever the client starts with."""

from __future__ import annotations

import http.server
import shutil
import socket
import ssl
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.scanner.vendor_stubs import reply

TLS_HANDSHAKE = b"\x16"


def self_signed_tls(folder: Path, name: str = "vendor-stubs") -> ssl.SSLContext:
    """A server TLS context with a throwaway self-signed certificate (openssl) no browser trusts."""
    if not shutil.which("openssl"):
        raise RuntimeError("openssl is needed to make a self-signed certificate")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", f"/CN={name}", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:
        pass

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        scheme = "https" if isinstance(self.connection, ssl.SSLSocket) else "http"
        url = f"{scheme}://{self.headers.get('Host', '')}{self.path}"
        self.server.served.append(url)  # type: ignore[attr-defined]
        answer = reply(url)
        headers, body = answer if answer is not None else ({}, "")
        data = body.encode()
        self.send_response(200 if answer is not None else 404)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_OPTIONS = _answer


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, tls: ssl.SSLContext) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.tls = tls
        self.served: list[str] = []

    def finish_request(self, request: socket.socket, client_address: object) -> None:
        # In the request's own thread, so a slow handshake holds up no other connection.
        request.settimeout(10)
        try:
            first = request.recv(1, socket.MSG_PEEK)
            if first == TLS_HANDSHAKE:
                request = self.tls.wrap_socket(request, server_side=True)
        except OSError:
            return
        super().finish_request(request, client_address)

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hangs up mid-handshake is no news


@contextmanager
def vendor_stub_server() -> Iterator[_Server]:
    """The stub server, running; `.server_address[1]` is its port, `.served` what it answered."""
    with tempfile.TemporaryDirectory(prefix="vendor-stubs-") as folder:
        server = _Server(self_signed_tls(Path(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
