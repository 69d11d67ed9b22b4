"""Reads for decision notices: what a public notice says, and the public register.

`notice_content` is the one place that decides what the public version of a decision notice
says (CSPL best practice 9: the facts, the provisions engaged, the Independent Person's view, the
reasons and any sanction). The officer's preview, the frozen copy stored at publication, the
public web page and the public PDF are all made from what it returns, so they say the same thing.

What it never contains: any complainant's name, e-mail address, telephone number or address
(blanked out of every piece of free text, whether or not their identity was withheld from the
councillor), the text or link of the posts, and, where the council's setting withholds it, the
councillor's name and account handles.

The register (`register_notices`, `register_notice`) reads only the frozen rows of published,
not withdrawn notices: anything else answers 404, the same as a notice that does not exist.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format

from complaints.documents.letters import (
    Withhold,
    _case_councillors,
    _complaints,
    _post_entries,
    _quote,
)
from complaints.models import Authority, Decision, DecisionNotice, NoticeNaming, Outcome, SocialMediaAccount

CONTENT_FORMAT = 1
REGISTER_PAGE_SIZE = 20


# --- the naming rule -------------------------------------------------------------------------


@dataclass(frozen=True)
class Naming:
    named: bool
    rule: str
    # Why, for the officer about to publish; and the sentence the public notice carries when unnamed.
    explanation: str
    public_sentence: str


def councillor_naming(decision: Decision) -> Naming:
    """Whether the public notice names the councillor, by the setting of the council's principal
    council (a parish or town council follows its principal council's setting)."""
    authority = decision.case.authority
    principal = authority.principal
    rule = authority.notice_naming
    label = NoticeNaming(rule).label
    whose = (
        f"{principal.name}'s setting"
        if authority.is_principal
        else f"{authority.name} follows the setting of its principal council, {principal.name}"
    )
    breach = decision.outcome == Outcome.BREACH
    if rule == NoticeNaming.ALWAYS:
        named, why = True, "so the councillor is named"
    elif rule == NoticeNaming.NEVER:
        named, why = False, "so the councillor is not named"
    elif breach:
        named, why = True, "and this decision found a breach, so the councillor is named"
    else:
        named, why = False, "and this decision found no breach, so the councillor is not named"
    explanation = f"{whose}: {label[0].lower()}{label[1:]}; {why}."
    if rule == NoticeNaming.NEVER:
        public_sentence = f"{principal.name} does not name councillors in published decision notices."
    else:
        public_sentence = (
            f"{principal.name} names councillors in published decision notices only where a breach of the "
            "Code of Conduct is found."
        )
    return Naming(named=named, rule=rule, explanation=explanation, public_sentence="" if named else public_sentence)


# --- what the public notice says -------------------------------------------------------------


def notice_content(decision: Decision, *, statement_of_facts: str | None = None) -> dict:
    """The public decision notice for ``decision`` as it would be published now (JSON-ready).

    ``statement_of_facts`` is the officer's own statement for publication; by default the one
    saved on the decision's notice, and failing that a statement generated from the case.
    """
    case = decision.case
    authority = case.authority
    naming = councillor_naming(decision)
    complaints = _complaints(case)
    councillors = _case_councillors(case)
    posts = list(
        case.posts.select_related("complaint__authority", "complaint__code").prefetch_related(
            "complaint__clauses", "evidence"
        )
    )
    names, values = [], []
    if not naming.named:
        names = [councillor.name for councillor in councillors]
        values = [c.email for c in councillors] + [post.account_name for post in posts]
        handles = SocialMediaAccount.objects.filter(councillor__in=councillors).values_list("handle", flat=True)
        values += [h for handle in handles for h in (handle, handle.lstrip("@"))]
        values += [post.account_name.lstrip("@") for post in posts]
    # Every complainant, confidential or not: the public learns nobody's identity from a notice.
    withhold = Withhold(complaints, names=names, values=values)

    engaged = {c.number for c in decision.clauses_engaged.all()}
    breached = {c.number for c in decision.clauses_breached.all()}
    entries, _ = _post_entries(posts, withhold=withhold, with_evidence=False)
    provisions = []
    for entry in entries:
        quoted = sorted(_quote(entry, engaged | breached), key=lambda item: item["clause"].position)
        provisions.append(
            {
                "post": entry.number,
                "posted_on": _iso(entry.posted_on),
                "code": (
                    {
                        "title": entry.code.title,
                        "version_from": _iso(entry.code.effective_from) if entry.code.version else "",
                    }
                    if entry.code
                    else None
                ),
                "clauses": [
                    {
                        "number": item["clause"].number,
                        "heading": item["clause"].heading,
                        "text": item["clause"].text,
                        "breached": item["clause"].number in breached,
                    }
                    for item in quoted
                ],
            }
        )
    councillor_names = [c.name for c in councillors] if naming.named else []
    subject = (
        _join([f"Councillor {name}" for name in councillor_names])
        if councillor_names
        else f"a member of {authority.name}"
    )
    received = sorted(timezone.localdate(c.submitted_at) for c in complaints) or [timezone.localdate(case.opened_at)]
    post_rows = [
        {
            "number": entry.number,
            "platform": entry.post.get_platform_display()
            + (f" ({withhold(entry.post.platform_other)})" if entry.post.platform_other else ""),
            "posted_on": _iso(entry.posted_on),
            "account": entry.account_name if naming.named else "",
        }
        for entry in entries
    ]
    if statement_of_facts is None:
        notice = DecisionNotice.objects.filter(decision=decision).only("statement_of_facts").first()
        statement_of_facts = notice.statement_of_facts if notice else ""
    facts = statement_of_facts.strip() or generated_facts(
        complaint_count=len(complaints), received=received, posts=post_rows, subject=subject
    )
    return {
        "format": CONTENT_FORMAT,
        "reference": case.reference,
        "council": {
            "name": authority.name,
            "slug": authority.slug,
            "principal": "" if authority.is_principal else authority.principal.name,
        },
        "outcome": decision.outcome,
        "outcome_label": decision.get_outcome_display(),
        "decided_on": _iso(decision.decided_on),
        "decided_by": decision.decided_by.get_full_name() or decision.decided_by.get_username(),
        "councillor_named": naming.named,
        "councillors": councillor_names,
        "subject": subject,
        "not_named_because": naming.public_sentence,
        "complaint_count": len(complaints),
        "received_from": _iso(received[0]),
        "received_to": _iso(received[-1]),
        "posts": post_rows,
        "facts": withhold(facts),
        "facts_written": bool(statement_of_facts.strip()),
        "provisions": provisions,
        "ip_view": withhold(decision.ip_view),
        "reasons": withhold(decision.reasons),
        "sanctions": withhold(decision.sanctions),
    }


def generated_facts(*, complaint_count: int, received: list[date], posts: list[dict], subject: str) -> str:
    """A brief statement of the facts drawn from the case, for when the officer has written none."""
    first, last = received[0], received[-1]
    when = f"on {_day(first)}" if first == last else f"between {_day(first)} and {_day(last)}"
    complaints = "A complaint was" if complaint_count == 1 else f"{complaint_count} complaints were"
    platforms = _join(sorted({post["platform"] for post in posts}))
    days = sorted({post["posted_on"] for post in posts if post["posted_on"]})
    if not posts:
        about = f"about the conduct of {subject}."
    else:
        count = "a post" if len(posts) == 1 else f"{len(posts)} posts"
        dated = f" made on {_join([_day(date.fromisoformat(d)) for d in days])}" if days else ""
        about = f"about {count} on {platforms}{dated} by {subject}."
    return (
        f"{complaints} received {when} {about} The complaint{'s' if complaint_count != 1 else ''} alleged that "
        "the councillor had failed to comply with the Code of Conduct."
    )


def content_digest(content: dict) -> str:
    """The SHA-256 of the content: what the officer previewed is what gets published."""
    encoded = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def notice_view(content: dict) -> dict:
    """The content with its dates as dates, for templates (the web page and the PDF)."""
    view = dict(content)
    for key in ("decided_on", "received_from", "received_to"):
        view[key] = _date(content.get(key))
    view["posts"] = [{**post, "posted_on": _date(post.get("posted_on"))} for post in content.get("posts", [])]
    view["provisions"] = [
        {
            **item,
            "posted_on": _date(item.get("posted_on")),
            "code": {**item["code"], "version_from": _date(item["code"].get("version_from"))}
            if item.get("code")
            else None,
        }
        for item in content.get("provisions", [])
    ]
    return view


# --- the officer's page ----------------------------------------------------------------------


def decision_notice_row(decision: Decision) -> DecisionNotice | None:
    return DecisionNotice.objects.filter(decision=decision).select_related("published_by", "withdrawn_by").first()


def case_notices(case) -> list[Decision]:
    """The case's decisions, each with its notice as `public_notice` (or None), in one query."""
    decisions = list(case.decisions.select_related("notice").order_by("decided_on", "pk"))
    for decision in decisions:
        try:
            decision.public_notice = decision.notice
        except DecisionNotice.DoesNotExist:
            decision.public_notice = None
    return decisions


# --- the public register ---------------------------------------------------------------------


def published_notices() -> QuerySet[DecisionNotice]:
    """Notices on the public register: published and not withdrawn."""
    return DecisionNotice.objects.filter(published_at__isnull=False, withdrawn_at__isnull=True)


def register_notice(public_id) -> DecisionNotice:
    """A notice on the register, or 404 (unpublished, withdrawn, unknown or malformed alike)."""
    try:
        return published_notices().get(public_id=public_id)
    except (DecisionNotice.DoesNotExist, ValueError, ValidationError):
        raise Http404("No such decision notice.") from None


def register_notices(*, authority: Authority | None = None, year: int | None = None, outcome: str = ""):
    """The register, newest decision first, narrowed by council (a principal council includes its
    parish and town councils), year of decision and outcome."""
    notices = published_notices()
    if authority is not None:
        notices = notices.filter(Q(authority=authority) | Q(authority__parent=authority))
    if year is not None:
        notices = notices.filter(decided_on__year=year)
    if outcome:
        notices = notices.filter(outcome=outcome)
    return notices.order_by("-decided_on", "-published_at", "-pk")


def register_page(notices: QuerySet[DecisionNotice], number: int) -> tuple[Paginator, Page | None]:
    """One page of the register; None when there is no such page."""
    paginator = Paginator(notices.only("public_id", "content", "decided_on", "published_at"), REGISTER_PAGE_SIZE)
    if number < 1 or (number > paginator.num_pages):
        return paginator, None
    return paginator, paginator.page(number)


def register_councils() -> list[tuple[str, list[Authority]]]:
    """The councils to filter by: each principal council, then its parish and town councils."""
    authorities = list(Authority.objects.select_related("parent").order_by("name"))
    principals = [a for a in authorities if a.is_principal]
    groups = []
    for principal in principals:
        local = [a for a in authorities if a.parent_id == principal.pk and not a.is_principal]
        groups.append((principal.name, [principal, *local]))
    return groups


def register_years() -> list[int]:
    """The years in which published notices' decisions were made, newest first."""
    years = (
        published_notices()
        .annotate(year=ExtractYear("decided_on"))
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
    return [year for year in years if year]


# --- helpers ---------------------------------------------------------------------------------


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _day(day: date) -> str:
    return date_format(day, "j F Y")


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
