"""A decision's public notice: /officer/cases/<reference>/decisions/<decision id>/notice/.

The page previews exactly what the register will show (the councillor's naming rule applied,
and why), lets the Monitoring Officer or deputy write the statement of the facts, publish the
notice and withdraw it with a reason. The decision comes from `access.decision_for` (404 for a
case the user may not see, the same as one that does not exist); everything on the page needs
`complaints.decide_case` (403 otherwise). Publishing and withdrawing need a recent password or
code (reauth_required), and complaints/services/notices.py checks the same rules again.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from complaints import access
from complaints.forms.notices import PublishForm, StatementForm, WithdrawForm
from complaints.selectors.notices import (
    content_digest,
    councillor_naming,
    decision_notice_row,
    notice_content,
    notice_view,
)
from complaints.services.notices import (
    PUBLISH_PERMISSION,
    NoticeRefused,
    notice_publish,
    notice_statement_save,
    notice_withdraw,
)
from complaints.views.officer.auth import officer_required, reauth_required


def _decision(request, reference: str, decision_id):
    decision = access.decision_for(request.user, reference, decision_id)
    if not request.user.has_perm(PUBLISH_PERMISSION):
        raise PermissionDenied("Only the Monitoring Officer and deputy publish decision notices.")
    return decision


def _page_url(decision) -> str:
    return reverse("officer:decision_notice", args=[decision.case.reference, decision.public_id])


def _render(request, decision, *, statement_form=None, withdraw_form=None, errors=None, status=200):
    notice = decision_notice_row(decision)
    published = notice is not None and notice.is_public
    content = notice.content if published else notice_content(decision)
    statement = notice.statement_of_facts if notice else ""
    context = {
        "case": decision.case,
        "decision": decision,
        "notice_row": notice,
        "published": published,
        "notice": notice_view(content),
        "naming": councillor_naming(decision),
        "digest": content_digest(content),
        "statement_form": statement_form or StatementForm(initial={"statement": statement}),
        "withdraw_form": withdraw_form or WithdrawForm(),
        "errors": errors or [],
        "form_has_errors": bool(errors),
        "officer_section": "cases",
    }
    return render(request, "officer/notice.html", context, status=status)


def _form_errors(form, anchor: str) -> list[tuple[str, str]]:
    return [(anchor, message) for messages_ in form.errors.values() for message in messages_]


@require_GET
@officer_required
def notice(request, reference, decision_id):
    return _render(request, _decision(request, reference, decision_id))


@require_POST
@officer_required
def statement(request, reference, decision_id):
    decision = _decision(request, reference, decision_id)
    form = StatementForm(request.POST)
    if form.is_valid():
        try:
            notice_statement_save(decision=decision, statement=form.cleaned_data["statement"], actor=request.user)
        except NoticeRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, "Statement of the facts saved: check the preview before you publish.")
            return redirect(_page_url(decision) + "#preview")
    return _render(request, decision, statement_form=form, errors=_form_errors(form, "id_statement"), status=400)


@require_POST
@officer_required
@reauth_required
def publish(request, reference, decision_id):
    decision = _decision(request, reference, decision_id)
    form = PublishForm(request.POST)
    errors = []
    if form.is_valid():
        try:
            notice_publish(decision=decision, actor=request.user, previewed_digest=form.cleaned_data["digest"])
        except NoticeRefused as refusal:
            errors = [("preview", refusal.message)]
        else:
            messages.success(request, "The decision notice is published on the public register.")
            return redirect(_page_url(decision))
    else:
        errors = _form_errors(form, "preview")
    return _render(request, decision, errors=errors, status=409 if form.is_valid() else 400)


@require_POST
@officer_required
@reauth_required
def withdraw(request, reference, decision_id):
    decision = _decision(request, reference, decision_id)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            notice_withdraw(decision=decision, reason=form.cleaned_data["reason"], actor=request.user)
        except NoticeRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, "The decision notice is withdrawn: it is no longer on the public register.")
            return redirect(_page_url(decision))
    return _render(request, decision, withdraw_form=form, errors=_form_errors(form, "id_reason"), status=400)
