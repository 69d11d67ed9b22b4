"""Text typed by the public is text: markup, CSS, file:// and remote URLs print as written and
make the renderer fetch nothing. The fetcher refuses everything but the project's static files
and the case's own evidence display copies, and logs each refusal."""

import logging

import pytest

from complaints.documents.fetcher import LetterURLFetcher
from complaints.documents.letters import (
    acknowledgement_letter,
    decision_notice,
    member_invitation_letter,
    takedown_request_letter,
)
from complaints.documents.rendering import render_pdf
from complaints.services.documents import letter_render
from tests.complaints.documents.builders import make_letter_case, pdf_text

pytestmark = pytest.mark.django_db

HOSTILE = (
    '<img src="http://attacker.example/pixel.png"> '
    '<link rel="stylesheet" href="https://attacker.example/x.css"> '
    '<style>@import url("http://attacker.example/i.css"); body { background: url(file:///etc/passwd) }</style> '
    '<a href="file:///etc/passwd">file:///etc/passwd</a> <script>alert(1)</script> '
    "@import 'https://attacker.example/plain.css'; <iframe src=//attacker.example/f></iframe>"
)
FRAGMENTS = [
    '<img src="http://attacker.example/pixel.png">',
    '@import url("http://attacker.example/i.css");',
    "url(file:///etc/passwd)",
    '<a href="file:///etc/passwd">file:///etc/passwd</a>',
    "<script>alert(1)</script>",
    "<iframe src=//attacker.example/f></iframe>",
]


def squeeze(text: str) -> str:
    return "".join(text.split())


def test_hostile_text_in_every_field_prints_as_text_and_fetches_nothing(caplog):
    letter_case = make_letter_case(hostile=HOSTILE, confidential=False)
    decision = letter_case.decision(reasons=HOSTILE, ip_view=HOSTILE, sanctions=HOSTILE)
    letters = [
        takedown_request_letter(letter_case.takedown()),
        acknowledgement_letter(letter_case.confidential),
        member_invitation_letter(letter_case.case, letter_case.councillor),
        decision_notice(decision, public=False),
        decision_notice(decision, public=True),
    ]

    with caplog.at_level(logging.DEBUG):
        rendered = [letter_render(letter=letter) for letter in letters]

    for letter, result in zip(letters, rendered, strict=True):
        assert result.fetch_log.refused == [], letter.kind
        assert all(url.startswith(("static:", "evidence:")) for url in result.fetch_log.fetched), letter.kind
        assert not any("attacker.example" in record.getMessage() for record in caplog.records)
        assert not any("file:///" in record.getMessage() for record in caplog.records)
    takedown_text = squeeze(pdf_text(rendered[0].pdf))
    for fragment in FRAGMENTS:
        assert squeeze(fragment) in takedown_text
    # The acknowledgement prints the name as typed; the parties' notice prints the reasons as typed.
    assert squeeze('<img src="http://attacker.example/pixel.png">') in squeeze(pdf_text(rendered[1].pdf))
    assert squeeze("<script>alert(1)</script>") in squeeze(pdf_text(rendered[3].pdf))


@pytest.mark.parametrize(
    "url",
    [
        "http://attacker.example/pixel.png",
        "https://attacker.example/x.css",
        "file:///etc/passwd",
        "ftp://attacker.example/x",
        "data:image/png;base64,iVBORw0KGgo=",
        "static:../../config/settings.py",
        "static:/etc/passwd",
        "static:images/not-there.png",
        "evidence:00000000-0000-0000-0000-000000000000",
    ],
)
def test_the_fetcher_refuses_and_logs_anything_but_static_files_and_this_cases_evidence(url, caplog):
    fetcher = LetterURLFetcher(evidence=[])

    with caplog.at_level(logging.WARNING, logger="complaints.documents.fetcher"), pytest.raises(ValueError):
        fetcher.fetch(url)

    assert fetcher.log.refused == [url]
    assert fetcher.log.fetched == []
    assert any("Letter resource refused" in record.getMessage() for record in caplog.records)


def test_the_fetcher_serves_only_the_evidence_it_was_given():
    ours = make_letter_case(confidential=False)
    evidence = ours.confidential.evidence.get()
    fetcher = LetterURLFetcher(evidence=[])

    with pytest.raises(ValueError):
        fetcher.fetch(f"evidence:{evidence.public_id}")

    allowed = LetterURLFetcher(evidence=[evidence])
    response = allowed.fetch(f"evidence:{evidence.public_id}")
    assert response.read()[:8] == b"\x89PNG\r\n\x1a\n"
    assert allowed.log.fetched == [f"evidence:{evidence.public_id}"]


def test_markup_that_reaches_the_renderer_is_still_refused_by_the_fetcher(caplog):
    """Belt and braces: even if a template printed raw HTML, nothing remote would be loaded."""
    fetcher = LetterURLFetcher()
    html = (
        '<html lang="en"><head><title>t</title><link rel="stylesheet" href="https://attacker.example/x.css">'
        '<style>@import url("http://attacker.example/i.css");</style></head>'
        '<body><img src="http://attacker.example/p.png" alt=""><img src="file:///etc/passwd" alt=""></body></html>'
    )

    with caplog.at_level(logging.WARNING, logger="complaints.documents.fetcher"):
        render_pdf(html, fetcher=fetcher)

    assert fetcher.log.fetched == []
    assert set(fetcher.log.refused) == {
        "https://attacker.example/x.css",
        "http://attacker.example/i.css",
        "http://attacker.example/p.png",
        "file:///etc/passwd",
    }
