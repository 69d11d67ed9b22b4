"""Request guards, and the client's address when the app sits behind the full stack's proxy."""

import ipaddress
import logging
import re

from django.conf import settings
from django.shortcuts import render

from config.uploads import BODY_TOO_LARGE

logger = logging.getLogger(__name__)

# C0 and C1 control characters other than the tab and line breaks a text area may hold: never
# part of a search or a link anyone typed, and NUL is refused by PostgreSQL with a server error.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _too_large(request):
    return render(
        request,
        "413.html",
        {"limit_megabytes": settings.MAX_REQUEST_BODY_BYTES // (1024 * 1024)},
        status=413,
    )


class RequestBodyLimitMiddleware:
    """Refuses a request body over MAX_REQUEST_BODY_BYTES before any of it is parsed.

    A declared length over the cap is answered at once, unread; a body that grows past the cap
    while it streams in is stopped by config.uploads.BodyLimitUploadHandler and answered here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > settings.MAX_REQUEST_BODY_BYTES:
            logger.warning("Request body of %s bytes refused on %s", declared, request.path)
            # WSGI leaves the connection to the server: gunicorn closes it after the answer, and
            # the proxy refuses such a body before it gets here.
            return _too_large(request)
        if request.method == "POST":
            request.POST  # noqa: B018 - parse now, under the handler's cap, so a stopped body is seen here
            if getattr(request, "refused_upload", "") == BODY_TOO_LARGE:
                logger.warning("Request body over the cap stopped while streaming on %s", request.path)
                return _too_large(request)
        return self.get_response(request)


class ControlCharacterMiddleware:
    """Answers 400 when a query parameter (name or value), or a form field's name, holds a
    control character, so none reaches a search, a filter or the database.

    A form field's value is left to its form: every text answer refuses these characters with
    a message naming the answer (complaints/forms/public.py), and every Django text field refuses
    NUL, so a complainant who pasted one is told what to fix rather than shown an error page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refused = _has_control_character(request.GET.lists())
        if not refused and request.method == "POST":
            refused = _has_control_character((name, []) for name in request.POST)
        if refused:
            logger.warning("Control character in the parameters of %s refused", request.path)
            return render(request, "400.html", status=400)
        return self.get_response(request)


def _has_control_character(params) -> bool:
    return any(
        CONTROL_CHARACTERS.search(name) or any(CONTROL_CHARACTERS.search(value) for value in values)
        for name, values in params
    )


class ProxiedClientAddressMiddleware:
    """The client's address when the app sits behind the full stack's proxy.

    Behind Caddy every connection comes from the proxy, so REMOTE_ADDR would name the proxy for
    every visitor and per-client limits would count the whole public together. The proxy puts the
    address it saw in X-Real-IP, replacing whatever the client sent (Caddyfile). This middleware is
    installed only when BEHIND_TLS_PROXY=1, i.e. when nothing but the proxy can reach the app.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        address = request.META.get("HTTP_X_REAL_IP", "").strip()
        try:
            ipaddress.ip_address(address)
        except ValueError:
            pass  # absent or malformed: keep the connection's own address
        else:
            request.META["REMOTE_ADDR"] = address
        return self.get_response(request)
