"""HTML and PDF rendering of letters.

The PDF is tagged PDF/UA-1 with the title, language and author taken from the HTML. Output is
reproducible: the same HTML gives the same bytes except for the creation date, because the
fonts are fixed (DejaVu, from the system), the file identifier is derived from the HTML and
nothing random is written.
"""

from __future__ import annotations

import hashlib
import logging
import re
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML

from complaints.documents.fetcher import LetterURLFetcher

PDF_VARIANT = "pdf/ua-1"
_CREATED_META = re.compile(r'<meta name="dcterms.created" content="[^"]*">')
TEMPLATE_DIR = "documents"
# Files every letter is drawn with, besides its own template: a change to any of them is a new
# template version.
SHARED_TEMPLATES = (
    "documents/base.html",
    "documents/letters.css",
    "documents/_posts.html",
    "documents/_clauses.html",
)


def render_html(template: str, context: dict) -> str:
    return render_to_string(template, context)


def render_pdf(html: str, *, fetcher: LetterURLFetcher) -> bytes:
    """The PDF for ``html``; resources come only through ``fetcher``."""
    # The file identifier depends on the content, not on when it was made, so that two renderings
    # of the same inputs differ only in their creation date.
    undated = _CREATED_META.sub("", html)
    identifier = hashlib.sha256(undated.encode()).hexdigest()[:32].encode()
    with _quiet_weasyprint():
        return HTML(string=html, url_fetcher=fetcher, base_url=None).write_pdf(
            pdf_variant=PDF_VARIANT, pdf_identifier=identifier
        )


def created_meta(now: datetime) -> str:
    """The creation date as WeasyPrint reads it from <meta name="dcterms.created">."""
    return now.replace(microsecond=0).isoformat()


@lru_cache(maxsize=32)
def template_version(template: str) -> str:
    """A short digest of the template and the shared files: which text produced a document."""
    digest = hashlib.sha256()
    for name in (template, *SHARED_TEMPLATES):
        digest.update(name.encode() + b"\0")
        digest.update(_template_path(name).read_bytes())
    return digest.hexdigest()[:16]


def _template_path(name: str) -> Path:
    return Path(settings.BASE_DIR) / "templates" / name


class _quiet_weasyprint:
    """WeasyPrint logs each refused resource as an error; the fetcher logs refusals itself."""

    def __enter__(self):
        self._logger = logging.getLogger("weasyprint")
        self._level = self._logger.level
        self._logger.setLevel(logging.CRITICAL)

    def __exit__(self, *exc):
        self._logger.setLevel(self._level)
