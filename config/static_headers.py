"""The security headers of pages, on static files too.

WhiteNoise answers for /static/ before the CSP and clickjacking middleware run, so those headers
are added here (WHITENOISE_ADD_HEADERS_FUNCTION). SecurityMiddleware, which sits in front of
WhiteNoise, already adds nosniff, the referrer policy, COOP and HSTS to every response.
"""

from csp.utils import build_policy
from django.conf import settings


def static_file_headers(headers, path: str, url: str) -> None:
    # No nonce: a static file is never an inline script.
    policy = build_policy()
    if policy:
        headers["Content-Security-Policy"] = policy
    headers["X-Frame-Options"] = settings.X_FRAME_OPTIONS
    headers["X-Content-Type-Options"] = "nosniff"
    if settings.SECURE_REFERRER_POLICY:
        headers["Referrer-Policy"] = settings.SECURE_REFERRER_POLICY
