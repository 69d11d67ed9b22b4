"""The session backend: Django's database sessions, with the public draft's lifetime.

Set as SESSION_ENGINE. A complainant's session (answers, and nobody signed in) is kept for the draft's idle
limit plus a day after its last use, whatever SESSION_COOKIE_AGE says, so the officers' session
length never cuts a draft short or keeps one longer; an officer's session keeps Django's rules.
``clear_expired`` (what ``manage.py clearsessions`` and the scheduled purge run) also clears
drafts left idle and deletes the files uploaded to them (services/drafts.py).
"""

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

from complaints.services.drafts import is_complainant_session, public_session_lifetime, sessions_purge


class SessionStore(DatabaseSessionStore):
    def get_session_cookie_age(self):
        if is_complainant_session(self):
            return int(public_session_lifetime().total_seconds())
        return super().get_session_cookie_age()

    @classmethod
    def clear_expired(cls):
        sessions_purge(store_class=cls)
