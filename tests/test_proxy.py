"""The reverse proxy of the full stack (Caddyfile), run for real with Debian's Caddy in front of a
small upstream that echoes what reaches it: TLS with a local certificate, http redirected to
https, request bodies capped, security headers on every response, the client address passed on."""

import http.client
import json
import os
import shutil
import socket
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
CAP = 64 * 1024
REQUIRED = os.environ.get("REQUIRE_SERVICES", "") in {"1", "true", "yes"}


def _caddy() -> str:
    path = shutil.which("caddy")
    if path is None:
        if REQUIRED:
            pytest.fail("caddy is not installed (apt-get install caddy)")
        pytest.skip("caddy is not installed (apt-get install caddy); set REQUIRE_SERVICES=1 to fail")
    return path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Echo(BaseHTTPRequestHandler):
    """Answers with the headers and body size it received; /csp answers with a policy of its own."""

    def _read_chunked(self) -> int:
        received = 0
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                self.rfile.readline()
                return received
            received += len(self.rfile.read(size))
            self.rfile.readline()

    def _answer(self):
        # Like gunicorn under Django, the whole body is read, whichever way it was sent.
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            received = self._read_chunked()
        else:
            length = int(self.headers.get("Content-Length") or 0)
            received = len(self.rfile.read(length)) if length else 0
        body = json.dumps({"headers": dict(self.headers), "received": received}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        if self.path == "/csp":
            self.send_header("Content-Security-Policy", "default-src 'self'; script-src 'self' 'nonce-abc'")
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args):
        pass


def caddy_env(tmp_path: Path, **values) -> dict:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    env.update(values)
    return env


@pytest.fixture(scope="module")
def proxy(tmp_path_factory):
    caddy = _caddy()
    tmp_path = tmp_path_factory.mktemp("caddy")
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    https_port, http_port, health_port = _free_port(), _free_port(), _free_port()
    env = caddy_env(
        tmp_path,
        SITE_ADDRESS=f"localhost:{https_port}",
        HTTPS_PORT=str(https_port),
        HTTP_PORT=str(http_port),
        HEALTH_PORT=str(health_port),
        UPSTREAM=f"127.0.0.1:{upstream.server_address[1]}",
        MAX_REQUEST_BODY_BYTES=str(CAP),
    )
    process = subprocess.Popen(
        [caddy, "run", "--config", str(BASE_DIR / "Caddyfile"), "--adapter", "caddyfile"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    root = tmp_path / "data" / "caddy" / "pki" / "authorities" / "local" / "root.crt"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, process.stderr.read()
            try:
                context = ssl.create_default_context(cafile=str(root))
                connection = http.client.HTTPSConnection("localhost", https_port, context=context, timeout=5)
                connection.request("GET", "/")
                connection.getresponse().read()
                break
            except (OSError, ssl.SSLError, http.client.HTTPException):
                assert time.monotonic() < deadline, "Caddy did not serve https in time"
                time.sleep(0.3)
        yield {"https": https_port, "http": http_port, "health": health_port, "context": context}
    finally:
        process.terminate()
        process.wait(timeout=30)
        upstream.shutdown()


def request(proxy, method, path, body=None, headers=None):
    connection = http.client.HTTPSConnection("localhost", proxy["https"], context=proxy["context"], timeout=30)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    return response, response.read()


def test_the_caddyfile_is_valid_for_local_tls_a_public_name_and_plain_http(tmp_path):
    caddy = _caddy()
    for values in (
        {},
        {"SITE_ADDRESS": "standards.example.gov.uk", "CADDY_TLS": "standards@example.gov.uk"},
        {"SITE_ADDRESS": "http://standards.example.gov.uk"},
    ):
        result = subprocess.run(
            [caddy, "validate", "--config", str(BASE_DIR / "Caddyfile"), "--adapter", "caddyfile"],
            env=caddy_env(tmp_path, **values),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, (values, result.stderr[-2000:])
        assert "Valid configuration" in result.stdout + result.stderr


def test_it_serves_https_with_a_certificate_from_its_local_authority(proxy):
    response, body = request(proxy, "GET", "/")
    assert response.status == 200
    assert json.loads(body)["headers"]["X-Forwarded-Proto"] == "https"


def test_it_redirects_plain_http_to_https(proxy):
    connection = http.client.HTTPConnection("localhost", proxy["http"], timeout=10)
    connection.request("GET", "/complain/?x=1")
    response = connection.getresponse()
    assert response.status in (301, 308)
    # The redirect names the standard https port, which compose publishes (443:443).
    assert response.getheader("Location") == "https://localhost/complain/?x=1"


def test_it_adds_the_security_headers_to_every_response(proxy):
    response, _ = request(proxy, "GET", "/")
    assert response.getheader("Strict-Transport-Security") == "max-age=31536000; includeSubDomains"
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.getheader("X-Frame-Options") == "DENY"
    assert response.getheader("Referrer-Policy") == "same-origin"
    assert "frame-ancestors 'none'" in response.getheader("Content-Security-Policy")
    assert response.getheader("Server") is None


def test_it_keeps_the_apps_own_content_security_policy(proxy):
    response, _ = request(proxy, "GET", "/csp")
    policies = [value for name, value in response.getheaders() if name == "Content-Security-Policy"]
    assert policies == ["default-src 'self'; script-src 'self' 'nonce-abc'"]


def test_it_refuses_a_request_body_over_the_cap(proxy):
    response, body = request(proxy, "POST", "/complain/evidence/", body=b"x" * (CAP + 1))
    assert response.status == 413
    assert b"What you sent is too large" in body
    assert response.getheader("X-Frame-Options") == "DENY"


def test_it_refuses_a_chunked_body_once_it_passes_the_cap(proxy):
    def chunks():
        for _ in range(CAP // 1024 + 8):
            yield b"x" * 1024

    connection = http.client.HTTPSConnection("localhost", proxy["https"], context=proxy["context"], timeout=30)
    connection.request("POST", "/complain/evidence/", body=chunks(), encode_chunked=True)
    response = connection.getresponse()
    assert response.status == 413
    assert b"What you sent is too large" in response.read()


def test_it_passes_a_body_at_the_cap(proxy):
    response, body = request(proxy, "POST", "/complain/evidence/", body=b"x" * CAP)
    assert response.status == 200
    assert json.loads(body)["received"] == CAP


def test_it_passes_on_the_client_address_it_saw_not_one_the_client_claims(proxy):
    response, body = request(proxy, "GET", "/", headers={"X-Real-IP": "203.0.113.9", "X-Forwarded-For": "203.0.113.9"})
    headers = json.loads(body)["headers"]
    assert headers["X-Real-Ip"] == "127.0.0.1"
    assert headers["X-Forwarded-For"] == "127.0.0.1"


def test_its_healthcheck_answers_on_loopback(proxy):
    connection = http.client.HTTPConnection("127.0.0.1", proxy["health"], timeout=10)
    connection.request("GET", "/healthz")
    response = connection.getresponse()
    assert (response.status, response.read()) == (200, b"ok")
