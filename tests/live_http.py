"""A small HTTP client for tests against a live server: cookies, CSRF, multipart, no redirects followed.

Used where a behaviour depends on a real server (threads, sockets, concurrent requests) rather
than Django's in-process test client.
"""

from __future__ import annotations

import http.client
import re
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@dataclass
class HttpClient:
    base_url: str
    cookies: dict[str, str] = field(default_factory=dict)
    timeout: float = 30.0

    @classmethod
    def sharing_session_of(cls, base_url: str, test_client) -> HttpClient:
        """A client carrying the same cookies as a Django test client (e.g. its draft session)."""
        return cls(base_url, {name: morsel.value for name, morsel in test_client.cookies.items()})

    def _connection(self) -> http.client.HTTPConnection:
        parts = urlsplit(self.base_url)
        return http.client.HTTPConnection(parts.hostname, parts.port, timeout=self.timeout)

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> Response:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method != "GET" and "csrftoken" in self.cookies:
            headers.setdefault("X-CSRFToken", self.cookies["csrftoken"])
        connection = self._connection()
        try:
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            response = Response(raw.status, raw.headers, raw.read())
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return response

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, data: dict) -> Response:
        body = urlencode(data, doseq=True).encode()
        return self.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})

    def post_file(self, path: str, data: dict, *, field_name: str, file_name: str, content: bytes) -> Response:
        body, content_type = multipart(data, field_name=field_name, file_name=file_name, content=content)
        return self.request("POST", path, body, {"Content-Type": content_type})

    def ensure_csrf(self, path: str) -> None:
        """Fetch a page with a form so the CSRF cookie is set, as a browser would."""
        if "csrftoken" not in self.cookies:
            self.get(path)


def multipart(data: dict, *, field_name: str, file_name: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in data.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{field_name}"; filename="{file_name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def reference_in(html: str) -> str | None:
    match = re.search(r"MO-\d{4}-\d{5}", html)
    return match.group(0) if match else None
