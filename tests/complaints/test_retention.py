"""Retention: six years after the final decision a closed case keeps its figures and loses its
complainants' personal data, on disk and in the database; a legal hold keeps it whole."""

from collections import Counter
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.core import serializers
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from complaints.models import (
    Case,
    Complaint,
    Decision,
    EventKind,
    Evidence,
    OutboxMessage,
    Outcome,
    SocialMediaPost,
    Stage,
)
from complaints.services.retention import (
    LegalHoldError,
    case_legal_hold_release,
    case_legal_hold_set,
    retention_apply,
    retention_plan,
)
from tests.complaints.journey import ABOUT, OUTCOME, POST, Journey
from tests.factories import make_code, make_councillor, make_district, png_bytes

TODAY = date(2033, 3, 1)
DECIDED = date(2027, 2, 1)  # more than six years before TODAY


@pytest.fixture
def closed_case(client, django_capture_on_commit_callbacks):
    """A complaint sent online with two screenshots, acknowledged, decided and closed."""
    council = make_district()
    make_code(council)
    councillor = make_councillor(council)
    journey = Journey(client)
    journey.complete_up_to_check(
        council, [councillor], files=[("one.png", png_bytes()), ("two.png", png_bytes(colour=(1, 2, 3)))]
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert journey.send().status_code == 302
    case = Case.objects.get()
    return _decide_and_close(case, decided_on=DECIDED)


def _decide_and_close(case, *, decided_on):
    mo = User.objects.get_or_create(username="mo")[0]
    decision = Decision.objects.create(
        case=case, outcome=Outcome.NO_BREACH, reasons="No breach.", decided_by=mo, decided_on=decided_on
    )
    decision.clauses_engaged.set(case.complaints.get().clauses.all())
    Case.objects.filter(pk=case.pk).update(stage=Stage.CLOSED, outcome=Outcome.NO_BREACH, closed_at=timezone.now())
    case.refresh_from_db()
    return case


def report_figures() -> dict:
    """The counts a Standards Committee report is built from."""
    return {
        "cases": Counter(Case.objects.values_list("authority__name", "stage", "outcome")),
        "complaints": Counter(Complaint.objects.values_list("authority__name", "complainant_type")),
        "councillors": Counter(Complaint.objects.values_list("councillors__name", flat=True)),
        "clauses": Counter(Complaint.objects.values_list("clauses__number", flat=True)),
        "platforms": Counter(SocialMediaPost.objects.values_list("platform", flat=True)),
        "evidence": Evidence.objects.count(),
        "decisions": Counter(Decision.objects.values_list("outcome", "decided_on", "clauses_engaged__number")),
        "references": sorted(Complaint.objects.values_list("reference", "submitted_at")),
        "confidential": Complaint.objects.filter(confidentiality_requested=True).count(),
    }


def _rows_of(case) -> str:
    rows = [
        *Complaint.objects.filter(case=case),
        *SocialMediaPost.objects.filter(case=case),
        *Evidence.objects.filter(case=case),
        *OutboxMessage.objects.filter(case=case),
    ]
    return serializers.serialize("json", rows)


@pytest.mark.django_db
def test_personal_data_goes_from_the_database_and_the_disk_and_the_report_figures_stay(closed_case):
    evidence_files = [name for e in Evidence.objects.all() for name in (e.original.name, e.display.name) if name]
    assert len(evidence_files) == 4 and all(default_storage.exists(name) for name in evidence_files)
    assert ABOUT["name"] in _rows_of(closed_case)
    before = report_figures()

    done = retention_apply(today=TODAY)

    assert [item.reference for item in done] == [closed_case.reference]
    assert report_figures() == before
    stored = _rows_of(closed_case)
    for personal in (
        ABOUT["name"],
        ABOUT["email"],
        ABOUT["phone"],
        ABOUT["address"],
        OUTCOME["outcome_sought"],
        POST["text_reported"],
        "one.png",
        "two.png",
    ):
        assert personal not in stored, personal
    assert not any(default_storage.exists(name) for name in evidence_files)
    originals = list(Evidence.objects.values_list("original", flat=True))
    assert sorted(originals) == sorted(f"removed/{e.public_id}" for e in Evidence.objects.all())
    assert OutboxMessage.objects.get().context == {}
    closed_case.refresh_from_db()
    assert closed_case.anonymised_at is not None
    assert closed_case.reference and closed_case.outcome == Outcome.NO_BREACH
    event = closed_case.events.get(kind=EventKind.ANONYMISED)
    assert event.details["complaints"] == 1 and event.details["evidence"] == 2 and event.details["files_deleted"] == 4
    # The history is kept and still verifies.
    call_command("verify_history")


@pytest.mark.django_db
def test_a_case_is_anonymised_once(closed_case):
    assert len(retention_apply(today=TODAY)) == 1
    assert retention_apply(today=TODAY) == []
    assert closed_case.events.filter(kind=EventKind.ANONYMISED).count() == 1


@pytest.mark.django_db
def test_a_case_inside_the_period_or_still_open_is_kept(closed_case):
    assert retention_apply(today=DECIDED + timedelta(days=6 * 365)) == []  # 6 years less the leap day
    Case.objects.filter(pk=closed_case.pk).update(stage=Stage.ASSESSMENT, closed_at=None)
    assert retention_apply(today=TODAY) == []
    assert Complaint.objects.get().complainant_name == ABOUT["name"]


@pytest.mark.django_db
def test_the_period_runs_from_the_latest_decision(closed_case):
    _decide_and_close(closed_case, decided_on=date(2030, 1, 1))  # e.g. after a review
    assert retention_apply(today=TODAY) == []
    assert [item.reference for item in retention_plan(today=date(2036, 1, 1))] == [closed_case.reference]


@pytest.mark.django_db
def test_a_legal_hold_keeps_the_case_whole_until_released(closed_case):
    evidence_files = [e.original.name for e in Evidence.objects.all()]
    before = _rows_of(closed_case)
    case_legal_hold_set(case=closed_case, reason="Ombudsman investigation")

    assert retention_plan(today=TODAY) == []
    assert retention_apply(today=TODAY) == []
    assert _rows_of(closed_case) == before
    assert all(default_storage.exists(name) for name in evidence_files)
    assert closed_case.events.get(kind=EventKind.LEGAL_HOLD_SET).details == {"reason": "Ombudsman investigation"}

    case_legal_hold_release(case=closed_case)
    assert closed_case.events.filter(kind=EventKind.LEGAL_HOLD_RELEASED).count() == 1
    assert len(retention_apply(today=TODAY)) == 1


@pytest.mark.django_db
def test_a_legal_hold_needs_a_reason(closed_case):
    with pytest.raises(LegalHoldError, match="reason"):
        case_legal_hold_set(case=closed_case, reason="  ")
    with pytest.raises(LegalHoldError, match="not on legal hold"):
        case_legal_hold_release(case=closed_case)


@pytest.mark.django_db
def test_the_dry_run_lists_what_would_go_and_changes_nothing(closed_case, capsys):
    from unittest import mock

    evidence_files = [e.original.name for e in Evidence.objects.all()]
    before = _rows_of(closed_case)
    events_before = closed_case.events.count()
    with mock.patch("complaints.services.retention.timezone.localdate", return_value=TODAY):
        call_command("run_task", "retention", "--dry-run")
    out = capsys.readouterr().out
    assert (
        f"Would anonymise {closed_case.reference}: final decision 1 February 2027; 1 complainant(s), 2 evidence" in out
    )
    assert "Would anonymise 1 case(s)" in out
    assert _rows_of(closed_case) == before
    assert closed_case.events.count() == events_before
    assert all(default_storage.exists(name) for name in evidence_files)


@pytest.mark.django_db
def test_run_task_retention_anonymises(closed_case, capsys):
    from unittest import mock

    with mock.patch("complaints.services.retention.timezone.localdate", return_value=TODAY):
        call_command("run_task", "retention")
    assert f"Anonymised {closed_case.reference}" in capsys.readouterr().out
    assert Complaint.objects.get().complainant_name == "[removed]"
