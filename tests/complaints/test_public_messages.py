"""Every page of the complaint journey, given empty, too long, tampered and malformed answers.

Each case names the exact words the complainant sees, in page order. The error summary and the
messages beside the answers must say the same thing, once per answer.
"""

import io
import re
import struct
import zlib
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from complaints.models import Complaint, SocialMediaPost
from tests.complaints.journey import ABOUT, OUTCOME, POST, Journey, error_messages
from tests.factories import make_code, make_councillor, make_district, png_bytes

pytestmark = pytest.mark.django_db

RTL_OVERRIDE = "\u202e"
NOT_SURE_OR_CLAUSES = "Select the parts of the code you think were broken, or select \u2018I\u2019m not sure\u2019"
OLD = (timezone.localdate() - timedelta(days=400)).year


@pytest.fixture
def council():
    district = make_district()
    make_code(district)
    return district


@pytest.fixture
def councillor(council):
    return make_councillor(council, "Jo Bloggs")


@pytest.fixture
def journey(client):
    return Journey(client)


def _reach(journey, page, council, councillor):
    """Answer every page before ``page`` correctly."""
    steps = [
        ("about", lambda: journey.about()),
        ("council", lambda: journey.council(council)),
        ("councillors", lambda: journey.councillors([councillor])),
        ("post_add", lambda: journey.add_post()),
        ("posts", lambda: journey.no_more_posts()),
        ("clauses", lambda: journey.clauses()),
        ("evidence", lambda: (journey.upload(), journey.evidence_continue())[-1]),
        ("outcome", lambda: journey.outcome()),
    ]
    for name, answer in steps:
        if name == page:
            return
        response = answer()
        assert response.status_code == 302, (name, response.content[:3000])


def _expect(response, messages: list[str]):
    summary, inline = error_messages(response)
    assert response.status_code == 400
    assert summary == messages, "error summary"
    assert inline == messages, "messages beside the answers"
    body = response.content.decode()
    assert "<title>Error:" in body


ABOUT_CASES = {
    "empty": (
        {"name": "", "email": "", "phone": "", "address": "", "complainant_type": ""},
        ["Enter your full name", "Enter your email address", "Select which of these describes you"],
    ),
    "too long": (
        {"name": "x" * 201, "email": "a" * 250 + "@example.com", "phone": "1" * 41, "address": "x" * 501},
        [
            "Full name must be 200 characters or fewer",
            "Email address must be 254 characters or fewer",
            "Phone number must be 40 characters or fewer",
            "Postal address must be 500 characters or fewer",
        ],
    ),
    "tampered choice": ({"complainant_type": "alien"}, ["Select which of these describes you"]),
    "malformed email and phone": (
        {"email": "not-an-email", "phone": "call me maybe"},
        [
            "Enter an email address in the correct format, like name@example.com",
            "Enter a phone number, like 01632 960 001 or 07700 900 982",
        ],
    ),
    "name on two lines": ({"name": "Jane\nSmith"}, ["Full name must be on one line"]),
    "name with a right-to-left override": (
        {"name": f"Jane {RTL_OVERRIDE}exe.live Smith"},
        ["Full name must not include characters that change the direction of text"],
    ),
    "name with an isolate": (
        {"name": "Jane \u2067Smith\u2069"},
        ["Full name must not include characters that change the direction of text"],
    ),
    "name with a control character": (
        {"name": "Jane\x07Smith"},
        ["Full name must not include hidden control characters"],
    ),
    "name with a null character": ({"name": "Jane\x00Smith"}, ["Full name must not include hidden control characters"]),
    "address with an embedding": (
        {"address": "1 High Street\n\u202bNorthmoor"},
        ["Postal address must not include characters that change the direction of text"],
    ),
    "other without a description": (
        {"complainant_type": "other", "complainant_type_other": ""},
        ["Tell us how you would describe yourself"],
    ),
    "other description too long": (
        {"complainant_type": "other", "complainant_type_other": "x" * 101},
        ["How you would describe yourself must be 100 characters or fewer"],
    ),
}


@pytest.mark.parametrize("case", ABOUT_CASES)
def test_about_you_says_exactly_what_is_wrong(journey, case):
    overrides, messages = ABOUT_CASES[case]
    _expect(journey.about(**overrides), messages)


def test_a_name_with_a_direction_override_is_never_stored(journey, council, councillor):
    journey.about(name=f"Jane {RTL_OVERRIDE}exe.live Smith")
    journey.complete_up_to_check(council, [councillor])
    journey.send()
    assert Complaint.objects.get().complainant_name == ABOUT["name"]
    assert not Complaint.objects.filter(complainant_name__contains=RTL_OVERRIDE).exists()


@pytest.mark.parametrize(
    ("case", "data"),
    [
        ("empty", {}),
        ("tampered", {"authority": "<script>"}),
        ("unknown", {"authority": "00000000-0000-0000-0000-000000000000"}),
    ],
)
def test_the_council_page_says_select_the_council(journey, council, councillor, case, data):
    _reach(journey, "council", council, councillor)
    response = journey.post("council", data)
    _expect(response, ["Select the council the councillor is a member of"])
    assert "&lt;script&gt;" not in response.content.decode()


@pytest.mark.parametrize(
    ("data", "messages"),
    [
        ({}, ["Select the councillor, or enter their name if they are not listed"]),
        ({"councillors": ["not-a-councillor"]}, ["Select the councillor, or enter their name if they are not listed"]),
        ({"unlisted": "x" * 501}, ["The councillor's name must be 500 characters or fewer"]),
        (
            {"unlisted": f"Cllr {RTL_OVERRIDE}Jo"},
            ["The councillor's name must not include characters that change the direction of text"],
        ),
    ],
)
def test_the_councillors_page_says_exactly_what_is_wrong(journey, council, councillor, data, messages):
    _reach(journey, "councillors", council, councillor)
    _expect(journey.post("councillors", data), messages)


EMPTY_POST = {
    "platform": "",
    "url": "",
    "account_name": "",
    "posted_on_0": "",
    "posted_on_1": "",
    "posted_on_2": "",
    "text_reported": "",
    "capacity_indicators": [],
    "capacity_explanation": "",
}

POST_CASES = {
    "empty": (
        EMPTY_POST,
        [
            "Select where it was posted",
            "Enter the name of the account that posted it",
            "Enter the date it was posted",
            "Enter what the post said or showed",
            "Select why you think the councillor was acting as a councillor",
        ],
    ),
    "too long": (
        {
            "url": "https://example.com/" + "x" * 1990,
            "account_name": "x" * 201,
            "text_reported": "x" * 10_001,
            "capacity_explanation": "x" * 3001,
        },
        [
            "The link must be 2,000 characters or fewer",
            "The name of the account must be 200 characters or fewer",
            "What the post said must be 10,000 characters or fewer",
            "Your explanation must be 3,000 characters or fewer",
        ],
    ),
    "a long link that is also malformed gets one message": (
        {"url": "not a url " + "x" * 2000},
        ["Enter the link in the correct format, like https://www.facebook.com/..."],
    ),
    "other platform too long": (
        {"platform": "other", "platform_other": "x" * 101},
        ["The name of the website or app must be 100 characters or fewer"],
    ),
    "something else too long": (
        {"capacity_indicators": ["other"], "capacity_other": "x" * 1001},
        ["What else made you think so must be 1,000 characters or fewer"],
    ),
    "tampered platform": ({"platform": "myspace<b>"}, ["Select where it was posted"]),
    "tampered reasons": (
        {"capacity_indicators": ["account_name", "hacked"]},
        ["Select why you think the councillor was acting as a councillor"],
    ),
    "malformed link": (
        {"url": "not a url at all"},
        ["Enter the link in the correct format, like https://www.facebook.com/..."],
    ),
    "other platform not named": ({"platform": "other"}, ["Enter the name of the website or app"]),
    "something else not described": (
        {"capacity_indicators": ["other"]},
        ["Tell us what else made you think they were acting as a councillor"],
    ),
    "text with a direction override": (
        {"text_reported": f"Residents {RTL_OVERRIDE}are scroungers"},
        ["What the post said must not include characters that change the direction of text"],
    ),
    "no month": ({"posted_on_1": ""}, ["The date it was posted must include a month"]),
    "no day and year": ({"posted_on_0": "", "posted_on_2": ""}, ["The date it was posted must include a day and year"]),
    "not a real date": ({"posted_on_0": "31", "posted_on_1": "2"}, ["The date it was posted must be a real date"]),
    "day in words": ({"posted_on_0": "first"}, ["The date it was posted must be a real date"]),
    "month 13": ({"posted_on_1": "13"}, ["The date it was posted must be a real date"]),
    "unknown month name": ({"posted_on_1": "Smarch"}, ["The date it was posted must be a real date"]),
    "three-digit year": (
        {"posted_on_2": "202"},
        ["The date it was posted must include a year with 4 numbers, like 2026"],
    ),
    "future": ({"posted_on_2": "2099"}, ["The date it was posted must be today or in the past"]),
    "before 2000": ({"posted_on_2": "1999"}, ["The date it was posted must be in 2000 or later"]),
}


@pytest.mark.parametrize("case", POST_CASES)
def test_the_post_page_says_exactly_what_is_wrong(journey, council, councillor, case):
    overrides, messages = POST_CASES[case]
    _reach(journey, "post_add", council, councillor)
    _expect(journey.add_post(**overrides), messages)


def test_only_the_date_boxes_with_the_problem_are_outlined(journey, council, councillor):
    _reach(journey, "post_add", council, councillor)
    body = journey.add_post(posted_on_1="").content.decode()
    assert 'href="#id_posted_on_1"' in body  # the summary links to the month box
    boxes = {
        re.search(r'id="(id_posted_on_\d)"', tag).group(1): "govuk-input--error" in tag
        for tag in re.findall(r"<input[^>]*posted_on_\d[^>]*>", body)
    }
    assert boxes == {"id_posted_on_0": False, "id_posted_on_1": True, "id_posted_on_2": False}


@pytest.mark.parametrize(
    ("day", "month", "year", "stored"),
    [
        ("3", "Oct", "2025", "2025-10-03"),
        ("3", "october", "2025", "2025-10-03"),
        ("3", "Sept.", "2025", "2025-09-03"),
        (" 03 ", "10", "25", "2025-10-03"),
    ],
)
def test_month_names_and_two_digit_years_are_understood(journey, client, council, councillor, day, month, year, stored):
    _reach(journey, "post_add", council, councillor)
    response = journey.add_post(posted_on_0=day, posted_on_1=month, posted_on_2=year)
    assert response.status_code == 302
    assert client.session["complaint_draft"]["posts"][0]["posted_on"] == stored


def test_a_post_of_ten_thousand_characters_is_accepted_with_a_character_count(journey, client, council, councillor):
    _reach(journey, "post_add", council, councillor)
    page = client.get("/complain/posts/add/").content.decode()
    assert 'data-module="govuk-character-count"' in page
    assert 'data-maxlength="10000"' in page
    assert "You can enter up to 10000 characters" in page  # the limit without JavaScript
    assert ' maxlength="' not in page  # the browser never cuts a paste short
    long_text = "Residents of Elm Road are scroungers. " * 263  # 9,994 characters
    assert journey.add_post(text_reported=long_text).status_code == 302
    journey.complete_up_to_check(council, [councillor])
    journey.send()
    assert SocialMediaPost.objects.get(position=0).text_reported == long_text.strip()


@pytest.mark.parametrize(
    ("data", "messages"),
    [
        ({}, ["Select yes if you want to add another post"]),
        ({"add_another": "maybe"}, ["Select yes if you want to add another post"]),
    ],
)
def test_the_list_of_posts_says_exactly_what_is_wrong(journey, council, councillor, data, messages):
    _reach(journey, "posts", council, councillor)
    _expect(journey.post("posts", data), messages)


def test_the_reason_for_an_old_post_has_a_limit(journey, council, councillor):
    _reach(journey, "post_add", council, councillor)
    journey.add_post(posted_on_2=str(OLD))
    _expect(
        journey.post("posts", {"add_another": "no", "late_reason": "x" * 3001}),
        ["Your reason must be 3,000 characters or fewer"],
    )


@pytest.mark.parametrize(
    "data",
    [{}, {"clauses": ["1", "not_sure"]}, {"clauses": ["99"]}, {"clauses": ["not_sure", "<b>"]}],
    ids=["empty", "both a part and not sure", "tampered", "tampered with not sure"],
)
def test_the_code_page_asks_for_parts_or_not_sure(journey, council, councillor, data):
    _reach(journey, "clauses", council, councillor)
    _expect(journey.post("clauses", data), [NOT_SURE_OR_CLAUSES])


@pytest.mark.parametrize(
    ("data", "messages"),
    [
        ({"action": "add"}, ["Select a file to upload"]),
        ({"action": "continue"}, ["Upload a screenshot or PDF of the post, or tell us why you cannot"]),
        (
            {"action": "continue", "no_evidence_reason": "x" * 2001},
            ["Your reason for not sending a screenshot must be 2,000 characters or fewer"],
        ),
    ],
)
def test_the_evidence_page_says_exactly_what_is_wrong(journey, council, councillor, data, messages):
    _reach(journey, "evidence", council, councillor)
    _expect(journey.post("evidence", data), messages)


def _pdf(*, javascript: bool = False, password: str = "") -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    if javascript:
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
            {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
        )
    if password:
        writer.encrypt(user_password=password, owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _png_claiming(width: int, height: int) -> bytes:
    """A few bytes of PNG whose header claims ``width`` x ``height`` pixels."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


UPLOAD_CASES = {
    "empty file": ("blank.png", lambda: b"", "blank.png is empty"),
    "words named as a picture": (
        "notes.png",
        lambda: b"just some words",
        "notes.png must be a PNG, JPEG, WebP, GIF or HEIC image, or a PDF",
    ),
    "a program": (
        "holiday.exe",
        lambda: b"MZ\x90\x00" + b"\x00" * 200,
        "holiday.exe must be a PNG, JPEG, WebP, GIF or HEIC image, or a PDF",
    ),
    "cut-off picture": (
        "cut.png",
        lambda: png_bytes((800, 600))[:300],
        "cut.png could not be opened. It may be damaged or incomplete",
    ),
    "picture with a PDF inside": (
        "poly.png",
        lambda: png_bytes() + b"%PDF-1.4\n1 0 obj << >> endobj",
        "poly.png could not be safely read. Save it again as a new file and upload that instead",
    ),
    "PDF with a script": (
        "macro.pdf",
        lambda: _pdf(javascript=True),
        "macro.pdf could not be safely read because it contains scripts or actions. "
        "Take a screenshot of it and upload that instead",
    ),
    "PDF with a password": (
        "locked.pdf",
        lambda: _pdf(password="secret"),
        "locked.pdf is password protected or encrypted. Remove the protection and upload it again",
    ),
    "picture claiming too many pixels": (
        "bomb.png",
        lambda: _png_claiming(50_000, 50_000),
        "bomb.png has too many pixels. Images must be no bigger than 40 million pixels",
    ),
    "file over the size limit": (
        "huge.png",
        lambda: png_bytes() + b"\x00" * (10 * 1024 * 1024),
        "huge.png must be smaller than 10MB",
    ),
}


@pytest.mark.parametrize("case", UPLOAD_CASES)
def test_a_refused_upload_is_named_with_its_reason_in_the_summary_and_beside_the_box(
    journey, council, councillor, settings, case
):
    settings.EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
    settings.EVIDENCE_MAX_PIXELS = 40_000_000
    name, content, message = UPLOAD_CASES[case]
    _reach(journey, "evidence", council, councillor)
    _expect(journey.upload(name, content()), [message])


def test_one_file_too_many_says_how_many_may_be_sent_beside_the_box(journey, council, councillor, settings):
    settings.EVIDENCE_MAX_FILES = 2
    _reach(journey, "evidence", council, councillor)
    assert journey.upload("first.png").status_code == 302
    assert journey.upload("second.png", png_bytes(colour=(1, 2, 3))).status_code == 302
    # Sent from an older copy of the page (another tab): the box comes back to carry the message.
    _expect(journey.upload("third.png"), ["You can send up to 2 files. Remove one to add another"])


OUTCOME_CASES = {
    "empty": (
        {"outcome_sought": "", "previous_complaint": "", "confidentiality_requested": ""},
        [
            "Enter what you would like to happen",
            "Select yes if you have complained about this before",
            "Select yes if you want us to keep your identity confidential",
        ],
    ),
    "too long": (
        {
            "outcome_sought": "x" * 3001,
            "previous_complaint": "yes",
            "previous_complaint_details": "x" * 2001,
            "confidentiality_requested": "yes",
            "confidentiality_reason": "x" * 3001,
        },
        [
            "What you would like to happen must be 3,000 characters or fewer",
            "Who you complained to and when must be 2,000 characters or fewer",
            "Your reason for confidentiality must be 3,000 characters or fewer",
        ],
    ),
    "tampered": (
        {"previous_complaint": "perhaps", "confidentiality_requested": "1"},
        [
            "Select yes if you have complained about this before",
            "Select yes if you want us to keep your identity confidential",
        ],
    ),
    "yes without details": (
        {"previous_complaint": "yes", "confidentiality_requested": "yes"},
        ["Tell us who you complained to, and when", "Tell us why your identity should be kept confidential"],
    ),
}


@pytest.mark.parametrize("case", OUTCOME_CASES)
def test_the_outcome_page_says_exactly_what_is_wrong(journey, council, councillor, case):
    overrides, messages = OUTCOME_CASES[case]
    _reach(journey, "outcome", council, councillor)
    _expect(journey.outcome(**{**OUTCOME, **overrides}), messages)


def test_check_your_answers_asks_for_the_declaration(journey, council, councillor):
    _reach(journey, "check", council, councillor)
    _expect(
        journey.post("check", {"website": ""}), ["Confirm that the information is true to the best of your knowledge"]
    )


def test_answers_hidden_behind_an_unchosen_option_are_neither_checked_nor_kept(journey, client, council, councillor):
    _reach(journey, "post_add", council, councillor)
    response = journey.add_post(platform="facebook", platform_other=f"x{RTL_OVERRIDE}" * 80)
    assert response.status_code == 302
    assert client.session["complaint_draft"]["posts"][0]["platform_other"] == ""
    assert POST["platform"] == "facebook"


MARKER = "zz-tampered-zz"
TAMPERED = [
    ("about", {**ABOUT, "complainant_type": MARKER}, "Select which of these describes you"),
    ("council", {"authority": MARKER}, "Select the council the councillor is a member of"),
    ("councillors", {"councillors": [MARKER]}, "Select the councillor, or enter their name if they are not listed"),
    ("post_add", {**POST, "platform": MARKER}, "Select where it was posted"),
    (
        "post_add",
        {**POST, "capacity_indicators": [MARKER]},
        "Select why you think the councillor was acting as a councillor",
    ),
    ("posts", {"add_another": MARKER}, "Select yes if you want to add another post"),
    ("clauses", {"clauses": [MARKER]}, NOT_SURE_OR_CLAUSES),
    ("outcome", {**OUTCOME, "previous_complaint": MARKER}, "Select yes if you have complained about this before"),
    (
        "outcome",
        {**OUTCOME, "confidentiality_requested": MARKER},
        "Select yes if you want us to keep your identity confidential",
    ),
]


@pytest.mark.parametrize(("page", "data", "message"), TAMPERED, ids=[f"{p}-{m[:25]}" for p, _, m in TAMPERED])
def test_a_tampered_choice_is_answered_in_plain_words_without_echoing_what_was_sent(
    journey, council, councillor, page, data, message
):
    _reach(journey, page, council, councillor)
    response = journey.post(page, data)
    _expect(response, [message])
    assert MARKER not in response.content.decode()
