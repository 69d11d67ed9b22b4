"""The complaint being written, kept in the session between question pages."""

import uuid
from dataclasses import dataclass
from functools import wraps

from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.cache import never_cache

from complaints.services.drafts import (
    CLEARED_KEY,
    DRAFT_KEY,
    draft_discard,
    draft_in_use,
    draft_is_idle,
    draft_touch,
    session_is_only_public_leftovers,
)
from complaints.services.evidence_files import StoredFile

SESSION_KEY = DRAFT_KEY
TOKEN_KEY = "token"  # noqa: S105 (the draft's idempotency key, not a secret)

# The question pages in order; each names the draft section it fills.
STEPS = ("about", "council", "councillors", "posts", "clauses", "evidence", "outcome")
STEP_URLS = {
    "about": "complain:about",
    "council": "complain:council",
    "councillors": "complain:councillors",
    "posts": "complain:posts",
    "clauses": "complain:clauses",
    "evidence": "complain:evidence",
    "outcome": "complain:outcome",
}


@dataclass
class Draft:
    session: object

    @property
    def data(self) -> dict:
        # Reading must not create a draft: a visitor who only reads pages gets no session row.
        return self.session.get(SESSION_KEY, {})

    def _writable(self) -> dict:
        data = self.session.setdefault(SESSION_KEY, {})
        data.setdefault(TOKEN_KEY, uuid.uuid4().hex)
        return data

    @property
    def token(self) -> str:
        """The draft's idempotency key: sending the same draft twice gives one complaint."""
        token = self.data.get(TOKEN_KEY)
        if not token:
            token = self._writable()[TOKEN_KEY]
            self.session.modified = True
        return token

    @property
    def is_empty(self) -> bool:
        return not any(key != TOKEN_KEY for key in self.data)

    def get(self, section: str, default=None):
        return self.data.get(section, default)

    def set(self, section: str, value) -> None:
        self._writable()[section] = value
        self.session.modified = True

    def pop(self, section: str) -> None:
        if section in self.data:
            del self.data[section]
            self.session.modified = True

    def is_complete(self, step: str) -> bool:
        if step == "posts":
            return bool(self.data.get("posts"))
        if step == "evidence":
            return bool(self.data.get("evidence")) or bool(self.data.get("no_evidence_reason"))
        return step in self.data

    def first_incomplete(self) -> str | None:
        for step in STEPS:
            if not self.is_complete(step):
                return step
        return None

    def missing_before(self, step: str) -> str | None:
        """The first earlier page still to answer, if any: pages can't be skipped by URL."""
        for earlier in STEPS[: STEPS.index(step)]:
            if not self.is_complete(earlier):
                return earlier
        return None

    @property
    def evidence(self) -> list[StoredFile]:
        return [StoredFile.from_dict(item) for item in self.data.get("evidence", [])]

    def set_evidence(self, files: list[StoredFile]) -> None:
        self.set("evidence", [f.as_dict() for f in files])

    def clear(self) -> None:
        self.session.pop(SESSION_KEY, None)
        self.session.modified = True


def session_end_if_unused(session) -> None:
    """Delete the session row and cookie once nothing but our bookkeeping is left in it, so no
    answers linger in the sessions table (an officer's session keeps its sign-in)."""
    if session_is_only_public_leftovers(session):
        session.flush()


def journey_page(view=None, *, file: bool = False):
    """For every page that shows or changes the complaint being written or the confirmation.

    The page is never cached. A draft nobody used for DRAFT_IDLE_MINUTES is cleared with its files
    and the complainant is sent to the page saying so. Each use keeps the draft alive, in a cookie
    that ends with the browser session. A visitor with no draft gets no session at all.

    With ``file`` (an image a page shows): a cleared draft's file is simply not found, and fetching
    it is not a use of the draft, so it never saves the session over an answer being sent.
    """

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            session = request.session
            now = timezone.now()
            if draft_is_idle(session, now=now):
                draft_discard(session=session, idle=True)
                session_end_if_unused(session)
            if CLEARED_KEY in session:
                session.pop(CLEARED_KEY)
                session_end_if_unused(session)
                if file:
                    raise Http404("This complaint was cleared.")
                return redirect("complain:cleared")
            response = view(request, *args, **kwargs)
            if not file and draft_in_use(session) and draft_touch(session=session, now=now):
                if not request.user.is_authenticated:
                    session.set_expiry(0)  # ends when the browser closes
            return response

        return never_cache(wrapped)

    return decorate(view) if view is not None else decorate
