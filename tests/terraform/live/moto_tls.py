"""A moto server of the live suite's own: a separate process (its own state), behind TLS.

Real S3 evaluates `aws:SecureTransport` from the connection, so the stack's TLS-only bucket
policies allow HTTPS and refuse HTTP. moto 5.2.5 ignores `Bool` conditions altogether, which
makes its S3 deny every object request once such a policy exists. The server started here
serves HTTPS only and teaches moto that one condition key, so the policy stays in the Terraform
and behaves as on AWS: `python -m tests.terraform.live.moto_tls CERT KEY` prints its port.
"""

from __future__ import annotations

import contextlib
import datetime
import ipaddress
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
_request = threading.local()  # werkzeug serves each request on a thread of its own


def write_certificate(directory: Path) -> tuple[Path, Path]:
    """A throwaway CA and a 127.0.0.1/localhost certificate it signed: (ca.pem, server.pem).

    server.pem holds the key and the certificate; point SSL_CERT_FILE / AWS_CA_BUNDLE at ca.pem.
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "live-suite test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, key_cert_sign=True, crl_sign=True,
                content_commitment=False, key_encipherment=False, data_encipherment=False,
                key_agreement=False, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )  # fmt: skip
    key = ec.generate_private_key(ec.SECP256R1())
    server = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.ExtendedKeyUsage([x509.OID_SERVER_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    ca_path, server_path = directory / "ca.pem", directory / "server.pem"
    ca_path.write_bytes(ca.public_bytes(pem))
    server_path.write_bytes(
        key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        + server.public_bytes(pem)
    )
    return ca_path, server_path


def teach_secure_transport() -> None:
    """moto's bucket policies apply `aws:SecureTransport` conditions to the request's scheme."""
    from moto.iam.access_control import IAMPolicy, PermissionResult
    from moto.s3.models import FakeBucket

    def applies(statement: dict[str, Any], secure: bool) -> bool:
        wanted = statement.get("Condition", {}).get("Bool", {}).get("aws:SecureTransport")
        if wanted is None:
            return True
        values = wanted if isinstance(wanted, list) else [wanted]
        return str(secure).lower() in {str(v).lower() for v in values}

    def get_permission(self: FakeBucket, action: str, resource: str) -> Any:
        if self.policy is None:
            return PermissionResult.NEUTRAL
        document = json.loads(self.policy)
        statements = document["Statement"]
        statements = statements if isinstance(statements, list) else [statements]
        secure = getattr(_request, "secure", False)
        # A statement whose condition does not hold does not apply (moto would deny instead).
        document["Statement"] = [s for s in statements if applies(s, secure)]
        return IAMPolicy(json.dumps(document)).is_action_permitted(action, resource)

    FakeBucket.get_permission = get_permission


def _remember_scheme(app: Any) -> Any:
    def wsgi(environ: dict[str, Any], start_response: Any) -> Any:
        _request.secure = environ.get("wsgi.url_scheme") == "https"
        return app(environ, start_response)

    return wsgi


def serve(server_pem: Path) -> None:
    """Serve one moto over HTTPS and over plain HTTP (to show what the policy refuses) on free
    127.0.0.1 ports; the ports go to stdout as one JSON line."""
    import ssl

    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        MotoRequestHandler,
        create_backend_app,
    )
    from werkzeug.serving import make_server

    from local.aws import post_policy
    from tests.terraform.live import moto_missing

    post_policy.install()
    moto_missing.install()
    teach_secure_transport()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(server_pem)
    app = _remember_scheme(DomainDispatcherApplication(create_backend_app))
    secure = make_server(
        "127.0.0.1", 0, app, threaded=True, request_handler=MotoRequestHandler,
        ssl_context=context,
    )  # fmt: skip
    plain = make_server("127.0.0.1", 0, app, threaded=True, request_handler=MotoRequestHandler)
    threading.Thread(target=plain.serve_forever, daemon=True).start()
    ports = {"https": secure.server_address[1], "http": plain.server_address[1]}
    print(json.dumps(ports), flush=True)
    secure.serve_forever()


@dataclass(frozen=True)
class MotoServer:
    """A running server: `endpoint` is https, `plain_endpoint` the same moto over http."""

    endpoint: str
    plain_endpoint: str
    ca_bundle: Path


@contextlib.contextmanager
def moto_over_tls(directory: Path) -> Iterator[MotoServer]:
    """Start the server in a child process with its own state; stop it afterwards."""
    ca, server_pem = write_certificate(directory)
    log = (directory / "moto.log").open("wb")
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.terraform.live.moto_tls", str(server_pem)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=log,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        line = child.stdout.readline() if child.stdout else b""
        if not line:
            raise RuntimeError(f"the moto server did not start; see {directory / 'moto.log'}")
        ports = json.loads(line)
        yield MotoServer(
            f"https://127.0.0.1:{ports['https']}", f"http://127.0.0.1:{ports['http']}", ca
        )
    finally:
        child.terminate()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
        log.close()


if __name__ == "__main__":
    serve(Path(sys.argv[1]))
