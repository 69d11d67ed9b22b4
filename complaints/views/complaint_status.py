"""'Check your complaint': a complainant asks for a single-use link by reference and e-mail address,
and the link shows where their complaint has got to.

The request page says the same thing whether or not the reference exists or matches, and is
rate-limited per connection and per reference (failing open when the cache is down, as the
complaint form does). The link is used up when the complainant presses its button (a link
scanner fetching the e-mail's links only sees the button), and grants this browser session a
short look at that one complaint.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.core import is_ratelimited

from complaints.forms.complaint_status import CheckYourComplaintForm
from complaints.models import Complaint
from complaints.selectors.complaint_status import complaint_status
from complaints.services.access_links import (
    LINK_VALID_FOR,
    LinkRefused,
    access_link_check,
    access_link_redeem,
    access_link_request,
)

logger = logging.getLogger(__name__)

SESSION_KEY = "complaint_status"
SESSION_VIEW_FOR = timedelta(hours=1)
TOKEN_MAX = 100


def _limited(request, reference: str) -> bool:
    by_connection = is_ratelimited(
        request,
        group="complaint-check",
        key="ip",
        rate=settings.COMPLAINT_CHECK_RATE_LIMIT,
        method="POST",
        increment=True,
    )
    by_reference = is_ratelimited(
        request,
        group="complaint-check-reference",
        key=lambda group, request: reference,
        rate=settings.COMPLAINT_CHECK_REFERENCE_RATE_LIMIT,
        method="POST",
        increment=True,
    )
    return by_connection or by_reference


@never_cache
@require_http_methods(["GET", "POST"])
def start(request):
    form = CheckYourComplaintForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if _limited(request, form.cleaned_data["reference"]):
            return render(request, "public/check/rate_limited.html", status=429)
        sent = access_link_request(reference=form.cleaned_data["reference"], email=form.cleaned_data["email"])
        logger.info("Check-your-complaint link %s", "sent" if sent else "not sent (no match)")
        return redirect("complaint_status:sent")
    return render(
        request,
        "public/check/start.html",
        {"form": form, "form_has_errors": bool(form.errors)},
        status=400 if form.errors else 200,
    )


@require_GET
def sent(request):
    return render(request, "public/check/sent.html", {"valid_hours": int(LINK_VALID_FOR.total_seconds() // 3600)})


def _refused(request, reason: LinkRefused):
    return render(request, "public/check/refused.html", {"reason": reason.value}, status=410)


@never_cache
@require_http_methods(["GET", "POST"])
def link(request, token: str):
    if len(token) > TOKEN_MAX:
        return _refused(request, LinkRefused.UNKNOWN)
    if request.method == "GET":
        found = access_link_check(token=token)
        if isinstance(found, LinkRefused):
            return _refused(request, found)
        return render(request, "public/check/link.html")
    found = access_link_redeem(token=token)
    if isinstance(found, LinkRefused):
        return _refused(request, found)
    request.session.cycle_key()
    request.session[SESSION_KEY] = {
        "complaint": found.pk,
        "until": (timezone.now() + SESSION_VIEW_FOR).isoformat(),
    }
    return redirect("complaint_status:status")


@never_cache
@require_GET
def status(request):
    grant = request.session.get(SESSION_KEY) or {}
    until = grant.get("until")
    if not until or datetime.fromisoformat(until) <= timezone.now():
        request.session.pop(SESSION_KEY, None)
        return render(request, "public/check/refused.html", {"reason": "session"}, status=403)
    complaint = Complaint.objects.select_related("case", "authority").filter(pk=grant.get("complaint")).first()
    if complaint is None:
        return render(request, "public/check/refused.html", {"reason": "session"}, status=403)
    return render(request, "public/check/status.html", {"status": complaint_status(complaint)})
