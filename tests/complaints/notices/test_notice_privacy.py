"""What a published decision notice says, and what it never says: no complainant's details in the
web page, the register or the PDF, and the councillor named only where the council's setting
(its principal council's, for a parish) says so. Once published, the notice does not change."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from complaints.models import Authority, Complaint, Councillor, NoticeNaming, Outcome
from complaints.services.documents import document_read
from complaints.services.notices import notice_publish
from tests.complaints.notices.conftest import (
    ACCOUNT,
    COUNCILLOR,
    complainant_details,
    councillor_details,
    make_decision,
)

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(data)).pages)


def public_texts(client, notice) -> dict[str, str]:
    """The notice as the public can read it: its page, the register and its PDF."""
    page = client.get(f"/decisions/{notice.public_id}/")
    register = client.get("/decisions/")
    assert page.status_code == 200 and register.status_code == 200
    pdf = client.get(f"/decisions/{notice.public_id}/notice.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    return {
        "page": page.content.decode(),
        "register": register.content.decode(),
        "pdf": pdf_text(b"".join(pdf.streaming_content)),
    }


def main(response) -> str:
    """The page's main content (the rest carries a fresh nonce on every response)."""
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def set_naming(authority: Authority, rule: str) -> None:
    Authority.objects.filter(pk=authority.pk).update(notice_names_councillor=rule)


def test_it_withholds_every_complainants_details_from_the_notice_the_register_and_the_pdf(client, world, northmoor):
    decision = make_decision(northmoor, world["users"]["mo"])
    notice = notice_publish(decision=decision, actor=world["users"]["mo"])

    texts = public_texts(client, notice)

    for where, text in texts.items():
        leaked = [detail for detail in complainant_details() if detail.lower() in text.lower()]
        assert leaked == [], (where, leaked)
        assert "[withheld]" in text or where == "register", where
    assert "Statement of the facts" in texts["page"] and "Statement of the facts" in texts["pdf"]
    for heading in ("Provisions of the Code of Conduct engaged", "The view of the Independent Person"):
        assert heading in texts["page"] and heading in texts["pdf"]
    assert "Censure and training." in texts["page"] and "Censure and training." in texts["pdf"]


def test_it_withholds_the_details_of_a_complainant_whose_identity_was_never_confidential(client, world, northmoor):
    Complaint.objects.filter(case=northmoor).update(confidentiality_requested=False, confidentiality_reason="")
    decision = make_decision(northmoor, world["users"]["mo"], outcome=Outcome.NO_FURTHER_ACTION)
    notice = notice_publish(decision=decision, actor=world["users"]["mo"])

    for where, text in public_texts(client, notice).items():
        assert [d for d in complainant_details() if d.lower() in text.lower()] == [], where


@pytest.mark.parametrize(
    ("rule", "outcome", "named"),
    [
        (NoticeNaming.ALWAYS, Outcome.NO_FURTHER_ACTION, True),
        (NoticeNaming.ALWAYS, Outcome.BREACH, True),
        (NoticeNaming.BREACH_ONLY, Outcome.BREACH, True),
        (NoticeNaming.BREACH_ONLY, Outcome.NO_BREACH, False),
        (NoticeNaming.BREACH_ONLY, Outcome.INFORMAL_RESOLUTION, False),
        (NoticeNaming.NEVER, Outcome.BREACH, False),
        (NoticeNaming.NEVER, Outcome.NO_FURTHER_ACTION, False),
    ],
)
def test_it_names_the_councillor_only_as_the_councils_setting_says(client, world, northmoor, rule, outcome, named):
    set_naming(northmoor.authority, rule)
    decision = make_decision(northmoor, world["users"]["mo"], outcome=outcome)
    notice = notice_publish(decision=decision, actor=world["users"]["mo"])

    assert notice.content["councillor_named"] is named
    for where, text in public_texts(client, notice).items():
        shown = [detail for detail in councillor_details() if detail.lower() in text.lower()]
        if named:
            assert f"Councillor {COUNCILLOR}" in text, where
        else:
            assert shown == [], (where, shown)
            assert "a member of Northmoor District Council" in text, where


def test_the_default_setting_names_the_councillor_only_where_a_breach_is_found(world):
    assert world["councils"]["northmoor"].notice_names_councillor == NoticeNaming.BREACH_ONLY


@pytest.mark.parametrize(
    ("principal_rule", "parish_rule", "named"),
    [
        (NoticeNaming.NEVER, NoticeNaming.ALWAYS, False),
        (NoticeNaming.ALWAYS, NoticeNaming.NEVER, True),
    ],
)
def test_a_parish_council_follows_its_principal_councils_setting(
    client, world, parish_case, principal_rule, parish_rule, named
):
    set_naming(world["councils"]["northmoor"], principal_rule)
    set_naming(parish_case.authority, parish_rule)
    decision = make_decision(
        parish_case, world["users"]["mo"], outcome=Outcome.BREACH, reasons="Cllr Pat Quigley (@patquigley) was rude."
    )
    notice = notice_publish(decision=decision, actor=world["users"]["mo"])

    texts = public_texts(client, notice)
    for where, text in texts.items():
        assert ("Quigley" in text) is named, where
        if where != "register":  # the register lists notices without their reasons
            assert ("patquigley" in text) is named, where
    assert "Ashby Lane Parish Council" in texts["page"]


def test_the_published_notice_does_not_change_when_the_case_changes_later(client, world, northmoor):
    decision = make_decision(northmoor, world["users"]["mo"], outcome=Outcome.NO_BREACH)
    notice = notice_publish(decision=decision, actor=world["users"]["mo"])
    before = main(client.get(f"/decisions/{notice.public_id}/"))

    # Later: the councillor changes name, a complainant's identity is no longer withheld, the
    # council starts naming councillors and the decision's reasons are edited.
    Councillor.objects.filter(name=COUNCILLOR).update(name="Jo Newname")
    Complaint.objects.filter(case=northmoor).update(confidentiality_granted=False)
    set_naming(northmoor.authority, NoticeNaming.ALWAYS)
    type(decision).objects.filter(pk=decision.pk).update(reasons="Edited later by someone.")

    after = main(client.get(f"/decisions/{notice.public_id}/"))
    assert after == before
    text = after
    assert "Newname" not in text and "Edited later" not in text and "Bloggs" not in text
    pdf = pdf_text(document_read(document=notice.document))
    assert "Newname" not in pdf and "Edited later" not in pdf and "Bloggs" not in pdf
    assert ACCOUNT not in pdf
