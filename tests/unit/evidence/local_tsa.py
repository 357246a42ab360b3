"""A throwaway RFC 3161 time-stamping authority for tests: ``openssl ts -reply`` behind a tiny HTTP server.

``running_tsa(folder)`` makes a CA and a TSA certificate (extendedKeyUsage critical timeStamping,
as RFC 3161 requires), serves ``POST /`` on 127.0.0.1 in a thread, and yields a ``LocalTsa``
with the URL and the CA file to check its answers against. ``down_url()`` is an address where
nothing answers.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

_TS_CONFIG = """\
[ tsa ]
default_tsa = tsa_config

[ tsa_config ]
dir = {folder}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.pem
certs = $dir/ca.pem
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.3.6.1.4.1.99999.1
other_policies = 1.3.6.1.4.1.99999.2
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = no
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""

_TSA_EXTENSIONS = """\
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature, nonRepudiation
extendedKeyUsage = critical, timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
"""


@dataclass
class LocalTsa:
    url: str
    ca_file: Path
    requests: list[bytes]


def _openssl(*args: str | Path) -> None:
    subprocess.run(["openssl", *map(str, args)], check=True, capture_output=True)


def make_authority(folder: Path, *, name: str = "Test TSA") -> Path:
    """Make a CA, a TSA certificate and an ``openssl ts`` configuration in ``folder``; returns the last."""
    folder.mkdir(parents=True, exist_ok=True)
    _openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", folder / "ca.key")
    _openssl(
        "req", "-x509", "-new", "-key", folder / "ca.key", "-out", folder / "ca.pem", "-days", "2",
        "-subj", f"/CN={name} root", "-addext", "basicConstraints=critical,CA:true",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
    )  # fmt: skip
    _openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", folder / "tsa.key")
    _openssl("req", "-new", "-key", folder / "tsa.key", "-out", folder / "tsa.csr", "-subj", f"/CN={name}")
    (folder / "tsa.ext").write_text(_TSA_EXTENSIONS)
    _openssl(
        "x509", "-req", "-in", folder / "tsa.csr", "-CA", folder / "ca.pem", "-CAkey", folder / "ca.key",
        "-CAcreateserial", "-out", folder / "tsa.pem", "-days", "2", "-extfile", folder / "tsa.ext",
    )  # fmt: skip
    (folder / "serial").write_text("01\n")
    config = folder / "ts.cnf"
    config.write_text(_TS_CONFIG.format(folder=folder))
    return config


def _handler(config: Path, requests: list[bytes]):
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            requests.append(body)
            with lock, tempfile.TemporaryDirectory() as work:
                query, reply = Path(work) / "q.tsq", Path(work) / "r.tsr"
                query.write_bytes(body)
                done = subprocess.run(
                    ["openssl", "ts", "-reply", "-config", str(config), "-queryfile", str(query),
                     "-out", str(reply)],
                    capture_output=True,
                )  # fmt: skip
                answer = reply.read_bytes() if done.returncode == 0 and reply.exists() else b""
            if not answer:
                self.send_response(500)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *_args) -> None:
            return

    return Handler


@contextlib.contextmanager
def running_tsa(folder: Path) -> Iterator[LocalTsa]:
    config = make_authority(folder)
    requests: list[bytes] = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(config, requests))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LocalTsa(url=f"http://127.0.0.1:{server.server_address[1]}/", ca_file=folder / "ca.pem",
                       requests=requests)  # fmt: skip
    finally:
        server.shutdown()
        server.server_close()


def down_url() -> str:
    """A local address where nothing listens: a port bound and closed again."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/"
