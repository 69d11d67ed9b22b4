"""Signing officers out after a period without activity (OFFICER_IDLE_MINUTES)."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from config.log_privacy import mask_emails

LAST_SEEN = "officer_last_seen"
# Where a timed-out request is sent to sign in again; elsewhere it simply carries on signed out.
SIGNED_IN_AREAS = ("/officer/", "/admin/", "/evidence/")
# The session is written at most this often just to note activity (each write is a database row
# update), so the timeout is exact to within this many seconds.
_TOUCH_EVERY_SECONDS = 30

logger = logging.getLogger("complaints.signin")


class OfficerIdleTimeoutMiddleware:
    """Only signed-in sessions are looked at, so a visitor reading public pages gets no session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            idle_limit = settings.OFFICER_IDLE_MINUTES * 60
            last_seen = request.session.get(LAST_SEEN)
            if isinstance(last_seen, int | float) and now - last_seen > idle_limit:
                username = user.get_username()
                logout(request)
                logger.info(
                    "Signed out %s after %d minutes without activity",
                    mask_emails(username),
                    settings.OFFICER_IDLE_MINUTES,
                )
                messages.info(
                    request,
                    f"You were signed out because you had not used the service for "
                    f"{settings.OFFICER_IDLE_MINUTES} minutes. Sign in again to carry on.",
                )
                if request.path.startswith(SIGNED_IN_AREAS):
                    # A form posted after the timeout cannot be replayed; its page can be shown.
                    next_url = request.get_full_path() if request.method in ("GET", "HEAD") else ""
                    return redirect_to_login(next_url, reverse("officer:login"))
            elif not isinstance(last_seen, int | float) or now - last_seen >= _TOUCH_EVERY_SECONDS:
                request.session[LAST_SEEN] = now
                # The session row itself expires too, so an abandoned session is not kept.
                request.session.set_expiry(idle_limit + _TOUCH_EVERY_SECONDS)
        return self.get_response(request)
