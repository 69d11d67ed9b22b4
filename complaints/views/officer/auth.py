"""Who may enter the officer workspace.

Every officer view is wrapped in `officer_required`: signed in with a password and a code
(two-factor, django-otp), and in one of the workspace's roles. Views that do something sensitive
are also wrapped in `reauth_required`, which asks for the password or a code again when the last
one was given more than OFFICER_REAUTH_MINUTES ago. What a signed-in officer then sees is decided
by `complaints.access`, never here.
"""

from __future__ import annotations

import time
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from complaints.roles import is_officer

# Session keys: when the password or a code was last given (seconds since the epoch).
AUTHENTICATED_AT = "officer_authenticated_at"


def mark_authenticated(request) -> None:
    """Record that the user has just proved who they are (sign-in or re-authentication)."""
    request.session[AUTHENTICATED_AT] = time.time()


def recently_authenticated(request) -> bool:
    at = request.session.get(AUTHENTICATED_AT)
    return isinstance(at, int | float) and time.time() - at <= settings.OFFICER_REAUTH_MINUTES * 60


def safe_next(request, candidate: str | None, default: str = "") -> str:
    """`candidate` if it is a path on this site, else `default` (the dashboard when empty)."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default or reverse("officer:dashboard")


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({REDIRECT_FIELD_NAME: next_url})}"


def signin_step_url(request, next_url: str) -> str:
    """Where a signed-in user without a verified code goes next: enrol an app, or enter a code."""
    from complaints.services.two_factor import has_authenticator

    name = "officer:verify" if has_authenticator(request.user) else "officer:enrol"
    return _with_next(reverse(name), next_url)


def officer_required(view):
    """Signed in, verified with a code, and in one of the workspace's roles."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("officer:login"))
        if not user.is_verified():
            return redirect(signin_step_url(request, request.get_full_path()))
        if not is_officer(user):
            raise PermissionDenied("Your account has no role in the officer workspace.")
        return view(request, *args, **kwargs)

    return wrapper


def _return_to(request) -> str:
    """Where to come back after re-authenticating: the page itself for a GET; for a form that
    was posted, the page the form was on (its data cannot be carried through a redirect)."""
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    referer = request.META.get("HTTP_REFERER", "")
    if referer:
        host = request.get_host()
        for scheme in ("https://", "http://"):
            if referer.startswith(f"{scheme}{host}/"):
                return safe_next(request, referer[len(scheme) + len(host) :])
    return reverse("officer:dashboard")


def reauth_required(view):
    """Before a sensitive action: the password or a code given within OFFICER_REAUTH_MINUTES.

    Use inside `officer_required`. Otherwise the user is sent to re-authenticate and then back.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not recently_authenticated(request):
            return redirect(_with_next(reverse("officer:reauthenticate"), _return_to(request)))
        return view(request, *args, **kwargs)

    return wrapper
