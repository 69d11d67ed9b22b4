"""Pausing and resuming a case's clock from the case page (services/clocks.py does the work).

The case comes from `access.case_for` (404 when the user may not see it), the clock from that
case's own clocks (404 otherwise), and changing a clock needs the right to change the case.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from complaints import access
from complaints.forms.case import ClockPauseForm
from complaints.models import Deadline
from complaints.services.clocks import ClockError, clock_pause, clock_resume
from complaints.views.officer.auth import officer_required

CHANGE_PERMISSION = "complaints.change_case"


def _clock(request, reference: str, deadline_id: int) -> tuple:
    case = access.case_for(request.user, reference)
    try:
        deadline = Deadline.objects.select_related("case__authority").get(pk=deadline_id, case=case)
    except Deadline.DoesNotExist:
        raise Http404("No such clock.") from None
    if not request.user.has_perm(CHANGE_PERMISSION):
        raise PermissionDenied("Your role cannot change a case's clocks.")
    return case, deadline


def _back(case) -> str:
    return reverse("officer:case", args=[case.reference]) + "#deadlines"


@require_http_methods(["GET", "POST"])
@officer_required
def pause(request, reference, deadline_id):
    case, deadline = _clock(request, reference, deadline_id)
    form = ClockPauseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            clock_pause(deadline, form.cleaned_data["reason"], request.user)
        except ClockError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"The {deadline.get_kind_display().lower()} clock is paused.")
            return redirect(_back(case))
    status = 400 if form.errors else 200
    context = {"case": case, "deadline": deadline, "form": form, "form_has_errors": bool(form.errors)}
    return render(request, "officer/clock_pause.html", context, status=status)


@require_POST
@officer_required
def resume(request, reference, deadline_id):
    case, deadline = _clock(request, reference, deadline_id)
    try:
        deadline = clock_resume(deadline, request.user)
    except ClockError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, f"The {deadline.get_kind_display().lower()} clock has restarted: due {deadline.due_on:%-d %B %Y}."
        )
    return redirect(_back(case))
