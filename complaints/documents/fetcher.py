"""The URL fetcher for letters: it refuses everything but two kinds of local resource.

- ``static:<path>``: one of the project's own static files (found through the staticfiles
  finders, so a path cannot climb out of them);
- ``evidence:<public id>``: the display copy of a piece of evidence on the case being written
  about, and only those the letter was given.

Anything else (``http:``, ``https:``, ``file:``, ``data:``, another case's evidence) is refused
and logged, so text a complainant typed can never make the server fetch something.
"""

from __future__ import annotations

import logging
import mimetypes
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.contrib.staticfiles import finders
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

STATIC_SCHEME = "static:"
EVIDENCE_SCHEME = "evidence:"


class FetchRefused(ValueError):
    """A letter asked for a resource it may not have."""


@dataclass
class FetchLog:
    fetched: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


class LetterURLFetcher(URLFetcher):
    """Serves ``static:`` files and the given evidence display copies; refuses and logs the rest."""

    def __init__(self, *, evidence=()):
        super().__init__(allowed_protocols=(), allow_redirects=False, fail_on_errors=False)
        self._evidence = {str(item.public_id): item for item in evidence if item.display}
        self.log = FetchLog()

    def fetch(self, url, headers=None):
        try:
            response = self._local(url)
        except FetchRefused as refusal:
            self.log.refused.append(url)
            logger.warning("Letter resource refused: %s (%s)", url[:300], refusal)
            raise
        self.log.fetched.append(url)
        return response

    def _local(self, url: str) -> URLFetcherResponse:
        if url.startswith(STATIC_SCHEME):
            return self._static(url.removeprefix(STATIC_SCHEME))
        if url.startswith(EVIDENCE_SCHEME):
            return self._evidence_copy(url.removeprefix(EVIDENCE_SCHEME))
        raise FetchRefused("only the project's static files and this case's evidence may be used")

    def _static(self, path: str) -> URLFetcherResponse:
        parts = PurePosixPath(path).parts
        if not path or path.startswith("/") or ".." in parts or "\\" in path:
            raise FetchRefused("not a static file path")
        found = finders.find(path)
        if not found:
            raise FetchRefused("no such static file")
        with open(found, "rb") as handle:
            body = handle.read()
        return URLFetcherResponse(url=STATIC_SCHEME + path, body=body, headers={"Content-Type": _type_of(path)})

    def _evidence_copy(self, public_id: str) -> URLFetcherResponse:
        evidence = self._evidence.get(public_id)
        if evidence is None:
            raise FetchRefused("not evidence of this letter's case")
        with evidence.display.storage.open(evidence.display.name, "rb") as handle:
            body = handle.read()
        return URLFetcherResponse(
            url=EVIDENCE_SCHEME + public_id, body=body, headers={"Content-Type": _type_of(evidence.display.name)}
        )


def _type_of(path: str) -> str:
    if path.endswith(".svg"):
        return "image/svg+xml"
    return mimetypes.guess_type(path)[0] or "application/octet-stream"
