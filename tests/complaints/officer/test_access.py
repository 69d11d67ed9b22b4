"""The access rule for cases, complaints, evidence and documents, as a table of who sees what."""

import uuid
from datetime import UTC, datetime

import pytest
from django.http import Http404

from complaints import access
from complaints.models import Document, DocumentKind, Evidence

# Which of the three cases each user may see: (Northmoor, Ashby Lane parish, Southshire).
EXPECTED = {
    "mo": (True, True, False),
    "deputy": (True, True, False),
    "case_officer": (True, True, False),
    "conflicted_officer": (False, True, False),
    "other_council_officer": (False, False, True),
    "investigator": (False, True, False),
    "unappointed_investigator": (False, False, False),
    "independent_person": (True, False, False),
    "unconsulted_ip": (False, False, False),
    "committee_member": (False, False, False),
    "system_administrator": (False, False, False),
    "no_role": (False, False, False),
}
CASES = ("northmoor", "parish", "southshire")


def _evidence(case):
    return Evidence.objects.create(
        case=case,
        complaint=case.complaints.first(),
        original=f"evidence/originals/{uuid.uuid4().hex}.png",  # each stored file belongs to one record
        original_name="a.png",
        sha256="a" * 64,
        size=1,
        content_type="image/png",
        uploaded_at=datetime.now(UTC),
    )


def _document(case, **fields):
    return Document.objects.create(
        case=case,
        kind=fields.pop("kind", DocumentKind.DECISION_NOTICE),
        title="A document",
        file="documents/a.pdf",
        sha256="b" * 64,
        template="documents/x.html",
        generated_at=datetime.now(UTC),
        **fields,
    )


@pytest.mark.parametrize("who", EXPECTED)
def test_each_user_sees_exactly_the_cases_the_table_gives(world, who):
    user = world["users"][who]
    visible = {case.reference for case in access.cases_for(user)}
    expected = {world["cases"][name].reference for name, ok in zip(CASES, EXPECTED[who], strict=True) if ok}

    assert visible == expected
    assert access.cases_for(user).count() == len(expected)
    for name, ok in zip(CASES, EXPECTED[who], strict=True):
        case = world["cases"][name]
        if ok:
            assert access.case_for(user, case.reference) == case
        else:
            with pytest.raises(Http404):
                access.case_for(user, case.reference)


@pytest.mark.parametrize("who", EXPECTED)
def test_complaints_evidence_and_case_documents_follow_their_case(world, who):
    user = world["users"][who]
    for name, ok in zip(CASES, EXPECTED[who], strict=True):
        case = world["cases"][name]
        complaint = case.complaints.get()
        evidence = _evidence(case)
        document = _document(case)
        assert access.complaints_for(user).filter(pk=complaint.pk).exists() is ok
        assert access.evidence_for(user).filter(pk=evidence.pk).exists() is ok
        assert access.documents_for(user).filter(pk=document.pk).exists() is ok
        if ok:
            assert access.complaint_for(user, complaint.reference) == complaint
            assert access.evidence_item_for(user, evidence.public_id) == evidence
            assert access.document_for(user, document.public_id) == document
        else:
            for lookup, key in (
                (access.complaint_for, complaint.reference),
                (access.evidence_item_for, evidence.public_id),
                (access.document_for, document.public_id),
            ):
                with pytest.raises(Http404):
                    lookup(user, key)


def test_an_unknown_or_malformed_id_is_a_404_not_an_error(world):
    mo = world["users"]["mo"]
    for lookup in (access.evidence_item_for, access.document_for):
        with pytest.raises(Http404):
            lookup(mo, "not-a-uuid")
    with pytest.raises(Http404):
        access.case_for(mo, "MO-1999-99999")


# Published committee reports: (unpublished seen?, published seen?)
REPORTS = {
    "committee_member": (False, True),
    "mo": (True, True),
    "deputy": (True, True),
    "case_officer": (False, False),
    "investigator": (False, False),
    "independent_person": (False, False),
    "system_administrator": (False, False),
    "no_role": (False, False),
}


@pytest.mark.parametrize("who", REPORTS)
def test_committee_reports_reach_only_those_who_read_them_once_published(world, who):
    user = world["users"][who]
    draft = _document(None, kind=DocumentKind.COMMITTEE_REPORT)
    published = _document(None, kind=DocumentKind.COMMITTEE_REPORT, published_at=datetime.now(UTC))

    seen = set(access.documents_for(user).values_list("pk", flat=True))

    assert ((draft.pk in seen), (published.pk in seen)) == REPORTS[who]


def test_an_inactive_officer_sees_nothing(world):
    mo = world["users"]["mo"]
    mo.is_active = False
    mo.save()

    assert not access.cases_for(mo).exists()


def test_roles_apply_is_idempotent_and_restores_changed_permissions(world):
    from django.contrib.auth.models import Group

    from complaints import roles

    group = Group.objects.get(name=roles.COMMITTEE_MEMBER)
    group.permissions.clear()
    roles.roles_apply()
    first = {name: set(Group.objects.get(name=name).permissions.all()) for name in roles.ROLES}
    roles.roles_apply()
    second = {name: set(Group.objects.get(name=name).permissions.all()) for name in roles.ROLES}

    assert first == second
    assert group.permissions.filter(codename="view_published_reports").exists()
    case_content = {"view_case", "view_complaint", "view_evidence", "view_council_cases"}
    for name in (roles.COMMITTEE_MEMBER, roles.SYSTEM_ADMINISTRATOR):
        assert not case_content & set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))
