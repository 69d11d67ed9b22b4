"""Failed e-mails: the list an officer checks, and trying one again (queued, never sent here)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from complaints.selectors.outbox import failed_message_for, failed_messages
from complaints.services.outbox import outbox_message_retry
from complaints.views.officer.auth import officer_required

RETRY_PERMISSION = "complaints.change_case"


@require_GET
@officer_required
def failed(request):
    return render(
        request,
        "officer/failed_messages.html",
        {"failed": failed_messages(request.user)[:200], "can_retry": request.user.has_perm(RETRY_PERMISSION)},
    )


@require_POST
@officer_required
def retry(request, public_id):
    if not request.user.has_perm(RETRY_PERMISSION):
        raise PermissionDenied("Your role cannot retry e-mails.")
    try:
        public_id = uuid.UUID(str(public_id))
    except ValueError:
        raise Http404("No such message.") from None
    message = failed_message_for(request.user, public_id)
    if outbox_message_retry(message=message, actor=request.user):
        messages.success(request, f"The e-mail “{message.subject}” will be tried again.")
    return redirect("officer:failed_messages")
