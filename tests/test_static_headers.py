"""Static files carry the same security headers as pages (WhiteNoise serves them before the CSP
and clickjacking middleware run, so these are added by WHITENOISE_ADD_HEADERS_FUNCTION)."""

import pytest

STATIC_FILES = ["/static/css/app.css", "/static/js/init.js", "/static/images/favicon.svg"]
SAME_AS_PAGES = ["X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy", "Cross-Origin-Opener-Policy"]


def _policy(header: str) -> dict[str, set[str]]:
    """A CSP header as directive -> sources, nonces left out (pages have one per response)."""
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = {source for source in sources if not source.startswith("'nonce-")}
    return directives


@pytest.mark.django_db
@pytest.mark.parametrize("path", STATIC_FILES)
def test_static_files_get_the_security_headers_of_pages(client, path):
    page = client.get("/")
    static = client.get(path)
    assert static.status_code == 200
    assert "Content-Security-Policy" in static.headers, "WhiteNoise added the policy"
    assert _policy(static.headers["Content-Security-Policy"]) == _policy(page.headers["Content-Security-Policy"])
    assert _policy(static.headers["Content-Security-Policy"])["frame-ancestors"] == {"'none'"}
    for header in SAME_AS_PAGES:
        assert static.headers.get(header) == page.headers.get(header), header
    assert static.headers["X-Frame-Options"] == "DENY"
    assert static.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_static_files_are_not_offered_to_other_origins(client):
    assert "Access-Control-Allow-Origin" not in client.get("/static/css/app.css").headers


@pytest.mark.django_db
def test_static_files_get_hsts_over_https_like_pages(client, settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    static = client.get("/static/css/app.css", secure=True)
    assert static.headers["Strict-Transport-Security"].startswith("max-age=31536000; includeSubDomains")
    assert static.headers["Strict-Transport-Security"] == client.get("/", secure=True).headers[
        "Strict-Transport-Security"
    ]
