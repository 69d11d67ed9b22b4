"""The gate every action of the process goes through (the stage machine is complaints/process.py).

An action's service calls `action_begin` first, inside its transaction. It locks the case row, so
two officers acting on one case at once are taken one after the other, and refuses, with a
message for the officer, an action that:
- the user may not take (their role, or no access to the case: a conflict of interest removes it);
- the case's stage does not allow (it may have moved since the page was loaded);
- was prepared on an older version of the case than the one now stored (someone else changed it
  in between): the form is shown again with what the officer typed, and the message.
Each action that passes bumps the case's version, so a form prepared before it is stale.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from complaints import access
from complaints.models import Case, Stage
from complaints.process import TABLE, Action


class ActionRefused(Exception):
    """An action the process does not allow now. `code` says why: role, access, stage or stale."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


STALE_MESSAGE = (
    "Someone else changed this case while you were working on it. Nothing you entered has been lost: "
    "check the case page for what changed, then submit again"
)


def action_begin(*, case: Case, action: str, actor, version: int | None = None) -> Case:
    """Lock the case and check that `actor` may take `action` on it now; return the locked case
    with its version already bumped. Call inside transaction.atomic (the lock lasts until commit).

    `version` is the case version the officer's form was prepared on; None skips that check (for
    actions taken by the system, not from a form).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("action_begin must be called inside a transaction")
    rule = TABLE[action]
    label = Action(action).label
    if actor is not None:
        if not actor.has_perm(rule.permission):
            raise ActionRefused(f"Your role cannot do this: {label.lower()}", code="role")
        if not access.cases_for(actor).filter(pk=case.pk).exists():
            raise ActionRefused("You cannot act on this case", code="access")
    locked = Case.objects.select_for_update(of=("self",)).select_related("authority").get(pk=case.pk)
    if version is not None and locked.version != version:
        raise ActionRefused(STALE_MESSAGE, code="stale")
    if locked.stage not in rule.stages:
        stage = Stage(locked.stage).label.lower()
        raise ActionRefused(
            f"The case is at the {stage} stage, where you cannot {label[0].lower()}{label[1:]}", code="stage"
        )
    Case.objects.filter(pk=locked.pk).update(version=F("version") + 1)
    locked.version += 1
    case.version = locked.version
    return locked
