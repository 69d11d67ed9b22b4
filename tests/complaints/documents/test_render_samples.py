"""`render_samples` renders one of each letter from the demo data, which includes a takedown
request and a decision on a case whose complainant was granted confidentiality."""

import io

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from complaints.models import Complaint, Decision, TakedownRequest, TakedownStatus
from tests.complaints.documents.builders import normalise, pdf_text

pytestmark = pytest.mark.django_db

NAMES = ["takedown-request", "acknowledgement", "member-invitation", "decision-notice", "decision-notice-public"]


def test_the_demo_data_has_a_takedown_and_a_decision_on_a_case_with_a_granted_confidentiality_request():
    call_command("seed_demo", stdout=io.StringIO(), stderr=io.StringIO())

    granted = Complaint.objects.filter(confidentiality_requested=True, confidentiality_granted=True)
    assert granted.exists()
    case = granted.first().case
    assert Decision.objects.filter(case=case).exists()
    request = TakedownRequest.objects.get(case=case)
    assert request.status == TakedownStatus.SENT and request.deadline is not None
    assert granted.first().complainant_address


def test_it_renders_one_of_each_letter_from_the_demo_data_withholding_the_confidential_complainant(tmp_path):
    call_command("seed_demo", stdout=io.StringIO(), stderr=io.StringIO())
    out = io.StringIO()

    call_command("render_samples", "--output", str(tmp_path / "samples"), stdout=out)

    secret = Complaint.objects.get(confidentiality_granted=True)
    for name in NAMES:
        pdf = (tmp_path / "samples" / f"{name}.pdf").read_bytes()
        reader = PdfReader(io.BytesIO(pdf))
        assert reader.metadata.title
        text = normalise(pdf_text(pdf))
        assert f"Page 1 of {len(reader.pages)}" in text
        if name != "acknowledgement":
            assert secret.complainant_name not in text, name
            assert secret.complainant_email not in text, name
            assert "Abbey Close" not in text, name
    assert out.getvalue().count(".pdf") == len(NAMES)
    takedown = normalise(pdf_text((tmp_path / "samples" / "takedown-request.pdf").read_bytes()))
    assert "Request to remove social media content" in takedown
    assert secret.case.reference in takedown


def test_it_says_what_is_missing_on_an_empty_database(tmp_path):
    with pytest.raises(CommandError, match="seed_demo"):
        call_command("render_samples", "--output", str(tmp_path))
