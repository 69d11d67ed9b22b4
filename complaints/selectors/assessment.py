"""What the initial assessment form shows as facts: whether each councillor was in office on the
date of each post (from the register's term dates), whether each complaint came within the
council's time limit, and which code of conduct was in force on each date. The officer confirms
or corrects them; they are worked out here, never typed in."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone

from complaints import access
from complaints.models import Case, Consultation, Councillor, PublicInterestQuestion, SocialMediaPost
from complaints.selectors.case_page import code_in_force_among, codes_for_authority

# Used when a council has not published its own public interest test (editable in the admin).
DEFAULT_PUBLIC_INTEREST_QUESTIONS = (
    "Is the alleged conduct serious enough that, if proven, it would merit a sanction (rather than being trivial)?",
    "Is there enough evidence to support the allegation?",
    "Does the complaint appear to be malicious, politically motivated or tit-for-tat?",
    "Did the conduct happen recently, or is there a good reason why the complaint comes late?",
    "Has the councillor already put it right (an apology, removing the post, or other action)?",
    "Would an investigation be proportionate, given its cost and the time it would take?",
    "Is there a wider public interest, such as repeated conduct or the councillor's position?",
)


def public_interest_questions(case: Case) -> list[str]:
    """The case's principal council's public interest test, or the default questions."""
    own = list(
        PublicInterestQuestion.objects.filter(authority=case.authority.principal)
        .order_by("position", "pk")
        .values_list("text", flat=True)
    )
    return own or list(DEFAULT_PUBLIC_INTEREST_QUESTIONS)


def months_after(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass
class PostFacts:
    post: SocialMediaPost
    complaint_reference: str
    received_on: datetime.date
    within_time_limit: bool | None  # None: the post's date is not known
    code: object | None
    in_office: list[tuple[Councillor, bool]] = field(default_factory=list)


@dataclass
class AssessmentFacts:
    posts: list[PostFacts]
    councillors: list[Councillor]
    time_limit_months: int
    consultations: list[Consultation]

    @staticmethod
    def _all(values) -> bool | None:
        values = list(values)
        if not values or any(value is None for value in values):
            return None
        return all(values)

    @property
    def in_office(self) -> bool | None:
        """Whether every councillor was in office on the date of every post (None: not known)."""
        return (
            self._all(ok for facts in self.posts for _, ok in facts.in_office if facts.post.posted_on is not None)
            if any(facts.post.posted_on for facts in self.posts)
            else None
        )

    @property
    def within_time_limit(self) -> bool | None:
        return self._all(facts.within_time_limit for facts in self.posts)

    @property
    def code(self):
        """The code in force on the date of the earliest dated post (the conduct complained of)."""
        dated = [facts for facts in self.posts if facts.code is not None]
        dated.sort(key=lambda facts: (facts.post.posted_on is None, facts.post.posted_on or datetime.date.max))
        return dated[0].code if dated else None

    @property
    def views(self) -> list[Consultation]:
        return [consultation for consultation in self.consultations if consultation.view_recorded_at]


def assessment_facts(user, case: Case) -> AssessmentFacts:
    complaints = list(
        access.complaints_for(user)
        .filter(case=case)
        .order_by("submitted_at", "pk")
        .prefetch_related(
            Prefetch("councillors", queryset=Councillor.objects.order_by("name")),
            Prefetch("posts", queryset=SocialMediaPost.objects.order_by("position", "pk")),
        )
    )
    codes = codes_for_authority(case.authority)
    months = settings.COMPLAINT_MAX_AGE_MONTHS
    posts, councillors = [], {}
    for complaint in complaints:
        received = timezone.localdate(complaint.submitted_at)
        for councillor in complaint.councillors.all():
            councillors.setdefault(councillor.pk, councillor)
        for post in complaint.posts.all():
            day = post.posted_on
            posts.append(
                PostFacts(
                    post=post,
                    complaint_reference=complaint.reference,
                    received_on=received,
                    within_time_limit=None if day is None else received <= months_after(day, months),
                    code=code_in_force_among(codes, authority=case.authority, on=day) if day else None,
                    in_office=[(c, c.in_office_on(day)) for c in complaint.councillors.all()] if day else [],
                )
            )
    consultations = list(
        Consultation.objects.filter(case=case).select_related("independent_person").order_by("requested_at", "pk")
    )
    return AssessmentFacts(
        posts=posts,
        councillors=sorted(councillors.values(), key=lambda c: c.name),
        time_limit_months=months,
        consultations=consultations,
    )
