"""Tools of the officer workspace: the working-day calculator."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from complaints.forms.officer_tools import WorkingDaysForm
from complaints.services.working_days import calendar_for, due_date
from complaints.views.officer.auth import officer_required


@require_GET
@officer_required
def working_days(request):
    """Start date, number of working days, nation and optional council: the due date and how."""
    asked = bool(request.GET)
    form = WorkingDaysForm(request.GET if asked else None)
    result = None
    if asked and form.is_valid():
        data = form.cleaned_data
        calendar = calendar_for(data["authority"], nation=data["nation"])
        result = due_date(data["start"], data["days"], calendar=calendar)
    status = 400 if asked and form.errors else 200
    return render(
        request,
        "officer/tools/working_days.html",
        {"form": form, "result": result, "errors": form.error_list() if asked else [], "officer_section": "tools"},
        status=status,
    )
