"""Publishing decision notices on the public register, and withdrawing them.

Only the Monitoring Officer and deputy (`complaints.decide_case`) who may see the case publish or
withdraw its notices. Publishing freezes the notice as `notice_content` gives it at that moment
(the officer's preview carries its digest, so what was previewed is what is published) and
renders its PDF from the same frozen content. Each step is recorded on the case's timeline.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from complaints import access
from complaints.models import Case, DeadlineKind, Decision, DecisionNotice, EventKind
from complaints.selectors.notices import content_digest, notice_content
from complaints.services.clocks import clocks_meet_recorded
from complaints.services.events import event_record

PUBLISH_PERMISSION = "complaints.decide_case"
STATEMENT_MAX = DecisionNotice._meta.get_field("statement_of_facts").max_length
REASON_MAX = DecisionNotice._meta.get_field("withdrawal_reason").max_length


class NoticeRefused(Exception):
    """The notice cannot be changed as asked. `code` says why: role, access, state or changed."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


CHANGED_MESSAGE = (
    "The notice changed after you previewed it (someone edited the decision or the statement of the "
    "facts). Nothing has been published: check the preview below, then publish again"
)


def _begin(*, decision: Decision, actor) -> tuple[Decision, DecisionNotice]:
    """Check the actor may act, lock the case (one change to its notices at a time) and return the
    decision and its notice row (created empty if missing)."""
    if not actor.has_perm(PUBLISH_PERMISSION):
        raise NoticeRefused("Your role cannot publish or withdraw decision notices", code="role")
    if not access.can_see_case(actor, decision.case):
        raise NoticeRefused("You cannot act on this case", code="access")
    Case.objects.select_for_update(of=("self",)).only("pk").get(pk=decision.case_id)
    decision = Decision.objects.select_related("case__authority__parent", "decided_by").get(pk=decision.pk)
    notice, _ = DecisionNotice.objects.get_or_create(decision=decision)
    notice = DecisionNotice.objects.select_for_update().get(pk=notice.pk)
    return decision, notice


@transaction.atomic
def notice_statement_save(*, decision: Decision, statement: str, actor) -> DecisionNotice:
    """Save the statement of the facts to publish (empty: use the one generated from the case)."""
    statement = (statement or "").strip()
    if len(statement) > STATEMENT_MAX:
        raise NoticeRefused(f"The statement of the facts must be {STATEMENT_MAX} characters or fewer", code="state")
    decision, notice = _begin(decision=decision, actor=actor)
    if notice.is_public:
        raise NoticeRefused(
            "The notice is published: withdraw it before changing the statement of the facts", code="state"
        )
    if notice.statement_of_facts == statement:
        return notice
    notice.statement_of_facts = statement
    notice.save(update_fields=["statement_of_facts"])
    event_record(
        case=decision.case,
        kind=EventKind.CASE_UPDATED,
        description="Statement of the facts for the decision notice "
        + ("saved" if statement else "cleared: the generated statement will be used"),
        actor=actor,
        details={"decision": str(decision.public_id), "notice": str(notice.public_id)},
    )
    return notice


def notice_publish(
    *, decision: Decision, actor, previewed_digest: str | None = None, now: datetime | None = None
) -> DecisionNotice:
    """Publish the decision's notice on the register, frozen as it reads now, with its PDF.

    ``previewed_digest`` is the digest of the content the officer saw; if the notice would now
    read differently, nothing is published (NoticeRefused, code "changed").
    """
    from complaints.documents.letters import decision_notice
    from complaints.services.documents import document_generate

    now = now or timezone.now()
    with transaction.atomic():
        decision, notice = _begin(decision=decision, actor=actor)
        if notice.is_public:
            raise NoticeRefused("The notice is already on the public register", code="state")
        content = notice_content(decision, statement_of_facts=notice.statement_of_facts)
        digest = content_digest(content)
        if previewed_digest is not None and previewed_digest != digest:
            raise NoticeRefused(CHANGED_MESSAGE, code="changed")
        notice.content = content
        notice.content_sha256 = digest
        notice.authority = decision.case.authority
        notice.outcome = decision.outcome
        notice.decided_on = decision.decided_on
        notice.published_at = now
        notice.published_by = actor if getattr(actor, "is_authenticated", False) else None
        notice.withdrawn_at = None
        notice.withdrawn_by = None
        notice.withdrawal_reason = ""
        notice.save()
        # The PDF is drawn from the frozen content (decision_notice reads it back from the notice).
        decision.notice = notice
        notice.document = document_generate(letter=decision_notice(decision, public=True, now=now), actor=actor)
        notice.save(update_fields=["document"])
        Decision.objects.filter(pk=decision.pk).update(notice_published=True, notice_published_at=now)
        event_record(
            case=decision.case,
            kind=EventKind.NOTICE_PUBLISHED,
            description=f"Decision notice published on the register ({decision.get_outcome_display()}; councillor "
            + ("named)" if content["councillor_named"] else "not named)"),
            actor=actor,
            details={
                "decision": str(decision.public_id),
                "notice": str(notice.public_id),
                "sha256": digest,
                "councillor_named": content["councillor_named"],
                "document": str(notice.document.public_id),
            },
        )
        # Publishing is what the decision-notice clock waits for. It meets the clock this decision
        # started and any older one still running (a later decision supersedes an earlier one's
        # notice), never one started by a later decision, which still needs its own notice.
        clocks_meet_recorded(
            case=decision.case,
            kind=DeadlineKind.DECISION_NOTICE,
            actor=actor,
            why=f"decision notice published on the register ({decision.get_outcome_display().lower()})",
            now=now,
            started_by=decision.decided_on,
        )
    return notice


@transaction.atomic
def notice_withdraw(*, decision: Decision, reason: str, actor, now: datetime | None = None) -> DecisionNotice:
    """Take the decision's notice off the public register, saying why. Its page then answers 404."""
    reason = (reason or "").strip()
    if not reason:
        raise NoticeRefused("Enter why the notice is being withdrawn", code="reason")
    if len(reason) > REASON_MAX:
        raise NoticeRefused(f"The reason must be {REASON_MAX} characters or fewer", code="reason")
    now = now or timezone.now()
    decision, notice = _begin(decision=decision, actor=actor)
    if not notice.is_public:
        raise NoticeRefused("The notice is not on the public register", code="state")
    notice.withdrawn_at = now
    notice.withdrawn_by = actor if getattr(actor, "is_authenticated", False) else None
    notice.withdrawal_reason = reason
    notice.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    Decision.objects.filter(pk=decision.pk).update(notice_published=False, notice_published_at=None)
    event_record(
        case=decision.case,
        kind=EventKind.NOTICE_WITHDRAWN,
        description=f"Decision notice withdrawn from the register: {reason}"[:500],
        actor=actor,
        details={"decision": str(decision.public_id), "notice": str(notice.public_id), "reason": reason},
    )
    return notice
