"""The PDFs are accessible (tagged PDF/UA-1, titled, in English, numbered pages, repeated table
headers) and reproducible (the same inputs give the same bytes apart from the creation date)."""

import io
import re
from datetime import datetime

import pytest
from django.utils import timezone
from pypdf import PdfReader
from pypdf.generic import IndirectObject, StreamObject

from complaints.documents.letters import decision_notice, member_invitation_letter, takedown_request_letter
from complaints.services.documents import document_generate, document_read, letter_render
from tests.complaints.documents.builders import make_letter_case, normalise

pytestmark = pytest.mark.django_db

MORNING = timezone.make_aware(datetime(2026, 5, 6, 9, 15, 2))
AFTERNOON = timezone.make_aware(datetime(2026, 5, 6, 16, 40, 59))


def reader_of(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def test_it_is_tagged_pdf_ua_1_with_title_language_and_author():
    letter_case = make_letter_case()
    letter = takedown_request_letter(letter_case.takedown())

    reader = reader_of(letter_render(letter=letter).pdf)

    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] is True or root["/MarkInfo"]["/Marked"] == True  # noqa: E712
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en-GB"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert reader.metadata.title == letter.title
    assert reader.metadata.author == "Monitoring Officer, Northmoor District Council"
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert re.search(r"pdfuaid:part[^0-9]*1", xmp)
    assert reader.pdf_header == "%PDF-1.7"


def test_images_carry_alternative_text_in_the_structure_tree():
    letter_case = make_letter_case(confidential=False)
    reader = reader_of(letter_render(letter=takedown_request_letter(letter_case.takedown())).pdf)

    alts = []

    def walk(node):
        node = node.get_object()
        if isinstance(node, dict) or hasattr(node, "get"):
            if node.get("/S") == "/Figure":
                alts.append(str(node.get("/Alt", "")))
            kids = node.get("/K")
            if kids is not None:
                for kid in kids if isinstance(kids, list) else [kids]:
                    if isinstance(kid, IndirectObject) or hasattr(kid, "get"):
                        walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    assert "Northmoor District Council crest" in alts
    assert "Screenshot of post 1 supplied with the complaint" in alts


def test_every_page_is_numbered_page_n_of_m():
    letter_case = make_letter_case()
    reader = reader_of(letter_render(letter=member_invitation_letter(letter_case.case, letter_case.councillor)).pdf)

    total = len(reader.pages)
    assert total >= 2
    for number, page in enumerate(reader.pages, start=1):
        assert f"Page {number} of {total}" in page.extract_text()


def test_a_table_that_breaks_across_pages_repeats_its_header():
    letter_case = make_letter_case(extra_posts=40)
    reader = reader_of(letter_render(letter=takedown_request_letter(letter_case.takedown())).pdf)

    header = "No. Platform Account Date posted Link"
    pages = [normalise(page.extract_text()) for page in reader.pages]
    with_rows = [
        i
        for i, text in enumerate(pages)
        if "Extra post number" not in text and "https://x.com/cllrjobloggs/status/9" in text
    ]
    assert len(with_rows) >= 2, "the table of posts should run over at least two pages"
    for index in with_rows:
        assert header in pages[index], f"page {index + 1} continues the table without its header"


def test_the_same_inputs_give_the_same_bytes():
    letter_case = make_letter_case()
    request = letter_case.takedown()

    first = letter_render(letter=takedown_request_letter(request, now=MORNING)).pdf
    second = letter_render(letter=takedown_request_letter(request, now=MORNING)).pdf

    assert first == second


def test_renderings_at_different_times_differ_only_in_the_creation_date():
    letter_case = make_letter_case()
    decision = letter_case.decision()

    morning = letter_render(letter=decision_notice(decision, public=True, now=MORNING)).pdf
    afternoon = letter_render(letter=decision_notice(decision, public=True, now=AFTERNOON)).pdf

    assert morning != afternoon
    assert reader_of(morning).metadata["/CreationDate"] != reader_of(afternoon).metadata["/CreationDate"]
    assert canonical(morning) == canonical(afternoon)


def test_a_stored_documents_hash_can_be_reproduced_from_its_generation_time():
    letter_case = make_letter_case()
    decision = letter_case.decision()
    document = document_generate(letter=decision_notice(decision, public=False), actor=letter_case.officer)

    again = letter_render(letter=decision_notice(decision, public=False, now=document.generated_at))

    assert again.sha256 == document.sha256
    assert again.pdf == document_read(document=document)


_DATES = re.compile(rb"D:\d{14}[^)]*|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[^<\"]*")


def canonical(pdf: bytes) -> list:
    """Every object of the PDF, decompressed, with creation dates blanked (byte offsets left out)."""
    reader = reader_of(pdf)
    objects = []
    for number in range(1, int(reader.trailer["/Size"])):
        obj = reader.get_object(IndirectObject(number, 0, reader))
        if obj is None:  # a free entry
            continue
        if isinstance(obj, StreamObject) and obj.get("/Type") == "/XRef":
            continue  # byte offsets, which move when a dated stream's length changes
        if isinstance(obj, StreamObject):
            objects.append((number, _DATES.sub(b"<date>", obj.get_data()), _plain(dict(obj))))
        else:
            objects.append((number, _plain(obj)))
    return objects


def _plain(value):
    """A PDF value as plain Python data (indirect references by number), dates blanked."""
    if isinstance(value, IndirectObject):
        return ("ref", value.idnum)
    if isinstance(value, dict):
        return sorted((str(key), _plain(item)) for key, item in value.items())
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return _DATES.sub(b"<date>", str(value).encode())
