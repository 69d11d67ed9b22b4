"""A letter as HTML inside a workspace page: the same template and context as its PDF.

The letter's own HTML is a whole document written for WeasyPrint. For the workspace its body is
taken out and adjusted so that it sits inside an officer page: its landmarks become plain
sections (the page has its own header and main), its headings move down one level (the page has
its own h1), inline styles go (the page's Content-Security-Policy allows none) and the two
resource schemes the PDF fetcher serves become ordinary URLs: ``static:`` files and the case's
evidence display copies, which the browser then asks for through the evidence access rule.

Only markup written by our templates is changed: everything a complainant typed was escaped by
the template engine, so it contains no ``<`` or ``"`` for these patterns to match.
"""

from __future__ import annotations

import re

from django.templatetags.static import static
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from complaints.documents.letters import Letter
from complaints.documents.rendering import render_html

_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.DOTALL)
_HEADING = re.compile(r"<(/?)h([1-5])\b")
_STYLE_ATTRIBUTE = re.compile(r'\sstyle="[^"]*"')
_SOURCE = re.compile(r'src="(static|evidence):([^"]*)"')


def letter_preview_html(letter: Letter) -> SafeString:
    """The letter's body as an HTML fragment for a workspace page."""
    html = render_html(letter.template, letter.context)
    match = _BODY.search(html)
    body = match.group(1) if match else ""
    body = body.replace("<main>", '<div class="app-letter__main">').replace("</main>", "</div>")
    body = body.replace('<header class="letterhead">', '<div class="app-letter__letterhead">')
    body = body.replace("</header>", "</div>")
    body = _HEADING.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", body)
    body = _STYLE_ATTRIBUTE.sub("", body)
    body = _SOURCE.sub(_source, body)
    return mark_safe(body)  # noqa: S308 - our own template's output, already escaped


def _source(match: re.Match) -> str:
    scheme, path = match.group(1), match.group(2)
    if scheme == "static":
        return f'src="{static(path)}"'
    return f'src="{reverse("evidence:display", args=[path])}"'
