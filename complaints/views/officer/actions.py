"""The actions of the process on a case: /officer/cases/<reference>/actions/<action>/.

One view serves every action. Each action is registered here with its form and a `run` function
that calls the action's one service; the view does the rest the same way for all of them:
- the case comes from `access.case_for` (404 for a case the user may not see);
- only an action the stage machine allows this user at the case's stage is shown (else 403 with
  the reason, or, for a stage that has moved on, the case page with the reason);
- the form carries the case version it was prepared on; a refused action (someone else changed
  the case, the stage moved, ...) shows the form again with everything the officer typed and the
  reason, GOV.UK style, and nothing is saved;
- a done action goes back to the case page with a success message.
Every action is a sensitive one: it needs a recent password or code (reauth_required).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from complaints import access
from complaints.models import Case
from complaints.process import TABLE, Action, actions_allowed
from complaints.services.process import ActionRefused
from complaints.views.officer.auth import officer_required, reauth_required


@dataclass(frozen=True)
class ActionPage:
    """How one action is offered: its form, what runs it, and the words around it.

    `form(case=..., user=..., data=...)` builds the form; `run(form=..., case=..., user=...,
    version=...)` calls the action's service and returns the success message. With `intro`, the
    page shows templates/officer/actions/<action>.html above the form (what the law and the
    council's procedure ask at that step).
    `success_url(case=..., user=...)`, if given, says where to go once it is done (by default the
    case page; an officer who has just lost access to the case goes elsewhere).
    """

    action: str
    form: Callable[..., forms.Form]
    run: Callable[..., str]
    button: str
    intro: bool = True
    extra_context: Callable[..., dict] = field(default=lambda **kwargs: {})
    success_url: Callable[..., str] | None = None

    @property
    def intro_template(self) -> str:
        return f"officer/actions/{self.action}.html" if self.intro else ""


PAGES: dict[str, ActionPage] = {}


def register(page: ActionPage) -> ActionPage:
    if page.action not in TABLE:
        raise ValueError(f"{page.action!r} is not an action of the stage machine")
    PAGES[page.action] = page
    return page


def case_actions(case: Case, user) -> list[dict]:
    """The actions the case page offers this user: those the stage machine allows, in its order."""
    return [
        {
            "action": action,
            "label": Action(action).label,
            "url": reverse("officer:case_action", args=[case.reference, action]),
        }
        for action in actions_allowed(case, user)
        if action in PAGES
    ]


def _page_for(request, reference: str, action: str) -> tuple[Case, ActionPage]:
    case = access.case_for(request.user, reference)
    page = PAGES.get(action)
    if page is None:
        raise Http404("No such action.")
    if not request.user.has_perm(TABLE[action].permission):
        raise PermissionDenied(f"Your role cannot do this: {Action(action).label.lower()}.")
    return case, page


@require_http_methods(["GET", "POST"])
@officer_required
@reauth_required
def action(request, reference, action):
    case, page = _page_for(request, reference, action)
    label = Action(action).label
    if request.method == "GET" and case.stage not in TABLE[action].stages:
        messages.error(
            request,
            f"The case is at the {case.get_stage_display().lower()} stage: "
            f"{label[0].lower()}{label[1:]} is not possible now.",
        )
        return redirect(reverse("officer:case", args=[case.reference]) + "#actions")
    form = page.form(case=case, user=request.user, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                message = page.run(form=form, case=case, user=request.user, version=form.cleaned_data["version"])
        except ActionRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, message)
            if page.success_url is not None:
                return redirect(page.success_url(case=case, user=request.user))
            return redirect(reverse("officer:case", args=[case.reference]) + "#actions")
    context = {
        "case": case,
        "form": form,
        "page": page,
        "title": label,
        "officer_section": "cases",
        **page.extra_context(case=case, user=request.user, form=form),
    }
    return render(request, "officer/action.html", context, status=400 if form.errors else 200)


# The actions' pages register themselves when their modules load.
from complaints.views.officer import actions_decisions, actions_handling, actions_intake  # noqa: E402, F401
