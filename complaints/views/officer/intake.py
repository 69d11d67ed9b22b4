"""Pages beside the actions of the stage machine: the consulted Independent Person's own page for
their view (/officer/cases/<reference>/consultation/), and the Monitoring Officer's record that
a complainant is treated as vexatious or persistent (/officer/cases/<reference>/complainants/restrict/)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from complaints import access
from complaints.forms.process_intake import ConsultationViewForm, RestrictComplainantForm
from complaints.models import Consultation
from complaints.services.complainants import PERMISSION as RESTRICT_PERMISSION
from complaints.services.complainants import complainant_restrict
from complaints.services.consultations import ConsultationError, ip_view_record
from complaints.services.process import ActionRefused
from complaints.views.officer.auth import officer_required, reauth_required


@require_http_methods(["GET", "POST"])
@officer_required
@reauth_required
def consultation(request, reference):
    """Only the Independent Person consulted on the case has this page (404 for anyone else)."""
    case = access.case_for(request.user, reference)
    try:
        consulted = Consultation.objects.select_related("requested_by").get(case=case, independent_person=request.user)
    except Consultation.DoesNotExist:
        raise Http404("No consultation.") from None
    form = ConsultationViewForm(request.POST if request.method == "POST" and not consulted.view_recorded_at else None)
    if request.method == "POST" and consulted.view_recorded_at is None and form.is_valid():
        try:
            ip_view_record(consultation=consulted, view=form.cleaned_data["view"], actor=request.user)
        except ConsultationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Your view on case {case.reference} is recorded. Thank you.")
            return redirect(reverse("officer:consultation", args=[case.reference]))
    context = {"case": case, "consultation": consulted, "form": form, "officer_section": "cases"}
    return render(request, "officer/consultation.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@officer_required
@reauth_required
def restrict_complainant(request, reference):
    case = access.case_for(request.user, reference)
    if not request.user.has_perm(RESTRICT_PERMISSION):
        raise PermissionDenied("Only the Monitoring Officer or deputy can restrict a complainant's contact.")
    data = request.POST if request.method == "POST" else None
    initial = {"complaint": request.GET.get("complaint")} if request.GET.get("complaint") else None
    form = RestrictComplainantForm(data, case=case, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                restriction = complainant_restrict(
                    case=case,
                    complaint=form.chosen_complaint(),
                    kind=form.cleaned_data["kind"],
                    reason=form.cleaned_data["reason"],
                    ip_view=form.cleaned_data["ip_view"],
                    review_on=form.cleaned_data["review_on"],
                    actor=request.user,
                    version=form.cleaned_data["version"],
                )
        except ActionRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(
                request,
                f"The complainant of {form.chosen_complaint().reference} is recorded as "
                f"{restriction.get_kind_display().lower()}; review by {restriction.review_on:%-d %B %Y}",
            )
            return redirect(reverse("officer:case_complaints", args=[case.reference]) + "#complainants")
    context = {"case": case, "form": form, "officer_section": "cases"}
    return render(request, "officer/restrict_complainant.html", context, status=400 if form.errors else 200)
