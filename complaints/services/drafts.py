"""How long a complaint that has not been sent yet is kept, and how it is cleared.

The answers live in the complainant's session (a cookie that ends when the browser closes, and
a row in the sessions table); the files they upload are stored at once (services/evidence_files).
Both go when the complainant deletes their answers, and when nobody has used them for
DRAFT_IDLE_MINUTES: on the complainant's next request, or by the scheduled purge
(``manage.py clearsessions``, which the session backend in complaints/sessions.py runs through
``sessions_purge``) if they never come back. A cleared draft leaves a note without personal data,
so a complainant who returns is told why their answers are gone.

Officers' sessions are not touched: the idle limit applies to the public draft only.
"""

from __future__ import annotations

import logging
from collections.abc import MutableMapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from complaints.services.evidence_files import StoredFile, evidence_file_discard

logger = logging.getLogger(__name__)

DRAFT_KEY = "complaint_draft"
CONFIRMATION_KEY = "complaint_confirmation"
# When the complainant last used the journey, in seconds since the epoch.
ACTIVE_KEY = "complaint_active_at"
# Left in place of answers cleared for inactivity: the number of idle minutes that cleared them.
CLEARED_KEY = "complaint_cleared"
# Django's own bookkeeping keys, which on their own do not make a session worth keeping.
_EXPIRY_KEY = "_session_expiry"
AUTH_KEY = "_auth_user_id"
# How long the note that answers were cleared outlives the answers (it holds no personal data).
CLEARED_NOTE_LIFETIME = timedelta(hours=24)


def draft_idle_limit() -> timedelta:
    return timedelta(minutes=settings.DRAFT_IDLE_MINUTES)


def public_session_lifetime() -> timedelta:
    """How long a complainant's session row lives after its last use: long enough to keep the
    note that the answers were cleared, never shorter than the draft's idle limit."""
    return draft_idle_limit() + CLEARED_NOTE_LIFETIME


def is_complainant_session(data: MutableMapping) -> bool:
    """A session of the complaint form (answers, a confirmation or the note that answers were
    cleared) with nobody signed in: its lifetime is the draft's, not an officer's."""
    return AUTH_KEY not in data and any(key in data for key in (DRAFT_KEY, CONFIRMATION_KEY, CLEARED_KEY))


def draft_in_use(data: MutableMapping) -> bool:
    """Whether the session holds a complaint being written or the confirmation of one just sent."""
    return DRAFT_KEY in data or CONFIRMATION_KEY in data


def draft_is_idle(data: MutableMapping, *, now: datetime) -> bool:
    """True when the session holds a draft or confirmation nobody has used for DRAFT_IDLE_MINUTES."""
    if not draft_in_use(data):
        return False
    active_at = data.get(ACTIVE_KEY)
    if not isinstance(active_at, int | float):
        return False  # not stamped yet: the request that stamps it is under way
    return now.timestamp() - active_at > draft_idle_limit().total_seconds()


def draft_touch(*, session: MutableMapping, now: datetime) -> bool:
    """Record a use of the draft: the idle limit counts from here. Returns whether it wrote.

    A use within a few seconds of the last one is not written again: every write saves the whole
    session, and a page read that saves could overwrite an answer sent at the same moment.
    """
    active_at = session.get(ACTIVE_KEY)
    resolution = min(60.0, draft_idle_limit().total_seconds() / 10)
    if isinstance(active_at, int | float) and 0 <= now.timestamp() - active_at < resolution:
        return False
    session[ACTIVE_KEY] = int(now.timestamp())
    return True


def draft_files(data: MutableMapping) -> list[StoredFile]:
    """The files uploaded to the draft; anything that does not look like one of ours is skipped."""
    files = []
    for item in (data.get(DRAFT_KEY) or {}).get("evidence") or []:
        try:
            files.append(StoredFile.from_dict(item))
        except (KeyError, TypeError, ValueError):
            logger.warning("Skipped a malformed evidence entry in a draft")
    return files


def draft_discard(*, session: MutableMapping, idle: bool = False) -> int:
    """Delete the draft's uploaded files and remove the draft and any confirmation from ``session``
    (a request's session or a decoded session row).

    With ``idle``, a draft that held answers leaves the note that they were cleared for
    inactivity. A file already attached to a sent complaint is never deleted. Returns the
    number of files deleted.
    """
    from complaints.models import Evidence

    deleted = 0
    for stored in draft_files(session):
        paths = [path for path in (stored.original_path, stored.display_path) if path]
        if Evidence.objects.filter(Q(original__in=paths) | Q(display__in=paths)).exists():
            continue
        evidence_file_discard(stored=stored)
        deleted += 1
    draft = session.get(DRAFT_KEY) or {}
    had_answers = any(key != "token" for key in draft)
    for key in (DRAFT_KEY, CONFIRMATION_KEY, ACTIVE_KEY):
        session.pop(key, None)
    if idle and had_answers:
        session[CLEARED_KEY] = settings.DRAFT_IDLE_MINUTES
    return deleted


def session_is_only_public_leftovers(data: MutableMapping) -> bool:
    """True when nothing but our own bookkeeping is left, so the whole session can go."""
    return all(key in (ACTIVE_KEY, _EXPIRY_KEY) for key in data.keys())


@dataclass(frozen=True)
class SessionPurge:
    expired_sessions: int
    idle_drafts: int
    files: int


def sessions_purge(*, store_class, now: datetime | None = None) -> SessionPurge:
    """Clear drafts left idle (answers and files) and delete expired sessions with their drafts' files.

    ``store_class`` is the session backend's SessionStore (for its model and its encoding).
    """
    now = now or timezone.now()
    model = store_class.get_model_class()
    codec = store_class()
    files = 0

    # Sessions past their expiry date: no request can read them again, so they and their files go.
    expired = 0
    expired_rows = model.objects.filter(expire_date__lt=now).only("session_key", "session_data")
    for row in expired_rows.iterator(chunk_size=500):
        files += draft_discard(session=codec.decode(row.session_data))
        expired += model.objects.filter(session_key=row.session_key, expire_date__lt=now).delete()[0]

    # Live sessions whose draft nobody has used for the idle limit. Only complainants who answered
    # a question and signed-in officers have a session at all, so there are few rows to read.
    idle = 0
    live = model.objects.filter(expire_date__gte=now).values_list("session_key", "session_data")
    for key, session_data in live.iterator(chunk_size=500):
        if not draft_is_idle(codec.decode(session_data), now=now):
            continue
        with transaction.atomic():
            row = model.objects.select_for_update().filter(session_key=key).first()
            if row is None:
                continue
            data = codec.decode(row.session_data)
            if not draft_is_idle(data, now=now):
                continue
            files += draft_discard(session=data, idle=True)
            row.session_data = codec.encode(data)
            row.save(update_fields=["session_data"])
            idle += 1
    if expired or idle:
        logger.info("Session purge: %d expired sessions, %d idle drafts, %d files deleted", expired, idle, files)
    return SessionPurge(expired_sessions=expired, idle_drafts=idle, files=files)
