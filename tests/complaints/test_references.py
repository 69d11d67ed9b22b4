"""Complaint references: unique and sequential per year, even under concurrent submissions."""

import threading
from datetime import UTC, date, datetime

import pytest
from django.db import connection, transaction

from complaints.models import Complaint
from complaints.services.complaints import ComplainantDetails, PostDetails, complaint_submit
from complaints.services.references import reference_next
from tests.factories import make_councillor, make_district


def _submit(authority, councillor, *, now=None):
    return complaint_submit(
        complainant=ComplainantDetails(name="Sam Resident", email="sam@example.com", complainant_type="public"),
        authority=authority,
        councillors=[councillor],
        unlisted_councillor_names="",
        posts=[PostDetails(platform="x", account_name="@cllr", text_reported="Rude post", posted_on=date(2026, 11, 1))],
        clauses_not_sure=True,
        evidence=[],
        no_evidence_reason="Deleted",
        outcome_sought="An apology",
        previous_complaint="no",
        confidentiality_requested=False,
        now=now,
    )


@pytest.mark.django_db
def test_references_are_sequential_and_restart_each_year():
    with transaction.atomic():
        assert reference_next(prefix="MO", year=2026) == "MO-2026-00001"
        assert reference_next(prefix="MO", year=2026) == "MO-2026-00002"
        assert reference_next(prefix="MO", year=2027) == "MO-2027-00001"
        assert reference_next(prefix="MOC", year=2026) == "MOC-2026-00001"


@pytest.mark.django_db(transaction=True)
def test_reference_next_refuses_to_run_outside_a_transaction():
    with pytest.raises(RuntimeError):
        reference_next(prefix="MO", year=2026)


@pytest.mark.django_db
def test_the_reference_year_is_the_year_the_complaint_was_submitted():
    authority = make_district()
    councillor = make_councillor(authority)
    complaint = _submit(authority, councillor, now=datetime(2025, 12, 31, 12, tzinfo=UTC))
    assert complaint.reference == "MO-2025-00001"
    assert complaint.case.reference == "MOC-2025-00001"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_submissions_get_fifty_distinct_sequential_references():
    assert connection.vendor == "postgresql"
    authority = make_district()
    councillor = make_councillor(authority)
    barrier = threading.Barrier(50)
    errors = []

    def submit():
        try:
            barrier.wait(timeout=30)
            _submit(authority, councillor)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    references = list(Complaint.objects.values_list("reference", flat=True))
    assert len(references) == 50
    assert len(set(references)) == 50
    numbers = sorted(int(r.rsplit("-", 1)[1]) for r in references)
    assert numbers == list(range(1, 51))
