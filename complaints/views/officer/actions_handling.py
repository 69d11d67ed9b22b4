"""Action pages for handling a case: who has it."""

from __future__ import annotations

from complaints.forms.process import AssignForm
from complaints.process import Action
from complaints.services.assignment import case_assign
from complaints.services.events import actor_label_for
from complaints.views.officer.actions import ActionPage, register


def _assign(*, form, case, user, version) -> str:
    officer = form.chosen_officer()
    changed = case_assign(case=case, officer=officer, actor=user, version=version)
    who = actor_label_for(officer) if officer is not None else "nobody"
    if not changed:
        return f"The case was already assigned to {who}"
    return f"Case {case.reference} assigned to {who}"


register(ActionPage(action=Action.ASSIGN, form=AssignForm, run=_assign, button="Assign", intro=False))
